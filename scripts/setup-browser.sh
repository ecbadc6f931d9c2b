#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test of the reference. Never downloads a browser
# from anywhere else. Does nothing when Chromium is already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  echo "Chromium is installed: $(command -v chromium || echo /usr/bin/chromium)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get here: install Chromium with your system's package manager and set CHROMIUM_PATH to it." >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
    echo "Installing Chromium needs root: run \`apt-get install chromium\` as root, then run the tests again." >&2
    exit 1
  fi
fi
echo "Installing Debian's chromium package (about a minute)..."
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "Chromium installed: $(command -v chromium)"

import { packageName, packageVersion } from '../generated/version.ts';

export { packageName, packageVersion };

/**
 * `metorial-api-client/1.0.0 (node v22.23.3; linux x64)`: names the package, its version and the
 * runtime, or undefined in a browser. Browsers send their own User-Agent and do not let scripts
 * change it (Chrome drops it silently), so the header is left to them. Browsers are told apart by
 * `navigator.userAgent`, which starts with `Mozilla/` in every browser and in no server runtime
 * (Node says `Node.js/22`, Deno `Deno/2`, Bun `Bun/1`, Cloudflare Workers `Cloudflare-Workers`).
 */
export function userAgent(): string | undefined {
  const runtimeAgent: unknown = globalThis.navigator?.userAgent;
  const agent = typeof runtimeAgent === 'string' ? runtimeAgent : '';
  if (agent.startsWith('Mozilla/')) return undefined;
  const process = globalThis.process;
  return `${packageName}/${packageVersion} (${process?.versions?.node ? `node v${process.versions.node}; ${process.platform} ${process.arch}` : agent || 'unknown runtime'})`;
}

import { packageName, packageVersion } from '../generated/version.ts';

export { packageName, packageVersion };

/**
 * `metorial-api-client/1.0.0 (node v22.23.3; linux x64)` (or `(Deno/2.9.6)`, `(Bun/1.4.5)`,
 * `(Cloudflare-Workers)`): names the package, its version and the runtime, or undefined in a browser. Browsers send their own User-Agent and do not let scripts
 * change it (Chrome drops it silently), so the header is left to them. Browsers are told apart by
 * `navigator.userAgent`, which starts with `Mozilla/` in every browser and in no server runtime
 * (Node says `Node.js/22`, Deno `Deno/2`, Bun `Bun/1`, Cloudflare Workers `Cloudflare-Workers`).
 */
export function userAgent(): string | undefined {
  const runtimeAgent: unknown = globalThis.navigator?.userAgent;
  const agent = typeof runtimeAgent === 'string' ? runtimeAgent : '';
  if (agent.startsWith('Mozilla/')) return undefined;
  // Deno and Bun also set process.versions.node (their Node compatibility), so their own agent comes first.
  const process = globalThis.process;
  const runtime = agent && !agent.startsWith('Node.js/') ? agent : process?.versions?.node ? `node v${process.versions.node}; ${process.platform} ${process.arch}` : 'unknown runtime';
  return `${packageName}/${packageVersion} (${runtime})`;
}

import packageJson from '../package.json' with { type: 'json' };

export const packageName = packageJson.name;
export const packageVersion = packageJson.version;

/** `@metorial/api-spec/0.1.0 (node v20.20.2; linux x64)`: names the package, its version and the runtime. */
export function userAgent(): string {
  const runtime = globalThis.process?.versions?.node
    ? `node v${globalThis.process.versions.node}; ${globalThis.process.platform} ${globalThis.process.arch}`
    : 'unknown runtime';
  return `${packageName}/${packageVersion} (${runtime})`;
}

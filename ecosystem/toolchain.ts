import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../scripts/lib/paths.ts';

/**
 * The runtimes, bundlers and compilers the ecosystem matrix runs the client package on, each an npm
 * registry package at an exact version (their binaries are inside registry packages: nothing is
 * downloaded from elsewhere). Checked on Node 20.20 with npm 11 (../shared/notes/toolchain.md).
 * miniflare and wrangler need Node >= 22, so workerd is run directly with a config file.
 */
export const pinnedTools = {
  deno: { package: 'deno', version: '2.9.6', label: 'Deno' },
  bun: { package: 'bun', version: '1.4.5', label: 'Bun' },
  workerd: { package: 'workerd', version: '1.20261117.1', label: "workerd (Cloudflare Workers' runtime)" },
  'edge-runtime': { package: 'edge-runtime', version: '4.0.1', label: "Vercel's edge runtime" },
  vite: { package: 'vite', version: '8.4.0', label: 'vite' },
  webpack: { package: 'webpack', version: '5.113.0', label: 'webpack' },
  // The oldest TypeScript the declarations type-check with (openapi-fetch's own need 5.4), and the
  // release before it, which must fail: together they hold the lower bound the package README states.
  'typescript-oldest': { package: 'typescript', version: '5.4.5', label: 'TypeScript' },
  'typescript-too-old': { package: 'typescript', version: '5.3.3', label: 'TypeScript' },
} as const;

export type ToolName = keyof typeof pinnedTools;

/** Where `npm run setup:runtimes` installs them: one npm project per tool, ignored by git, kept by `npm ci`. */
export const runtimesDir = join(repoRoot, '.runtimes');

/** The folder of one tool's npm project. */
export function toolDir(name: ToolName, root = runtimesDir): string {
  const { package: packageName, version } = pinnedTools[name];
  return join(root, `${packageName}-${version}`);
}

/** The installed version of a tool's package, or undefined when it is not there. */
export function installedVersion(name: ToolName, root = runtimesDir): string | undefined {
  const manifest = join(toolDir(name, root), 'node_modules', pinnedTools[name].package, 'package.json');
  if (!existsSync(manifest)) return undefined;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
}

/** A `require` that resolves from a tool's folder (its library entry, or a file of its package). */
export function toolRequire(name: ToolName): NodeJS.Require {
  return createRequire(join(toolDir(name), 'package.json'));
}

/** Thrown when a tool of the matrix is missing: says which, and the command that installs it. */
export class ToolMissingError extends Error {
  override name = 'ToolMissingError';
}

/**
 * The tool's folder, after checking that the pinned version is installed there.
 * @throws ToolMissingError naming the tool, the version and `npm run setup:runtimes`.
 */
export function requireTool(name: ToolName, root = runtimesDir): string {
  const { package: packageName, version, label } = pinnedTools[name];
  const found = installedVersion(name, root);
  if (found !== version) {
    throw new ToolMissingError(
      `${label} ${version} (npm package ${packageName}@${version}) is ${found ? `installed at ${found}, not ${version}` : 'not installed'} in ${toolDir(name, root)}: ` +
        'run `npm run setup:runtimes` (the README test command does), which installs it from the npm registry.',
    );
  }
  return toolDir(name, root);
}

/** The executable of a tool that is a program (Deno, Bun, workerd), after requireTool. */
export function toolBinary(name: 'deno' | 'bun' | 'workerd'): string {
  const dir = requireTool(name);
  const binary =
    name === 'deno'
      ? join(dir, 'node_modules', 'deno', 'deno')
      : name === 'bun'
        ? join(dir, 'node_modules', 'bun', 'bin', 'bun.exe')
        : // The workerd package's main export is the path of the binary for this platform.
          (toolRequire('workerd')('workerd') as { default: string }).default;
  if (!existsSync(binary)) {
    throw new ToolMissingError(
      `${pinnedTools[name].label} is installed in ${dir}, but its binary ${binary} is missing (an install without its platform package?): ` +
        `delete ${dir} and run \`npm run setup:runtimes\` again.`,
    );
  }
  return binary;
}

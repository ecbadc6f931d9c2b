import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tsgoBin } from '../../scripts/lib/paths.ts';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end and resolves with its exit code and output; never rejects on a failure exit. */
export function runCommand(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (error && typeof error.code !== 'number' ? error.message : '') });
    });
  });
}

const consumerFixtures = join(repoRoot, 'test', 'fixtures', 'consumer');
/** The compilers a consumer may run: TypeScript 5 (`tsc`) and TypeScript 7 (`tsgo`, the native port). */
const consumerCompilers = {
  'TypeScript 5': [process.execPath, join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')],
  'TypeScript 7': [tsgoBin],
} as const;

/** The ```ts blocks of a README, in order. */
export function typeScriptExamples(readmeFile: string): string[] {
  return [...readFileSync(readmeFile, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/**
 * A new project, as a user starts one: a package.json, the consumer fixtures, the README's
 * TypeScript examples as files, and the packed package installed from its tarball with npm.
 */
export async function createConsumerProject(dir: string, tarball: string, readmeFile: string): Promise<{ readmeExamples: string[] }> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
  for (const name of readdirSync(consumerFixtures)) copyFileSync(join(consumerFixtures, name), join(dir, name));
  const readmeExamples = typeScriptExamples(readmeFile).map((code, index) => {
    const name = `readme-example-${index + 1}.ts`;
    writeFileSync(join(dir, name), code);
    return name;
  });
  // --prefer-offline: the dependencies are those `npm ci` just put in the cache.
  const install = await runCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: dir });
  if (install.code !== 0) throw new Error(`npm install of ${tarball} failed:\n${install.stderr}`);
  return { readmeExamples };
}

/**
 * The consumer's compiler options the declarations must stand up to. None sets skipLibCheck: the
 * package's own declarations are checked under each.
 */
export const consumerCompilerOptions = {
  nodenext: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [] },
  bundler: { strict: true, module: 'esnext', moduleResolution: 'bundler', target: 'es2022', types: [] },
  // The flags that broke the package when it shipped .ts: the strictest checks, an older target,
  // and a lib without DOM (fetch's types then come from @types/node, as in a Node project). ES
  // modules only: verbatimModuleSyntax and erasableSyntaxOnly leave a .cts no typed import form.
  strictest: {
    strict: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2017',
    lib: ['es2022'],
    types: ['node'],
    typeRoots: [join(repoRoot, 'node_modules', '@types')],
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noPropertyAccessFromIndexSignature: true,
    noImplicitOverride: true,
    noImplicitReturns: true,
    erasableSyntaxOnly: true,
    verbatimModuleSyntax: true,
  },
} as const;

/** Type-checks `files` in the consumer project under one set of options with one compiler; resolves with its diagnostics. */
export async function typeCheckConsumer(
  dir: string,
  name: keyof typeof consumerCompilerOptions,
  files: string[],
  compiler: keyof typeof consumerCompilers = 'TypeScript 5',
): Promise<string> {
  const config = join(dir, `tsconfig.${name}.json`);
  writeFileSync(config, JSON.stringify({ compilerOptions: { ...consumerCompilerOptions[name], noEmit: true }, files }, null, 2));
  const [command, ...args] = consumerCompilers[compiler];
  const result = await runCommand(command, [...args, '-p', config, '--pretty', 'false'], { cwd: dir });
  return `${result.stdout}${result.stderr}`.trim();
}

import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { build } from 'tsdown';
import clientBuildConfig, { generatedFilesPlugin, packagePlugins, schemaDeclarationsFile } from '../../client/tsdown.config.ts';
import { copyClientPackageFiles } from './client-package-files.ts';
import { replaceDirectoryAtomic } from './atomic-write.ts';
import { clientDir, generatedDir, repoRoot } from './paths.ts';
import { PipelineError } from './run-tool.ts';

/** One line from a bundler error: `file:line:column: message (CODE)`, what to do where we know it, and how many more there were. */
export function describeBuildError(error: unknown): string {
  const errors = (error as { errors?: unknown }).errors;
  const first = (Array.isArray(errors) && errors.length > 0 ? errors[0] : error) as { message?: unknown; id?: unknown; frame?: unknown; loc?: { line?: number; column?: number } };
  const text = stripVTControlCharacters(`${String(first?.message ?? error)}\n${typeof first?.frame === 'string' ? first.frame : ''}`);
  const code = /^\[([A-Z_]+)\]/.exec(text)?.[1] ?? /^(TS\d+):/.exec(text)?.[1];
  const message = text
    .replace(/^\[[A-Z_]+\]\s*(Error:\s*)?/, '')
    .replace(/^TS\d+:\s*/, '')
    .split('\n')[0]!
    .replace(/^Build failed with \d+ errors?:?\s*/, '')
    .trim()
    .replace(/\.$/, '');
  // The frame points where the error is (Rolldown's `╭─[ src/client.ts:2:22 ]`, Oxc's `,-[/abs/src/x.ts:102:68]`); loc may point past it.
  const framed = /(?:─|,-)\[\s*(\S+?):(\d+):(\d+)\s*\]/.exec(text);
  const id = typeof first?.id === 'string' ? first.id : framed?.[1];
  const file = id ? relative(repoRoot, id) : undefined;
  const where = file ? `${file}${framed ? `:${framed[2]}:${framed[3]}` : first.loc?.line ? `:${first.loc.line}` : ''}: ` : '';
  const more = Array.isArray(errors) && errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  // TS9005-TS9039: what Oxc cannot declare from the file alone (the package's declarations are made file by file, client/tsdown.config.ts).
  const fix = /^TS90[0-3]\d$/.test(code ?? '') ? "; write its type out there (the package's declarations are made from each file alone)" : '';
  return `${where}${message || 'the bundler failed without a message'}${code ? ` (${code})` : ''}${fix}${more}`;
}

/** A relative module specifier ending in `.js` in an import, export or `import()` of a declaration file. */
const siblingJsSpecifier = /(\bfrom\s*|\bimport\s*\(\s*|^import\s+)(["'])(\.{1,2}\/[^"']+)\.js\2/gm;

/**
 * Writes the CommonJS declarations (`x.d.cts`) beside the ESM ones (`x.d.ts`) in `dir`: the same text
 * with each relative `./y.js` import naming `./y.cjs`, so a CommonJS consumer's types come from the
 * CommonJS files, as `require` loads them. This is exactly what compiling them a second time gave
 * (checked: the files differed in those specifiers only), and the package's checks run on the result
 * (@arethetypeswrong/cli, test/publish/client-package.test.ts).
 */
export function writeCommonJsDeclarations(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.d.ts')) continue;
    const esm = readFileSync(join(dir, name), 'utf8');
    writeFileSync(join(dir, name.replace(/\.d\.ts$/, '.d.cts')), esm.replace(siblingJsSpecifier, (_match, before: string, quote: string, path: string) => `${before}${quote}${path}.cjs${quote}`));
  }
}

/** How a build of the client package gets its inputs and when it may replace the package's dist/. */
export interface ClientBuildOptions {
  /**
   * The generated files to build from, by absolute path under generated/ (renderGeneratedFiles), in
   * place of those on disk: a build made before they are written (the whole build, while lint runs).
   */
  generatedFiles?: ReadonlyMap<string, string>;
  /**
   * Replace dist/ only once this has resolved; if it rejects, dist/ is left as it was and the build
   * rejects with its error (the whole build: lint's verdict and the other files written).
   */
  replaceAfter?: Promise<unknown>;
}

/**
 * Builds the client package (ESM, CommonJS and their declarations, by client/tsdown.config.ts, with
 * the generated types copied beside the declarations that import them) into
 * `<packageDir>/dist`, replacing what was there only once the whole build has succeeded (built in a
 * staging folder beside it, then swapped: replaceDirectoryAtomic), so a failing or interrupted
 * build leaves the package as it was. Reads src/ and generated/ (or `options.generatedFiles`), so
 * run it after generated/ is written or give it the files. Throws a PipelineError whose message says
 * in one sentence what failed and where. `config` overrides parts of the build's configuration
 * (tests point `entry` at a broken source).
 */
export async function buildClientPackage(packageDir = clientDir, config: Partial<typeof clientBuildConfig> = {}, options: ClientBuildOptions = {}): Promise<void> {
  const dist = join(packageDir, 'dist');
  const { generatedFiles } = options;
  const plugins = generatedFiles ? { plugins: [generatedFilesPlugin((path) => generatedFiles.get(join(generatedDir, path))), ...packagePlugins] } : {};
  await replaceDirectoryAtomic(dist, async (staging) => {
    try {
      await build({ ...clientBuildConfig, ...plugins, ...config, config: false, outDir: staging });
      const schemaPath = join(generatedDir, schemaDeclarationsFile);
      writeFileSync(join(staging, schemaDeclarationsFile), generatedFiles?.get(schemaPath) ?? readFileSync(schemaPath, 'utf8'));
      writeCommonJsDeclarations(staging);
    } catch (error) {
      throw new PipelineError(`Could not build the client package: ${describeBuildError(error)}. ${relative(repoRoot, dist) || dist} is unchanged.`);
    }
    await options.replaceAfter;
  });
}

/**
 * A copy of the client package in `stageDir`, built from the current sources, to pack or inspect
 * without touching client/: what `npm publish` in client/ would see after `npm run build`.
 */
export async function stageClientPackage(stageDir: string): Promise<string> {
  copyClientPackageFiles(stageDir);
  await buildClientPackage(stageDir);
  return stageDir;
}

/** `npm pack` of a built package folder into `destination`; resolves with the tarball's path. */
export async function packClientPackage(packageDir: string, destination: string): Promise<string> {
  mkdirSync(destination, { recursive: true });
  const { stdout } = await promisify(execFile)('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], { cwd: packageDir });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (!packed) throw new Error(`npm pack in ${packageDir} reported no tarball.`);
  return join(destination, packed.filename);
}

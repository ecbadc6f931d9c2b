import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { defineConfig, type Rolldown } from 'tsdown';
import { generatedDir, repoRoot } from '../scripts/lib/paths.ts';

const repoGeneratedDir = join(repoRoot, 'generated');

/**
 * In the CommonJS build, Rolldown imports a dependency's default export as Node does when an ES
 * module imports CommonJS (`default` is `module.exports`, the `1` of `__toESM(x, 1)`), because our
 * sources are ES modules. But that build `require`s the dependency's own CommonJS build, which marks
 * itself `__esModule` with its default under `exports.default` (openapi-fetch's createClient), so
 * that emulation makes `default` the wrong value. Interop by `__esModule` is the right one here.
 */
const requireDefaultByEsModuleMark: Rolldown.Plugin = {
  name: 'require-default-by-esmodule-mark',
  renderChunk(code, _chunk, options) {
    return options.format === 'cjs' ? code.replace(/__toESM\(([\w$]+), 1\)/g, '__toESM($1)') : null;
  },
};

/**
 * The sources import the generated types, spec and version as `../generated/...`; this plugin gives
 * the build other content for them: what `read` returns for a path relative to generated/ (a string),
 * or the repository's file (undefined). It swaps the files' content where they are read, since the
 * declaration build resolves `.d.ts` imports with a resolver of its own.
 */
export function generatedFilesPlugin(read: (pathInGenerated: string) => string | undefined): Rolldown.Plugin {
  return {
    name: 'generated-files',
    load(id) {
      const inGenerated = relative(repoGeneratedDir, id);
      if (inGenerated.startsWith('..') || isAbsolute(inGenerated)) return null;
      return read(inGenerated) ?? null;
    },
  };
}
/** A build pointed elsewhere (METORIAL_GENERATED_DIR, as in a scratch build) reads the files the pipeline wrote there. */
const pipelinePlugins = generatedDir === repoGeneratedDir ? [] : [generatedFilesPlugin((path) => readFileSync(join(generatedDir, path), 'utf8'))];

/** Where the package's declarations import the generated types from: a file of its own beside them. */
export const schemaDeclarationsFile = 'schema.d.ts';

/**
 * The generated types (generated/schema.d.ts, 9 MB at 1,000 operations) are not bundled into the
 * declarations: they import them from a sibling file (`./schema.js`, which TypeScript reads as
 * `schema.d.ts`, or `schema.d.cts` from the CommonJS declarations) that the build copies as written.
 * Parsing and printing them in the declaration bundle was about half of the client's build at that
 * size and changed nothing in them (bench/RESULTS.md). Only declarations import them: the code's
 * imports of types are erased before anything is resolved.
 */
const generatedTypesAsSibling: Rolldown.Plugin = {
  name: 'generated-types-as-sibling',
  resolveId(id, importer) {
    if (!importer || !id.startsWith('.')) return null;
    return resolve(dirname(importer), id) === join(repoGeneratedDir, schemaDeclarationsFile) ? { id: './schema.js', external: true } : null;
  },
};

/** The plugins every build of the package uses, after any that swap the generated files. */
export const packagePlugins: Rolldown.Plugin[] = [requireDefaultByEsModuleMark, generatedTypesAsSibling];

/**
 * The client package's build: ESM and CommonJS, each with its own bundled declarations (`.d.ts`,
 * `.d.cts`) that import nothing but the generated types beside them and the package's dependencies,
 * and need none of the repository's compiler options. Two entry points: the client,
 * and `/validation` (ajv and the bundled spec), which only code that validates responses loads.
 * The output directory is given by scripts/lib/client-package.ts.
 */
export default defineConfig({
  cwd: import.meta.dirname,
  entry: { index: join(repoRoot, 'src', 'index.ts'), validation: join(repoRoot, 'src', 'validation.ts') },
  // The CommonJS declarations are not compiled a second time: they are the ESM ones with each sibling
  // import pointing at its `.cjs` twin (scripts/lib/client-package.ts, writeCommonJsDeclarations), the
  // only difference the second compilation made; it was half of the build at 1,000 operations.
  format: { esm: {}, cjs: { dts: false } },
  platform: 'neutral',
  // What every runtime the package supports understands: Node 20, current browsers, edge runtimes.
  target: 'es2022',
  // Declarations by Oxc, from each file alone (isolated declarations), not by a TypeScript program: the
  // same declarations (quotes and comment indentation aside), 0.5 s against 2.7 s for the whole build
  // here and 4 s against 9 s at 1,140 operations, where the program parsed all the generated types
  // (bench/RESULTS.md). So every export the package declares has its type written out; the build
  // names the place when one does not (TS9011 and its siblings).
  dts: { tsconfig: join(repoRoot, 'tsconfig.json'), oxc: true },
  fixedExtension: false,
  hash: false,
  sourcemap: false,
  clean: true,
  logLevel: 'warn',
  plugins: [...pipelinePlugins, ...packagePlugins],
  deps: { neverBundle: ['openapi-fetch', 'openapi-typescript-helpers', 'ajv', /^ajv\//, 'ajv-formats'] },
});

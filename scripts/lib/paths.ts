import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where things live, relative to the repository root, so every script agrees. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The benchmarks point the pipeline at synthetic specs and scratch folders with these variables.
export const specRoot = process.env.METORIAL_SPEC_ROOT ?? join(repoRoot, 'spec', 'openapi.yaml');
export const distDir = process.env.METORIAL_DIST_DIR ?? join(repoRoot, 'dist');
export const generatedDir = process.env.METORIAL_GENERATED_DIR ?? join(repoRoot, 'generated');
export const generatedTypes = join(generatedDir, 'schema.d.ts');
export const generatedSpec = join(generatedDir, 'openapi.json');
export const generatedVersionModule = join(generatedDir, 'version.ts');
/** The client's resource methods: their declarations, and the table the client builds them from. */
export const generatedResourceDeclarations = join(generatedDir, 'resources.d.ts');
export const generatedResourceTable = join(generatedDir, 'resource-table.ts');
/** The publishable client package: its package.json (version generated from the spec), README and build output. */
export const clientDir = process.env.METORIAL_CLIENT_DIR ?? join(repoRoot, 'client');
/** The hand-written part of the client's package.json (all but its version) is always the repository's. */
export const clientPackageTemplate = join(repoRoot, 'client', 'package.json');
export const redoclyConfig = join(repoRoot, 'redocly.yaml');
/** The Spectral ruleset: the OWASP API Security ruleset, honouring the `x-lint-waivers` in the spec. */
export const spectralRuleset = process.env.METORIAL_SPECTRAL_RULESET ?? join(repoRoot, '.spectral.js');

/** The entry point of a CLI package's bin, run with this Node so the child pid is the tool itself. */
export const toolBins = {
  redocly: join(repoRoot, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'),
  prism: join(repoRoot, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js'),
  spectral: join(repoRoot, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js'),
} as const;
/** TypeScript 7's native compiler (`@typescript/native-preview`), which type-checks the repository and the tests' snippets. */
export const tsgoBin = join(repoRoot, 'node_modules', '.bin', 'tsgo');

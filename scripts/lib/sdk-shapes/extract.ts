import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { repoRoot } from '../paths.ts';
import { PipelineError } from '../run-tool.ts';
import type { SchemaNode } from '../schema-node.ts';
import { type CatalogEntry, sdkCatalog, sdkErrorType } from './catalog.ts';

/**
 * The answer types of one SDK release, as JSON Schemas of what travels on the wire: the SDK's
 * camelCase names turned back into the API's snake_case, `Date` into a date-time string. Written to
 * test/fixtures/sdk-shapes/ by `npm run sdk:shapes`, and read by test/sdk-samples.test.ts.
 */
export interface SdkShapes {
  /** A short name, such as `magnetar-2026-06-09`. */
  name: string;
  /** Where the types were read: an installed package and its version, or a repository at a commit. */
  source: { package: string; version: string; file: string } | { repository: string; commit: string; date: string; directory: string };
  /** The API version the types describe (the SDK's folder name): `2026-01-01-magnetar`. */
  apiVersion: string;
  /** By our operation id: the SDK's type name and its wire schema. */
  answers: Record<string, { type: string; schema: SchemaNode }>;
  /** The error body the SDK reads, when it declares one. */
  error?: { type: string; schema: SchemaNode };
  /** By our operation id: the SDK's query type of a list and the parameter names it sends. */
  queries: Record<string, { type: string; parameters: string[] }>;
}

/** Where the shapes of each SDK release are kept; test/sdk-samples.test.ts checks every file there. */
export const sdkShapesDir = join(repoRoot, 'test', 'fixtures', 'sdk-shapes');

/** `providerRunId` → `provider_run_id`: the SDK's mapper writes every wire name in snake_case. */
export const wireName = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The schema with every property renamed to its wire name, `required` too, and `$schema` dropped. */
function toWire(node: unknown): SchemaNode {
  if (Array.isArray(node)) return node.map(toWire) as unknown as SchemaNode;
  if (node === null || typeof node !== 'object') return node as SchemaNode;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || (key === 'definitions' && Object.keys(value as object).length === 0)) continue;
    if (key === 'properties') out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [wireName(k), toWire(v)]));
    else if (key === 'required') out[key] = (value as string[]).map(wireName);
    else out[key] = toWire(value);
  }
  return out as SchemaNode;
}

interface TypeSource {
  /** Lines of a TypeScript module that import the SDK's types. */
  imports: string[];
  /** The catalog entries whose types this release declares. */
  entries: CatalogEntry[];
  /** The expression of the error body's type, when the release has it. */
  errorType?: string;
}

/** Runs ts-json-schema-generator once over a module that names every type wanted, one alias each. */
function schemasOf(scratch: string, source: TypeSource): Pick<SdkShapes, 'answers' | 'error' | 'queries'> {
  const aliases = source.entries.flatMap((e) => [
    `export type Answer_${e.operationId} = ${e.output};`,
    ...(e.query ? [`export type Query_${e.operationId} = ${e.query};`] : []),
  ]);
  if (source.errorType) aliases.push(`export type ErrorBody = ${source.errorType};`);
  const root = join(scratch, 'root.ts');
  writeFileSync(root, [...source.imports, ...aliases, ''].join('\n'));
  const generator = createGenerator({ path: root, skipTypeCheck: true, expose: 'none', topRef: false, jsDoc: 'none', additionalProperties: true });
  const schemaOf = (type: string) => toWire(generator.createSchema(type));
  const answers: SdkShapes['answers'] = {};
  const queries: SdkShapes['queries'] = {};
  for (const entry of source.entries) {
    answers[entry.operationId] = { type: entry.output, schema: schemaOf(`Answer_${entry.operationId}`) };
    if (entry.query) {
      const query = schemaOf(`Query_${entry.operationId}`);
      const parameters = new Set<string>();
      const collect = (node: SchemaNode) => {
        Object.keys(node.properties ?? {}).forEach((p) => parameters.add(p));
        [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])].forEach(collect);
      };
      collect(query);
      queries[entry.operationId] = { type: entry.query, parameters: [...parameters].sort() };
    }
  }
  const error = source.errorType ? { type: `${sdkErrorType.name}['${sdkErrorType.member}']`, schema: schemaOf('ErrorBody') } : undefined;
  return { answers, queries, ...(error ? { error } : {}) };
}

/**
 * The shapes of an installed `@metorial/generated` (its default API version, from its package.json
 * `types`), with the error body of the installed `@metorial/util-endpoint` beside it.
 */
export function shapesOfPackage(name: string, packageDir: string): SdkShapes {
  const manifestFile = join(packageDir, 'package.json');
  if (!existsSync(manifestFile)) throw new PipelineError(`No package at ${packageDir}: run npm ci, or pass the folder of an installed @metorial/generated.`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { name: string; version: string; types?: string };
  if (!manifest.types) throw new PipelineError(`${manifest.name} ${manifest.version} names no types file in its package.json.`);
  const typesFile = join(packageDir, manifest.types);
  const declared = readFileSync(typesFile, 'utf8');
  const entries = sdkCatalog.filter((e) => new RegExp(`type ${e.output} =`).test(declared));
  const folder = /mt_(\d{4})_(\d{2})_(\d{2})_([a-z]+)/.exec(manifest.types);
  const endpoint = join(packageDir, '..', 'util-endpoint', 'dist', 'index.d.ts');
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-sdk-shapes-'));
  try {
    // Copied beside the module that names them: the generator resolves relative imports only.
    copyFileSync(typesFile, join(scratch, 'sdk.d.ts'));
    const wanted = entries.flatMap((e) => [e.output, ...(e.query ? [e.query] : [])]);
    const imports = [`import type { ${wanted.join(', ')} } from './sdk';`];
    const hasEndpoint = existsSync(endpoint);
    if (hasEndpoint) {
      copyFileSync(endpoint, join(scratch, 'endpoint.d.ts'));
      imports.push(`import type { ${sdkErrorType.name} } from './endpoint';`);
    }
    const schemas = schemasOf(scratch, { imports, entries, ...(hasEndpoint ? { errorType: `${sdkErrorType.name}['${sdkErrorType.member}']` } : {}) });
    return {
      name,
      source: { package: manifest.name, version: manifest.version, file: manifest.types },
      apiVersion: folder ? `${folder[1]}-${folder[2]}-${folder[3]}-${folder[4]}` : 'unknown',
      ...schemas,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The shapes of one API version's folder (`sdk/gen/src/mt_2026_01_01_magnetar`) of the vendor's SDK
 * repository at a commit, read from a git directory (a clone or a bare mirror) with `git show`.
 */
export function shapesOfCommit(name: string, options: { gitDir: string; commit: string; repository: string; apiFolder: string }): SdkShapes {
  const git = (...args: string[]) => execFileSync('git', ['--git-dir', options.gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let commit: string;
  try {
    commit = git('rev-parse', '--verify', `${options.commit}^{commit}`).trim();
  } catch {
    throw new PipelineError(`${options.gitDir} has no commit ${options.commit}: pass a git directory of ${options.repository} and one of its commits.`);
  }
  const date = git('show', '-s', '--format=%cs', commit).trim();
  const files = new Set(git('ls-tree', '-r', '--name-only', commit).split('\n'));
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-sdk-shapes-'));
  try {
    const copy = (path: string, to: string) => {
      mkdirSync(dirname(join(scratch, to)), { recursive: true });
      writeFileSync(join(scratch, to), git('show', `${commit}:${path}`));
    };
    const entries = sdkCatalog.filter((e) => files.has(`${options.apiFolder}/${e.file}`));
    if (entries.length === 0) throw new PipelineError(`${options.apiFolder} at ${commit} declares none of the types of scripts/lib/sdk-shapes/catalog.ts.`);
    const imports: string[] = [];
    for (const entry of entries) {
      copy(`${options.apiFolder}/${entry.file}`, entry.file);
      const wanted = [entry.output, ...(entry.query ? [entry.query] : [])];
      imports.push(`import type { ${wanted.join(', ')} } from './${entry.file.replace(/\.ts$/, '')}';`);
    }
    const hasError = files.has(sdkErrorType.packageFile);
    if (hasError) {
      copy(sdkErrorType.packageFile, 'util-endpoint/error.ts');
      imports.push(`import type { ${sdkErrorType.name} } from './util-endpoint/error';`);
    }
    const schemas = schemasOf(scratch, { imports, entries, ...(hasError ? { errorType: `${sdkErrorType.name}['${sdkErrorType.member}']` } : {}) });
    const folder = /mt_(\d{4})_(\d{2})_(\d{2})_([a-z]+)/.exec(options.apiFolder);
    return {
      name,
      source: { repository: options.repository, commit, date, directory: options.apiFolder },
      apiVersion: folder ? `${folder[1]}-${folder[2]}-${folder[3]}-${folder[4]}` : 'unknown',
      ...schemas,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

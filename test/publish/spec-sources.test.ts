import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleSpecSource } from '../../scripts/lib/bundle.ts';
import { lintSpec } from '../../scripts/lib/lint.ts';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { checkSpecSources } from '../../scripts/lib/spec-sources.ts';

/**
 * Issue 22, items 8-10: what a build reads. A small spec tree in a scratch folder (its own root),
 * given one hostile file at a time: a YAML alias bomb, a syntax error, a `$ref` out of the tree
 * (absolute, `..`, `file:`, a symlink), a remote `$ref`. Each is refused before any tool resolves it,
 * by an error naming the file, and nothing is fetched.
 */
const scratch = mkdtempSync(join(tmpdir(), 'metorial-spec-sources-'));
const elsewhere = join(scratch, 'elsewhere');
const outsideFile = join(elsewhere, 'raw-inputs.yaml');
let server: Server;
let serverUrl: string;
const requestsSeen: string[] = [];

beforeAll(async () => {
  mkdirSync(elsewhere, { recursive: true });
  writeFileSync(outsideFile, 'type: string\ndescription: SECRET_OUTSIDE_TEXT\n');
  // A server that never answers: a build that fetched from it would hang.
  server = createServer((request) => void requestsSeen.push(request.url ?? ''));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

let specCount = 0;
/** A minimal valid spec tree whose one example file is `exampleFile`, and whose schema is `schemaRef`. */
function specTree(files: { example?: string; schemaRef?: string; extra?: Record<string, string> } = {}): string {
  const dir = join(scratch, `spec-${++specCount}`);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write(
    'openapi.yaml',
    `openapi: 3.1.0
info: {title: t, version: 1.0.0, license: {name: MIT, identifier: MIT}}
servers: [{url: 'https://example.com'}]
security: []
paths:
  /things:
    $ref: paths/things.yaml
`,
  );
  write(
    'paths/things.yaml',
    `get:
  operationId: listThings
  summary: List things
  responses:
    '200':
      description: ok
      content:
        application/json:
          schema:
            $ref: ${JSON.stringify(files.schemaRef ?? '../components/Thing.yaml')}
          examples:
            one:
              $ref: ../components/example.yaml
`,
  );
  write('components/Thing.yaml', 'type: object\nproperties:\n  name: {type: string}\n');
  write('components/example.yaml', files.example ?? 'value: {name: a}\n');
  for (const [path, text] of Object.entries(files.extra ?? {})) write(path, text);
  return join(dir, 'openapi.yaml');
}

/** 6 levels of 10 aliases (10^6 copies of the first list): 419 bytes, as in the issue. */
const aliasBomb = (levels: number) => {
  let text = 'value:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let previous = 'a';
  for (const name of 'bcdefghij'.slice(0, levels - 1)) {
    text += `  ${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]\n`;
    previous = name;
  }
  return text;
};

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the build to refuse');
    },
    (error: unknown) => (error as Error).message,
  );

describe('YAML alias expansion is bounded, naming the file', () => {
  it.each([6, 7, 9])('%i levels of 10 aliases in an example: bundle and lint refuse at once', { timeout: 180_000 }, async (levels) => {
    const spec = specTree({ example: aliasBomb(levels) });
    for (const message of [await refusal(bundleSpecSource(spec)), await refusal(lintSpec(spec))]) {
      expect(message).toContain('components/example.yaml: its YAML aliases (*name) expand to more than 100 copies');
      expect(message).not.toContain('does not exist');
    }
  });

  it('a merge-key bomb (<<: *a) too', async () => {
    let text = 'value:\n  a: &a {x: 1, y: 2}\n';
    let previous = 'a';
    for (const name of 'bcdefg') {
      text += `  ${name}: &${name} [${Array(10).fill(`{<<: *${previous}}`).join(',')}]\n`;
      previous = name;
    }
    expect(await refusal(checkSpecSources(specTree({ example: text })))).toContain('expand to more than 100 copies');
  });

  // Files that cannot hold an alias are read by a faster parser without the bound: whatever way the
  // anchors and aliases are written, the file must still count as one that may hold them.
  const levelsOf = (level: (name: string, previous: string) => string, separator = '') =>
    ['b', 'c', 'd', 'e', 'f'].map((name, i) => level(name, 'abcdef'[i]!)).join(separator);
  const firstList = '["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]';
  it.each([
    ['as a block sequence', `value:\n  a: &a ${firstList}\n${levelsOf((name, previous) => `  ${name}: &${name}\n${Array(10).fill(`    - *${previous}\n`).join('')}`)}`],
    ['one alias per line of a flow sequence', `value:\n  a: &a ${firstList}\n${levelsOf((name, previous) => `  ${name}: &${name} [\n${Array(10).fill(`    *${previous}`).join(',\n')}\n  ]\n`)}`],
    ['with a tab before every anchor and alias', aliasBomb(6).replace(/: &/g, ':\t&').replace(/\[\*/g, '[\t*').replace(/,\*/g, ',\t*')],
    ['in flow mappings', `value:\n  a: &a ${firstList}\n${levelsOf((name, previous) => `  ${name}: &${name} {${Array.from({ length: 10 }, (_, i) => `k${i}: *${previous}`).join(', ')}}\n`)}`],
    ['with each anchor on the line below its key', aliasBomb(6).replace(/: &(\w) /g, ':\n    &$1 ')],
    ['after quoted keys, JSON-like', `value: {"a":&a ${firstList}, ${levelsOf((name, previous) => `"${name}":&${name} {${Array.from({ length: 10 }, (_, i) => `"k${i}":*${previous}`).join(',')}}`, ', ')}}\n`],
  ])('a bomb written %s too', async (_style, text) => {
    expect(await refusal(checkSpecSources(specTree({ example: text })))).toContain('expand to more than 100 copies');
  });

  it('a duplicate key is refused with its line and column, and a description with **bold** & *emphasis* is read as text', async () => {
    expect(await refusal(checkSpecSources(specTree({ example: 'value:\n  name: a\n  name: b\n' })))).toMatch(/components\/example\.yaml line 3, column 3: not valid YAML: Map keys must be unique/);
    const markdown = specTree({ extra: { 'components/Thing.yaml': 'type: object\ndescription: A **bold** & *emphasis* text, at 2*3 & more.\nproperties:\n  name: {type: string}\n' } });
    await expect(checkSpecSources(markdown)).resolves.toBeUndefined();
  });

  it('a few aliases are fine, and bundle to their values', { timeout: 180_000 }, async () => {
    const fewAliases = specTree({ extra: { 'components/Thing.yaml': 'type: object\nproperties:\n  a: &s {type: string}\n  b: *s\n  c: *s\n' } });
    const document = (await bundleSpecSource(fewAliases)) as any;
    expect(document.components.schemas.Thing.properties).toEqual({ a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } });
  });

  it('a YAML syntax error names the file, line and column, without the missing-file hint', async () => {
    const message = await refusal(bundleSpecSource(specTree({ example: 'value:\n  name: [a, b\n' })));
    expect(message).toMatch(/components\/example\.yaml line \d+, column \d+: not valid YAML/);
    expect(message).not.toMatch(/does not exist|cannot be resolved/);
  });
});

describe('a $ref reads only the files of the spec\'s own tree', () => {
  it.each([
    ['an absolute path', () => outsideFile],
    ['a relative path out of the tree', () => '../../elsewhere/raw-inputs.yaml'],
    ['a percent-encoded relative path', () => '%2e%2e/%2e%2e/elsewhere/raw-inputs.yaml'],
    ['a file: URL', () => `file://${outsideFile}`],
  ])('%s is refused, naming the $ref and the file that holds it', async (_, ref) => {
    const spec = specTree({ schemaRef: ref() });
    for (const message of [await refusal(bundleSpecSource(spec)), await refusal(lintSpec(spec))]) {
      expect(message).toContain(`paths/things.yaml: $ref "${ref()}" points outside the repository (${outsideFile})`);
      expect(message).not.toContain('SECRET_OUTSIDE_TEXT');
    }
  });

  it('a symlink in the tree that leads out of it is refused', async () => {
    const spec = specTree();
    rmSync(join(dirname(spec), 'components', 'Thing.yaml'));
    symlinkSync(outsideFile, join(dirname(spec), 'components', 'Thing.yaml'));
    expect(await refusal(checkSpecSources(spec))).toContain(`$ref "../components/Thing.yaml" points outside the repository (${outsideFile})`);
  });

  it('a $ref to a missing file names it', async () => {
    const message = await refusal(checkSpecSources(specTree({ schemaRef: '../components/Nope.yaml' })));
    expect(message).toMatch(/paths\/things\.yaml: \$ref "\.\.\/components\/Nope\.yaml" points to .*components\/Nope\.yaml, which does not exist/);
  });

  it("the repository's own spec passes", async () => {
    await expect(checkSpecSources(join(repoRoot, 'spec', 'openapi.yaml'))).resolves.toBeUndefined();
  });
});

describe('a remote $ref is not fetched unless asked, and then with a timeout', () => {
  it.each([
    ['http', () => `${serverUrl}/schema.yaml`],
    ['https', () => 'https://127.0.0.1:1/schema.yaml'],
    ['protocol-relative', () => `//127.0.0.1:${new URL(serverUrl).port}/schema.yaml`],
  ])('%s: bundle and lint refuse at once, and nothing is requested', async (_, ref) => {
    requestsSeen.length = 0;
    const spec = specTree({ schemaRef: ref() });
    for (const message of [await refusal(bundleSpecSource(spec)), await refusal(lintSpec(spec))]) {
      expect(message).toContain('is remote. A build reads no network unless asked');
      expect(message).toContain('METORIAL_ALLOW_REMOTE_REFS=1');
    }
    expect(requestsSeen).toEqual([]);
  });

  it('in a file reached by a $ref too', async () => {
    const spec = specTree({ extra: { 'components/Thing.yaml': `type: object\nproperties:\n  x:\n    $ref: '${serverUrl}/deep.yaml#/X'\n` } });
    expect(await refusal(checkSpecSources(spec))).toContain(`components/Thing.yaml: $ref "${serverUrl}/deep.yaml#/X" is remote`);
    expect(requestsSeen).toEqual([]);
  });

  it('asked for, a server that never answers fails within the timeout, naming the URL', async () => {
    const spec = specTree({ schemaRef: `${serverUrl}/hangs.yaml` });
    const message = await refusal(checkSpecSources(spec, { allowRemoteRefs: true, remoteTimeoutMs: 500 }));
    expect(message).toContain(`$ref ${serverUrl}/hangs.yaml: no answer within 0.5 s`);
  });
});

describe('npm run build with a hostile spec', () => {
  it('stops before writing anything, says why in a sentence, and prints no stack', { timeout: 240_000 }, async () => {
    const out = join(scratch, 'build-out');
    mkdirSync(out, { recursive: true });
    const spec = specTree({ schemaRef: outsideFile });
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'build.ts')], {
      cwd: repoRoot,
      env: { ...process.env, METORIAL_SPEC_ROOT: spec, METORIAL_DIST_DIR: join(out, 'dist'), METORIAL_GENERATED_DIR: join(out, 'generated'), METORIAL_CLIENT_DIR: join(out, 'client') },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`points outside the repository (${outsideFile})`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(join(out, 'dist'))).toBe(false);
  });
});

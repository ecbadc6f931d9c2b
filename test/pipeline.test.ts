import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { writeFileAtomic } from '../scripts/lib/atomic-write.ts';
import { findStaleGeneratedFiles, staleMessage } from '../scripts/lib/generated.ts';
import { lintSpec } from '../scripts/lib/lint.ts';
import { repoRoot } from '../scripts/lib/paths.ts';
import type { OpenAPI3 } from 'openapi-typescript';
import { parse } from 'yaml';

const scratch = mkdtempSync(join(tmpdir(), 'metorial-pipeline-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const bundled = (): OpenAPI3 => JSON.parse(readFileSync(inject('specFile'), 'utf8')) as OpenAPI3;

describe('generated/', () => {
  it('is up to date with the spec', async () => {
    const stale = await findStaleGeneratedFiles(bundled());
    expect(stale, stale.length ? staleMessage(stale) : '').toEqual([]);
  });

  it('is reported stale, with the command that fixes it, when the spec changes', async () => {
    const changed = bundled();
    changed.info.description = `${changed.info.description ?? ''}\nA change.`;
    (changed.components!.schemas!.Pagination as { description?: string }).description = 'Changed';
    const stale = await findStaleGeneratedFiles(changed);
    expect(stale.sort()).toEqual(['generated/openapi.json', 'generated/schema.d.ts']);
    expect(staleMessage(stale)).toContain('npm run generate');
  });

  it("reports the client package's version stale when info.version changes, as the package follows it", async () => {
    const changed = bundled();
    // The next major version, whatever the spec's version is now.
    changed.info.version = `${Number(changed.info.version.split('.')[0]) + 1}.0.0`;
    const stale = await findStaleGeneratedFiles(changed);
    expect(stale).toEqual(expect.arrayContaining(['client/package.json', 'generated/version.ts']));
  });

  it('refuses an info.version that is not SemVer, since the client package takes it as its version', async () => {
    const changed = bundled();
    changed.info.version = '2026-01';
    await expect(findStaleGeneratedFiles(changed)).rejects.toThrow(/info\.version "2026-01" .* is not a SemVer version/);
  });
});

describe('lint', () => {
  // The spec itself passing lint is checked by the build (test/publish/dist.test.ts), which lints first.
  // One copy of the spec breaks both linters' rules, so one run shows each tool reporting its own.
  it('fails on a convention break and on a new unbounded request string or array, each under the tool and rule that found it', async () => {
    const copy = join(scratch, 'spec-broken');
    cpSync(join(repoRoot, 'spec'), copy, { recursive: true });
    const edit = (file: string, from: string, to: string) => {
      const path = join(copy, file);
      const text = readFileSync(path, 'utf8');
      expect(text).toContain(from);
      writeFileSync(path, text.replace(from, to));
    };
    // Redocly: an operation id that breaks our naming convention.
    edit('paths/runs_{run_id}.yaml', 'operationId: getRun', 'operationId: Fetch_Run');
    // OWASP: a body field, a query parameter and a body array, each with no bound: places the waivers do not name.
    edit('components/schemas/CreateRunRequest.yaml', 'properties:\n', 'properties:\n  note:\n    type: string\n    description: A note.\n  tags:\n    type: array\n    description: Tags.\n    items:\n      type: string\n      enum: [a, b]\n');
    edit('paths/runs.yaml', '    - $ref: ../components/parameters/Limit.yaml\n', '    - $ref: ../components/parameters/Limit.yaml\n    - name: search\n      in: query\n      description: Search.\n      schema:\n        type: string\n');

    const failure = await lintSpec(join(copy, 'openapi.yaml')).then(
      () => expect.fail('lint passed'),
      (error: Error) => error.message,
    );
    const [redocly = '', spectral = ''] = failure.split(/^(?=Spectral, OWASP)/m);
    expect(redocly).toMatch(/^Redocly \(redocly\.yaml\)/m);
    expect(redocly).toMatch(/rule\/operation-id-lower-camel-verb-noun/);
    expect(redocly).not.toMatch(/owasp:/);
    const finding = (rule: string, place: string, file: string) =>
      new RegExp(`^spectral +(error|warning) +owasp:api4:2023-${rule} +dist/openapi\\.json${place.replace(/[~.]/g, '\\$&')} \\(\\S*/spec-broken/${file.replace('.', '\\.')}\\)$`, 'm');
    expect(spectral).toMatch(finding('string-limit', '#/components/schemas/CreateRunRequest/properties/note', 'components/schemas/CreateRunRequest.yaml'));
    expect(spectral).toMatch(finding('string-restricted', '#/components/schemas/CreateRunRequest/properties/note', 'components/schemas/CreateRunRequest.yaml'));
    expect(spectral).toMatch(finding('array-limit', '#/components/schemas/CreateRunRequest/properties/tags', 'components/schemas/CreateRunRequest.yaml'));
    expect(spectral).toMatch(finding('string-limit', '#/paths/~1runs/get/parameters/1/schema', 'paths/runs.yaml'));
    expect(spectral).toMatch(/Spectral, OWASP API Security ruleset \(\.spectral\.yaml\), 3 error\(s\) and 2 warning\(s\)/);
    expect(spectral).not.toMatch(/operation-id-lower-camel/);
    expect(failure).toContain('npm run lint');
  });
});

describe('the OWASP ruleset waivers (.spectral.yaml)', () => {
  interface Override {
    files: string[];
    rules: Record<string, unknown>;
  }
  const ruleset = parse(readFileSync(join(repoRoot, '.spectral.yaml'), 'utf8')) as { extends: unknown; rules?: unknown; overrides: Override[] };
  const pointers = ruleset.overrides.flatMap((override) => override.files);

  it('switches no rule off for the whole document: every waiver names places in the bundle', () => {
    expect(ruleset.extends).toEqual(['@stoplight/spectral-owasp-ruleset']);
    expect(ruleset.rules).toBeUndefined();
    expect(pointers.length).toBeGreaterThan(0);
    for (const override of ruleset.overrides) {
      expect(override.files.length).toBeGreaterThan(0);
      for (const file of override.files) expect(file).toMatch(/^dist\/openapi\.json#\/.+/);
      for (const severity of Object.values(override.rules)) expect(severity).toBe('off');
    }
  });

  it('names only places that exist in the bundle, so a waiver never outlives what it waived', () => {
    const document = bundled();
    const missing = pointers.filter((file) => {
      const tokens = file.slice(file.indexOf('#/') + 2).split('/').map((token) => decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~'));
      let node: unknown = document;
      for (const token of tokens) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[token] : undefined;
      return node === undefined;
    });
    expect(missing).toEqual([]);
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file behind', () => {
    const target = join(scratch, 'nested', 'out.txt');
    writeFileAtomic(target, 'first');
    writeFileAtomic(target, 'second');
    expect(readFileSync(target, 'utf8')).toBe('second');
    expect(readdirSync(join(scratch, 'nested'))).toEqual(['out.txt']);
  });

  it('cleans up its temporary file when the final rename fails', () => {
    const folder = join(scratch, 'failing');
    const target = join(folder, 'occupied');
    mkdirSync(join(target, 'child'), { recursive: true }); // a non-empty directory cannot be renamed over
    expect(() => writeFileAtomic(target, 'new')).toThrow();
    expect(readdirSync(folder)).toEqual(['occupied']);
    expect(readdirSync(target)).toEqual(['child']);
  });
});

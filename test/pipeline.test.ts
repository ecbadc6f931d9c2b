import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { writeFileAtomic } from '../scripts/lib/atomic-write.ts';
import { findStaleGeneratedFiles, staleMessage } from '../scripts/lib/generated.ts';
import { lintSpec } from '../scripts/lib/lint.ts';
import { repoRoot } from '../scripts/lib/paths.ts';
import type { OpenAPI3 } from 'openapi-typescript';

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
    changed.info.version = '2.0.0';
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
  it('reports zero errors and zero warnings on the spec', async () => {
    await expect(lintSpec()).resolves.toMatchObject({ errors: 0, warnings: 0 });
  });

  it('fails on a convention break, naming the rule and the file', async () => {
    const copy = join(scratch, 'spec');
    cpSync(join(repoRoot, 'spec'), copy, { recursive: true });
    const pathFile = join(copy, 'paths', 'runs_{run_id}.yaml');
    writeFileSync(pathFile, readFileSync(pathFile, 'utf8').replace('operationId: getRun', 'operationId: Fetch_Run'));
    await expect(lintSpec(join(copy, 'openapi.yaml'))).rejects.toThrow(/rule\/operation-id-lower-camel-verb-noun[\s\S]*npm run lint/);
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

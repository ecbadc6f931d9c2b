import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { releasedVersions, releasesDir } from '../../scripts/lib/breaking/baseline.ts';
import type { Change } from '../../scripts/lib/breaking/change.ts';
import { buildReport, gatePasses } from '../../scripts/lib/breaking/report.ts';
import { repoRoot } from '../../scripts/lib/paths.ts';

const scratch = mkdtempSync(join(tmpdir(), 'metorial-gate-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const removal: Change = { severity: 'breaking', rule: 'operation-removed', operation: 'GET /things', location: '', message: 'the operation was removed' };
const addition: Change = { severity: 'non-breaking', rule: 'operation-added', operation: 'GET /widgets', location: '', message: 'new operation' };

describe('the gate', () => {
  it('fails on a breaking change that the version does not acknowledge', () => {
    expect(gatePasses(buildReport([removal], { label: 'base', version: '1.4.0' }, { label: 'head', version: '1.5.0' }))).toBe(false);
  });

  it('passes a breaking change acknowledged by a major version bump', () => {
    expect(gatePasses(buildReport([removal], { label: 'base', version: '1.4.0' }, { label: 'head', version: '2.0.0' }))).toBe(true);
  });

  it('passes changes that break no one', () => {
    expect(gatePasses(buildReport([addition], { label: 'base', version: '1.4.0' }, { label: 'head', version: '1.4.0' }))).toBe(true);
  });
});

function runBreaking(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'breaking.ts'), ...args], { cwd: repoRoot }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

// The first check runs as CI does (bundling spec/); the others compare with the suite's bundle of
// the same spec (--head-file), side by side.
describe.concurrent('npm run breaking', () => {
  it('passes the gate for the spec against its latest release, as CI runs it', { timeout: 60_000 }, async () => {
    expect(releasedVersions().length, `a release recorded in ${releasesDir}`).toBeGreaterThan(0);
    const { code, stdout } = await runBreaking(['--gate']);
    expect(stdout).toContain(`Changes from release ${releasedVersions().at(-1)}`);
    expect(code, stdout).toBe(0);
  });

  it('fails the gate, says how to acknowledge, and writes both reports, when an operation is gone', { timeout: 60_000 }, async () => {
    const latest = JSON.parse(readFileSync(join(releasesDir, `${releasedVersions().at(-1)}.json`), 'utf8'));
    latest.paths['/retired'] = { get: { operationId: 'listRetired', responses: { '200': { description: 'ok' } } } };
    // At the spec's own version, so that no major bump acknowledges the removal, even one not yet released.
    latest.info.version = (parse(readFileSync(join(repoRoot, 'spec', 'openapi.yaml'), 'utf8')) as { info: { version: string } }).info.version;
    const baseFile = join(scratch, 'with-retired.json');
    writeFileSync(baseFile, JSON.stringify(latest));
    const markdown = join(scratch, 'report.md');
    const json = join(scratch, 'report.json');
    const { code, stdout } = await runBreaking(['--base-file', baseFile, '--head-file', inject('specFile'), '--gate', '--markdown', markdown, '--json', json]);
    expect(code).toBe(1);
    expect(stdout).toContain('✖ the operation was removed (operation-removed)');
    expect(stdout).toContain('raise the major version of info.version');
    expect(readFileSync(markdown, 'utf8')).toContain('- `GET /retired`');
    // Among the changes not released yet, if any.
    expect(JSON.parse(readFileSync(json, 'utf8')).breaking).toContainEqual(expect.objectContaining({ rule: 'operation-removed', operation: 'GET /retired' }));
  });

  it('refuses a Swagger 2.0 baseline and says to convert it', { timeout: 60_000 }, async () => {
    const baseFile = join(scratch, 'swagger.json');
    writeFileSync(baseFile, JSON.stringify({ swagger: '2.0', info: { title: 'Old', version: '1.0.0' }, paths: {} }));
    const { code, stderr } = await runBreaking(['--base-file', baseFile, '--head-file', inject('specFile'), '--gate']);
    expect(code).toBe(1);
    expect(stderr).toContain('The base spec is Swagger 2.0; the breaking-change check reads OpenAPI 3.0 and 3.1. Convert it to OpenAPI 3 first');
  });

  it('says what to do with a baseline or a head it cannot read', { timeout: 60_000 }, async () => {
    const [noRef, noHead] = await Promise.all([
      runBreaking(['--base', 'no-such-ref', '--head-file', inject('specFile')]),
      runBreaking(['--head-file', join(scratch, 'missing.yaml')]),
    ]);
    expect(noRef.code).toBe(1);
    expect(noRef.stderr).toContain('There is no git ref "no-such-ref" here');
    expect(noHead.code).toBe(1);
    expect(noHead.stderr).toContain(`No spec at ${join(scratch, 'missing.yaml')}. Pass the path of an OpenAPI document with --head-file.`);
  });
});

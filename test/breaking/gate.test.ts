import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { releasedVersions, releasesDir } from '../../scripts/lib/breaking/baseline.ts';
import type { Change } from '../../scripts/lib/breaking/change.ts';
import { buildReport, changeGatePasses, gatePasses } from '../../scripts/lib/breaking/report.ts';
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

describe('the per-change gate', () => {
  const labels = [{ label: 'base', version: '2.0.0' }, { label: 'head', version: '2.0.0' }] as const;
  it('fails on a breaking change new in the change, even within an unreleased major version', () => {
    expect(changeGatePasses(buildReport([removal], ...labels))).toBe(false);
  });

  it('passes it when an acknowledgement names its rule and place, and no other', () => {
    const reason = 'Things are widgets now.';
    expect(changeGatePasses(buildReport([removal], ...labels, { acknowledgements: [{ rule: 'operation-removed', operation: 'GET /things', reason }] }))).toBe(true);
    expect(changeGatePasses(buildReport([removal], ...labels, { acknowledgements: [{ rule: 'operation-removed', operation: 'GET /widgets', reason }] }))).toBe(false);
    expect(changeGatePasses(buildReport([removal], ...labels, { acknowledgements: [{ rule: 'parameter-removed', operation: 'GET /things', reason }] }))).toBe(false);
  });

  it('acknowledges a shared component by name, in every operation it reaches', () => {
    const inComponent = (operation: string): Change => ({ ...removal, rule: 'response-field-removed', operation, location: 'response 200 body id', component: '#/components/schemas/Thing', componentLocation: 'id' });
    const acknowledgements = [{ rule: 'response-field-removed', component: 'schemas/Thing', location: 'id', reason: 'Ids moved.' }];
    expect(changeGatePasses(buildReport([inComponent('GET /things'), inComponent('GET /things/{}')], ...labels, { acknowledgements }))).toBe(true);
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
  it('passes the gate for the spec against its latest release, as CI runs it', { timeout: 600_000 }, async () => {
    expect(releasedVersions().length, `a release recorded in ${releasesDir}`).toBeGreaterThan(0);
    const { code, stdout } = await runBreaking(['--gate']);
    expect(stdout).toContain(`Changes from release ${releasedVersions().at(-1)}`);
    expect(code, stdout).toBe(0);
  });

  it('fails the gate on a removal new in this change, says how to acknowledge it, and writes both reports', { timeout: 600_000 }, async () => {
    // The base is the spec itself with one more operation, at the same version: the change removes it, and
    // a major version bump since the release does not acknowledge a change made after it.
    const base = JSON.parse(readFileSync(inject('specFile'), 'utf8'));
    base.paths['/retired'] = { get: { operationId: 'listRetired', responses: { '200': { description: 'ok' } } } };
    const baseFile = join(scratch, 'with-retired.json');
    writeFileSync(baseFile, JSON.stringify(base));
    const markdown = join(scratch, 'report.md');
    const json = join(scratch, 'report.json');
    const { code, stdout } = await runBreaking(['--base-file', baseFile, '--head-file', inject('specFile'), '--gate', '--markdown', markdown, '--json', json]);
    expect(code).toBe(1);
    expect(stdout).toContain(`This change, against ${baseFile}:`);
    expect(stdout).toContain('✖ the operation was removed (operation-removed)');
    expect(stdout).toContain('✖ 1 breaking change(s) new in this change, not acknowledged:\n  GET /retired: the operation was removed (operation-removed). Stop calling this operation.');
    expect(stdout).toContain("acknowledged:\n  - rule: operation-removed\n    operation: 'GET /retired'\n    reason: <why callers must accept this, for the changelog>");
    expect(readFileSync(markdown, 'utf8')).toContain('- **`GET /retired`**');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.change.breaking).toContainEqual(expect.objectContaining({ rule: 'operation-removed', operation: 'GET /retired' }));
    expect(report.change.changes).toContainEqual(expect.objectContaining({ id: 'operation-removed', level: 'error', path: '/retired', operationId: 'listRetired' }));
  });

  it('refuses a Swagger 2.0 baseline and says to convert it', { timeout: 600_000 }, async () => {
    const baseFile = join(scratch, 'swagger.json');
    writeFileSync(baseFile, JSON.stringify({ swagger: '2.0', info: { title: 'Old', version: '1.0.0' }, paths: {} }));
    const { code, stderr } = await runBreaking(['--base-file', baseFile, '--head-file', inject('specFile'), '--gate']);
    expect(code).toBe(1);
    expect(stderr).toContain('The base spec is Swagger 2.0; the breaking-change check reads OpenAPI 3.0 and 3.1. Convert it to OpenAPI 3 first');
  });

  it('says what to do with a baseline or a head it cannot read', { timeout: 600_000 }, async () => {
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

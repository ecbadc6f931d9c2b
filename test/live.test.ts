import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPI3 } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkLiveServer, type LiveReport } from '../scripts/lib/live.ts';
import { repoRoot } from '../scripts/lib/paths.ts';
import { findFreePort } from '../scripts/lib/prism.ts';
import { operationsOf } from '../scripts/lib/spec-requests.ts';
import { ContractUpstream } from './support/contract-upstream.ts';

const specFile = inject('specFile');
const document = JSON.parse(readFileSync(specFile, 'utf8')) as OpenAPI3;
const apiKey = 'metorial_sk_live_mode_test';
// Two upstreams, so the checks against each run side by side.
const upstream = new ContractUpstream(document);
const breakingUpstream = new ContractUpstream(document);
let server: string;
let breakingServer: string;
const scratch = mkdtempSync(join(tmpdir(), 'metorial-live-test-'));

beforeAll(async () => {
  [server, breakingServer] = await Promise.all([upstream.start(), breakingUpstream.start()]);
});
afterAll(async () => {
  await Promise.all([upstream.stop(), breakingUpstream.stop()]);
  rmSync(scratch, { recursive: true, force: true });
});

/** The CLI, as a user runs it: its exit code, its printed report and its JSON report. */
async function runLiveCli(args: string[]): Promise<{ code: number; stdout: string; report: LiveReport }> {
  const reportFile = join(scratch, `report-${Date.now()}.json`);
  const cli = promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'live.ts'), ...args, '--report', reportFile], {
    cwd: repoRoot,
    env: { ...process.env, METORIAL_API_KEY: apiKey },
  });
  const { code, stdout } = await cli.then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  return { code, stdout, report: JSON.parse(readFileSync(reportFile, 'utf8')) as LiveReport };
}

const violationsOf = (report: LiveReport, operationId: string) => report.results.find((r) => r.operationId === operationId)?.violations ?? [];

describe.concurrent('the live-server check, against an upstream that keeps the contract', () => {
  it('calls every operation and reports no violation; the CLI, bundling spec/ itself, exits 0', { timeout: 120_000 }, async () => {
    const { code, stdout, report } = await runLiveCli(['--url', server, '--include-writes']);
    expect(report.results.map((r) => r.operationId).sort()).toEqual(operationsOf(document).map((op) => op.operationId).sort());
    expect(report.results.every((r) => r.status === 200), stdout).toBe(true);
    expect(report.violations, stdout).toBe(0);
    expect(code).toBe(0);
  });

  it('leaves the writes out unless asked', async () => {
    const report = await checkLiveServer({ server, apiKey, specFile });
    expect(report.skipped.map((s) => s.operationId).sort()).toEqual(['createRun', 'createSessionTemplateProvider', 'deleteSessionTemplateProvider', 'updateSessionTemplateProvider']);
    expect(report.results.every((r) => r.method === 'GET')).toBe(true);
  });
});

describe.concurrent('the live-server check, against an upstream that breaks the contract', () => {
  it('reports each break on its own operation, and only there; the CLI, given the bundle with --spec, exits 1', { timeout: 120_000 }, async () => {
    breakingUpstream.breaks = new Map([
      ['listRuns', 'undocumented-field'],
      ['getProviderRun', 'wrong-type'],
      ['listServerRuns', 'missing-required'],
      ['getSessionError', 'wrong-status'],
    ]);
    const { code, stdout, report } = await runLiveCli(['--url', breakingServer, '--spec', specFile]);
    expect(code).toBe(1);
    expect(violationsOf(report, 'listRuns')).toContainEqual(expect.objectContaining({ side: 'response', location: 'response.body', message: expect.stringContaining('undocumented_field') }));
    expect(violationsOf(report, 'getProviderRun')).toContainEqual(expect.objectContaining({ side: 'response', location: 'response.body.object' }));
    expect(violationsOf(report, 'listServerRuns')).toContainEqual(
      expect.objectContaining({ side: 'response', message: expect.stringContaining(`'${breakingUpstream.lastRequiredField('listServerRuns')}'`) }),
    );
    expect(violationsOf(report, 'getSessionError')).toContainEqual(expect.objectContaining({ side: 'response', location: 'response', message: expect.stringContaining('status code') }));
    const clean = report.results.filter((r) => !['listRuns', 'getProviderRun', 'listServerRuns', 'getSessionError'].includes(r.operationId));
    expect(clean.filter((r) => r.violations.length > 0).map((r) => r.operationId), stdout).toEqual([]);
    expect(stdout).toContain('✖ listRuns');
  });
});

it('says what to fix when the server does not answer, no key is given, or --spec is not a bundled spec', async () => {
  const closed = `http://127.0.0.1:${await findFreePort()}`;
  const notJson = join(scratch, 'not-a-spec.yaml');
  writeFileSync(notJson, 'openapi: 3.1.0\n');
  const [unreachable, keyless, missingSpec, yamlSpec] = await Promise.all([
    runLiveCliRaw(['--url', closed, '--spec', specFile], { METORIAL_API_KEY: apiKey }),
    runLiveCliRaw(['--url', server], { METORIAL_API_KEY: '' }),
    runLiveCliRaw(['--url', server, '--spec', join(scratch, 'missing.json')], { METORIAL_API_KEY: apiKey }),
    runLiveCliRaw(['--url', server, '--spec', notJson], { METORIAL_API_KEY: apiKey }),
  ]);
  expect(unreachable.code).toBe(1);
  expect(unreachable.stderr).toContain(`Nothing answers at ${closed}: fetch failed (ECONNREFUSED)`);
  expect(keyless.stderr).toContain('pass --key or set METORIAL_API_KEY');
  expect(missingSpec.code).toBe(1);
  expect(missingSpec.stderr).toContain('missing.json: no such file. Pass a bundled spec in JSON');
  expect(yamlSpec.code).toBe(1);
  expect(yamlSpec.stderr).toContain('not-a-spec.yaml is not JSON');
});

async function runLiveCliRaw(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'live.ts'), ...args], { cwd: repoRoot, env: { ...process.env, ...env } }).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

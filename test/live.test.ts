import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const upstream = new ContractUpstream(document);
let server: string;
const scratch = mkdtempSync(join(tmpdir(), 'metorial-live-test-'));

beforeAll(async () => {
  server = await upstream.start();
});
afterAll(async () => {
  await upstream.stop();
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

describe('the live-server check, against an upstream that keeps the contract', () => {
  it('calls every operation and reports no violation; the CLI exits 0', { timeout: 120_000 }, async () => {
    upstream.breaks.clear();
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

describe('the live-server check, against an upstream that breaks the contract', () => {
  it('reports each break on its own operation, and only there; the CLI exits 1', { timeout: 120_000 }, async () => {
    upstream.breaks = new Map([
      ['listRuns', 'undocumented-field'],
      ['getProviderRun', 'wrong-type'],
      ['listServerRuns', 'missing-required'],
      ['getSessionError', 'wrong-status'],
    ]);
    const { code, stdout, report } = await runLiveCli(['--url', server]);
    expect(code).toBe(1);
    expect(violationsOf(report, 'listRuns')).toContainEqual(expect.objectContaining({ side: 'response', location: 'response.body', message: expect.stringContaining('undocumented_field') }));
    expect(violationsOf(report, 'getProviderRun')).toContainEqual(expect.objectContaining({ side: 'response', location: 'response.body.object' }));
    expect(violationsOf(report, 'listServerRuns')).toContainEqual(
      expect.objectContaining({ side: 'response', message: expect.stringContaining(`'${upstream.lastRequiredField('listServerRuns')}'`) }),
    );
    expect(violationsOf(report, 'getSessionError')).toContainEqual(expect.objectContaining({ side: 'response', location: 'response', message: expect.stringContaining('status code') }));
    const clean = report.results.filter((r) => !['listRuns', 'getProviderRun', 'listServerRuns', 'getSessionError'].includes(r.operationId));
    expect(clean.filter((r) => r.violations.length > 0).map((r) => r.operationId), stdout).toEqual([]);
    expect(stdout).toContain('✖ listRuns');
  });
});

it('says what to fix when the server does not answer or no key is given', async () => {
  const closed = `http://127.0.0.1:${await findFreePort()}`;
  const unreachable = await runLiveCliRaw(['--url', closed], { METORIAL_API_KEY: apiKey });
  expect(unreachable.code).toBe(1);
  expect(unreachable.stderr).toContain(`Nothing answers at ${closed}: fetch failed (ECONNREFUSED)`);
  const keyless = await runLiveCliRaw(['--url', server], { METORIAL_API_KEY: '' });
  expect(keyless.stderr).toContain('pass --key or set METORIAL_API_KEY');
});

async function runLiveCliRaw(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'live.ts'), ...args], { cwd: repoRoot, env: { ...process.env, ...env } }).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPI3 } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkNames, writeChecks } from '../scripts/lib/checks/findings.ts';
import { Ledger, WriteRefusedError } from '../scripts/lib/checks/ledger.ts';
import { creationsOf } from '../scripts/lib/checks/links.ts';
import { checkLiveServer, formatLiveReport, type LiveReport } from '../scripts/lib/live.ts';
import { repoRoot } from '../scripts/lib/paths.ts';
import { findFreePort } from '../scripts/lib/prism.ts';
import { operationsOf } from '../scripts/lib/spec-requests.ts';
import { BehaviourUpstream } from './support/behaviour-upstream.ts';
import { ContractUpstream, type RecordedRequest } from './support/contract-upstream.ts';

const specFile = inject('specFile');
const document = JSON.parse(readFileSync(specFile, 'utf8')) as OpenAPI3;
const apiKey = 'metorial_sk_live_mode_test';
// Two upstreams, so the checks against each run side by side.
const upstream = new ContractUpstream(document);
const breakingUpstream = new ContractUpstream(document);
const driftingUpstream = new ContractUpstream(document);
let server: string;
let breakingServer: string;
let driftingServer: string;
const scratch = mkdtempSync(join(tmpdir(), 'metorial-live-test-'));

beforeAll(async () => {
  [server, breakingServer, driftingServer] = await Promise.all([upstream.start(), breakingUpstream.start(), driftingUpstream.start()]);
});
afterAll(async () => {
  await Promise.all([upstream.stop(), breakingUpstream.stop(), driftingUpstream.stop()]);
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
  it('calls every operation and reports no violation; the CLI, bundling spec/ itself, exits 0', { timeout: 180_000 }, async () => {
    const { code, stdout, report } = await runLiveCli(['--url', server, '--include-writes', '--confirm-writes-to', server, '--allow-irreversible', 'createRun', '--checks', 'none']);
    expect(report.results.map((r) => r.operationId).sort()).toEqual(operationsOf(document).map((op) => op.operationId).sort());
    expect(report.results.every((r) => r.status === 200), stdout).toBe(true);
    expect(report.violations, stdout).toBe(0);
    expect(code).toBe(0);
  });

  it('leaves the writes out unless asked', { timeout: 180_000 }, async () => {
    const report = await checkLiveServer({ server, apiKey, specFile, checks: [] });
    expect(report.skipped.map((s) => s.operationId).sort()).toEqual(['createRun', 'createSessionTemplateProvider', 'deleteSessionTemplateProvider', 'updateSessionTemplateProvider']);
    expect(report.results.every((r) => r.method === 'GET')).toBe(true);
    expect(report.objects).toEqual([]);
  });
});

describe.concurrent('the live-server check, against an upstream that breaks the contract', () => {
  it('reports each break on its own operation, and only there; the CLI, given the bundle with --spec, exits 1', { timeout: 180_000 }, async () => {
    breakingUpstream.breaks = new Map([
      ['listRuns', 'wrong-type'],
      ['getProviderRun', 'wrong-type'],
      ['listServerRuns', 'missing-required'],
      ['getSessionError', 'wrong-status'],
    ]);
    const { code, stdout, report } = await runLiveCli(['--url', breakingServer, '--spec', specFile, '--checks', 'none']);
    expect(code).toBe(1);
    expect(violationsOf(report, 'listRuns')).toContainEqual(expect.objectContaining({ side: 'response', location: 'response.body.object' }));
    expect(violationsOf(report, 'getProviderRun')).toContainEqual(expect.objectContaining({ side: 'response', location: 'response.body.object' }));
    // Prism answers a broken response with its own problem document: that is no drift of the server's.
    expect(report.results.find((r) => r.operationId === 'getProviderRun')?.drift?.undocumented).toEqual([]);
    expect(violationsOf(report, 'listServerRuns')).toContainEqual(
      expect.objectContaining({ side: 'response', message: expect.stringContaining(`'${breakingUpstream.lastRequiredField('listServerRuns')}'`) }),
    );
    expect(violationsOf(report, 'getSessionError')).toContainEqual(expect.objectContaining({ side: 'response', location: 'response', message: expect.stringContaining('status code') }));
    const clean = report.results.filter((r) => !['listRuns', 'getProviderRun', 'listServerRuns', 'getSessionError'].includes(r.operationId));
    expect(clean.filter((r) => r.violations.length > 0).map((r) => r.operationId), stdout).toEqual([]);
    expect(stdout).toContain('✖ listRuns');
  });
});

// One after the other: both tests set what the one drifting upstream adds.
describe('the live-server check, against an upstream that adds fields the spec does not document', () => {
  it('reports each as drift by operation and place, and the shape each answer took, without a violation', { timeout: 120_000 }, async () => {
    driftingUpstream.breaks = new Map([
      ['listRuns', 'undocumented-field'],
      ['getServerRun', 'undocumented-nested-field'],
    ]);
    const report = await checkLiveServer({ server: driftingServer, apiKey, specFile, checks: [] });
    expect(report.violations).toBe(0);
    expect(report.undocumentedFields).toBe(2);
    const driftOf = (operationId: string) => report.results.find((r) => r.operationId === operationId)?.drift;
    expect(driftOf('listRuns')?.undocumented).toEqual([{ location: 'response.body.undocumented_field', field: 'undocumented_field', schema: 'RunList', count: 1 }]);
    expect(driftOf('getServerRun')?.undocumented).toEqual([
      { location: 'response.body.server.undocumented_field', field: 'undocumented_field', schema: 'ServerPreview', count: 1 },
    ]);
    // The page's example of a provider run is the reference page's shape, named as such.
    expect(driftOf('getProviderRun')?.shapes).toEqual([{ location: 'response.body', union: 'ProviderRun', shapes: ['ProviderRunDetailed'], count: 1 }]);
    expect(report.results.filter((r) => !['listRuns', 'getServerRun'].includes(r.operationId) && r.drift?.undocumented.length)).toEqual([]);
  });

  it('the CLI exits 0 on drift alone, and 1 with --strict', { timeout: 120_000 }, async () => {
    driftingUpstream.breaks = new Map([['getServerRun', 'undocumented-nested-field']]);
    const [lenient, strict] = await Promise.all([
      runLiveCli(['--url', driftingServer, '--spec', specFile, '--checks', 'none']),
      runLiveCli(['--url', driftingServer, '--spec', specFile, '--checks', 'none', '--strict']),
    ]);
    expect(lenient.code, lenient.stdout).toBe(0);
    expect(lenient.stdout).toContain('⚠ getServerRun (GET /server-runs/{server_run_id}): drift');
    expect(lenient.stdout).toContain('undocumented field undocumented_field at response.body.server.undocumented_field (not in ServerPreview)');
    expect(lenient.stdout).toContain('--strict fails on them');
    expect(strict.code, strict.stdout).toBe(1);
    expect(strict.stdout).toContain('✖ getServerRun (GET /server-runs/{server_run_id}): drift');
    expect(strict.report.undocumentedFields).toBe(1);
    expect(strict.report.violations).toBe(0);
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

/** Each write test gets an upstream of its own, so what it records is only its own run's requests. */
async function withUpstream<T>(use: (upstream: ContractUpstream, url: string) => Promise<T>): Promise<T> {
  const recording = new ContractUpstream(document);
  const url = await recording.start();
  try {
    return await use(recording, url);
  } finally {
    await recording.stop();
  }
}

/** The values of the path parameters a recorded request names, read with its operation's path template. */
function pathIdsOf(request: RecordedRequest): string[] {
  const operation = operationsOf(document).find((op) => op.operationId === request.operationId)!;
  const pattern = new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, '([^/?]+)')}(\\?|$)`);
  return (pattern.exec(request.url) ?? []).slice(1, -1).map(decodeURIComponent);
}

const writes = (upstream: ContractUpstream) => upstream.requests.filter((r) => r.method !== 'GET');
const serverError = { status: 500, body: { object: 'error', status: 500, code: 'internal_server_error', message: 'Something broke on our side.' } };

// One after another: each run starts a Prism of its own, and a loaded machine starts several slowly.
describe('live writes touch only what the run created', () => {
  it('writes only to objects it created, the behaviour checks included; never sends POST /runs; removes and names every object', { timeout: 180_000 }, async () => {
    await withUpstream(async (recording, url) => {
      // The behaviour checks run too: their creates, updates, deletes and keyless writes pass the same guard.
      const { stdout, report } = await runLiveCli(['--url', url, '--spec', specFile, '--include-writes', '--confirm-writes-to', `${url}/`]);
      const created = report.objects.map((o) => o.id);
      expect(report.objects.length, stdout).toBeGreaterThan(1);
      expect(report.objects.every((o) => o.createdBy === 'createSessionTemplateProvider' && o.removed)).toBe(true);
      // The contract pass: create, then update and delete of what it created.
      const first = created[0]!;
      expect(writes(recording).slice(0, 3).map((r) => `${r.method} ${r.url}`)).toEqual([
        'POST /session-template-providers',
        `PATCH /session-template-providers/${first}`,
        `DELETE /session-template-providers/${first}`,
      ]);
      // The proof the issue asks for: no write names an id the run did not create (the lists'
      // first items, which the reads did use, included).
      const read = recording.requests.filter((r) => r.method === 'GET' && r.operationId).flatMap(pathIdsOf);
      expect(read).toContain('stp_3cDeFgHjKlMnPqRs');
      expect(writes(recording).length).toBeGreaterThan(5);
      for (const request of writes(recording)) expect(pathIdsOf(request).filter((id) => !created.includes(id)), request.url).toEqual([]);
      expect(recording.requests.some((r) => r.url.startsWith('/runs') && r.method === 'POST')).toBe(false);
      expect(report.skipped).toContainEqual({ operationId: 'createRun', reason: expect.stringContaining('--allow-irreversible createRun') });
      expect(stdout).toContain(`${first} (POST /session-template-providers): removed by deleteSessionTemplateProvider → 200`);
    });
  });

  it('refuses to start writes unless --confirm-writes-to names the --url server, and sends nothing', async () => {
    await withUpstream(async (recording, url) => {
      const other = 'https://api.metorial.com';
      const [unconfirmed, elsewhere, confirmOnly] = await Promise.all([
        runLiveCliRaw(['--url', url, '--include-writes'], { METORIAL_API_KEY: apiKey }),
        runLiveCliRaw(['--url', url, '--include-writes', '--confirm-writes-to', other], { METORIAL_API_KEY: apiKey }),
        runLiveCliRaw(['--url', url, '--confirm-writes-to', url], { METORIAL_API_KEY: apiKey }),
      ]);
      expect(unconfirmed.code).toBe(1);
      expect(unconfirmed.stderr).toContain(`--confirm-writes-to ${url}`);
      expect(elsewhere.code).toBe(1);
      expect(elsewhere.stderr).toContain(`--confirm-writes-to ${other} is not the server of --url ${url}: nothing was sent`);
      expect(confirmOnly.code).toBe(1);
      expect(confirmOnly.stderr).toContain('add --include-writes');
      expect(recording.requests).toEqual([]);
    });
  });

  it('removes what it created when a step fails: a DELETE answered 500 is sent again, straight to the server, at the end', { timeout: 180_000 }, async () => {
    await withUpstream(async (recording, url) => {
      let deletes = 0;
      recording.onRequest = (request) => (request.method === 'DELETE' && ++deletes === 1 ? serverError : undefined);
      const report = await checkLiveServer({ server: url, apiKey, specFile, writes: {}, checks: [] });
      const [created] = report.objects;
      expect(created).toMatchObject({ removed: true, removal: { operationId: 'deleteSessionTemplateProvider', status: 200, during: 'cleanup' } });
      expect(writes(recording).filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([`/session-template-providers/${created!.id}`, `/session-template-providers/${created!.id}`]);
    });
  });

  it('sends a create that cannot be undone only when allowed by name; says, and fails, when what it created could not be removed', { timeout: 180_000 }, async () => {
    await withUpstream(async (recording, url) => {
      recording.onRequest = (request) => (request.method === 'DELETE' ? serverError : undefined);
      const report = await checkLiveServer({ server: url, apiKey, specFile, writes: { allowIrreversible: ['createRun'] }, checks: [] });
      expect(writes(recording).filter((r) => r.url === '/runs')).toHaveLength(1);
      const provider = report.objects.find((o) => o.createdBy === 'createSessionTemplateProvider');
      const run = report.objects.find((o) => o.createdBy === 'createRun');
      expect(provider).toMatchObject({ createdBy: 'createSessionTemplateProvider', removed: false, removal: { status: 500, during: 'cleanup' } });
      expect(run).toMatchObject({ createdBy: 'createRun', undoable: false, removed: false });
      expect(report.results.filter((r) => r.violations.length > 0 || r.failure)).toEqual([]);
      // The one violation: an object that should have been removed is still there. A run is not one.
      expect(report.violations).toBe(1);
      const table = formatLiveReport(report);
      expect(table).toContain(`✖ ${provider!.id} (POST /session-template-providers): STILL ON THE SERVER`);
      expect(table).toContain(`${run!.id} (POST /runs): stays on the server; it cannot be deleted (allowed by --allow-irreversible)`);
    });
  });

  it.for(['SIGINT', 'SIGTERM'] as const)('on %s mid-run, stops, removes what it created and reports it', { timeout: 180_000 }, async (signal) => {
    await withUpstream(async (recording, url) => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let patchArrived!: () => void;
      const arrived = new Promise<void>((resolve) => (patchArrived = resolve));
      recording.onRequest = async (request) => {
        if (request.method !== 'PATCH') return undefined;
        patchArrived();
        await held;
        return undefined;
      };
      const reportFile = join(scratch, `interrupted-${signal}.json`);
      const cli = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'live.ts'), '--url', url, '--spec', specFile, '--include-writes', '--confirm-writes-to', url, '--report', reportFile], {
        cwd: repoRoot,
        env: { ...process.env, METORIAL_API_KEY: apiKey },
      });
      let stdout = '';
      cli.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
      try {
        await arrived;
        cli.kill(signal);
        expect(await exited, stdout).toBe(signal === 'SIGINT' ? 130 : 143);
      } finally {
        release();
        cli.kill('SIGKILL');
      }
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as LiveReport;
      const [created] = report.objects;
      expect(report.interrupted).toBe(signal);
      expect(created).toMatchObject({ removed: true, removal: { operationId: 'deleteSessionTemplateProvider', status: 200, during: 'cleanup' } });
      expect(writes(recording).map((r) => r.method)).toEqual(['POST', 'PATCH', 'DELETE']);
      expect(stdout).toContain(`Interrupted by ${signal}`);
    });
  });
});

it('the ledger refuses a write to an object the run did not create, before anything is sent', () => {
  const ledger = new Ledger(creationsOf(document));
  const byId = new Map(operationsOf(document).map((op) => [op.operationId, op]));
  const customer = { path: { session_template_provider_id: 'stp_CUSTOMER_PROD_1' }, query: {} };
  expect(() => ledger.assertMayWrite(byId.get('deleteSessionTemplateProvider')!, customer)).toThrow(WriteRefusedError);
  expect(() => ledger.assertMayWrite(byId.get('updateSessionTemplateProvider')!, customer)).toThrow(/stp_CUSTOMER_PROD_1\) would touch an object this run did not create/);
  expect(() => ledger.assertMayWrite(byId.get('createRun')!, { path: {}, query: {} })).toThrow(/createRun creates what no DELETE can undo/);
  const creation = creationsOf(document).find((c) => c.create.operationId === 'createSessionTemplateProvider')!;
  expect(ledger.record(creation, { responseBody: { id: 'stp_mine' } })).toBe('stp_mine');
  expect(() => ledger.assertMayWrite(byId.get('deleteSessionTemplateProvider')!, { path: { session_template_provider_id: 'stp_mine' }, query: {} })).not.toThrow();
  expect(() => ledger.assertMayWrite(byId.get('deleteSessionTemplateProvider')!, customer)).toThrow(WriteRefusedError);
});

describe("the live run's behaviour checks", () => {
  it('find nothing on a server that behaves as the spec says, with a second key and writes, and list each check by operation', { timeout: 180_000 }, async () => {
    const behaving = new BehaviourUpstream(document);
    const url = await behaving.start();
    try {
      const { code, stdout, report } = await runLiveCli(['--url', url, '--spec', specFile, '--second-key', 'metorial_sk_live_second_tenant', '--include-writes', '--confirm-writes-to', url, '--allow-irreversible', 'createRun']);
      expect(report.behaviour.findings, stdout).toEqual([]);
      expect(new Set(report.behaviour.runs.filter((r) => r.requests > 0).map((r) => r.check))).toEqual(new Set(checkNames));
      expect(stdout).toContain('| pagination | listProviderRuns |');
      expect(report.objects.filter((o) => o.undoable).every((o) => o.removed), stdout).toBe(true);
      expect(code, stdout).toBe(0);
    } finally {
      await behaving.stop();
    }
  });

  it('name the check, operation, request and expectation of each finding in the table and the JSON report; read-only by default', { timeout: 180_000 }, async () => {
    const broken = new BehaviourUpstream(document);
    broken.faults = new Map([
      ['listProviderRuns', 'skip-item'],
      ['getServerRun', 'accept-no-key'],
    ]);
    const url = await broken.start();
    try {
      const { code, stdout, report } = await runLiveCli(['--url', url, '--spec', specFile]);
      expect(code).toBe(1);
      expect(report.behaviour.findings).toContainEqual({
        check: 'pagination',
        operationId: 'listProviderRuns',
        request: expect.stringMatching(/^GET \/provider-runs\?limit=\d+.*after=/),
        expected: expect.stringContaining('has_more_after'),
        actual: expect.stringContaining('items'),
      });
      expect(report.behaviour.findings).toContainEqual({
        check: 'ignored_auth',
        operationId: 'getServerRun',
        request: expect.stringMatching(/^GET \/server-runs\/\S+ with no Authorization header$/),
        expected: '401 from the server',
        actual: expect.stringMatching(/^status \d+$/),
      });
      expect(new Set(report.behaviour.findings.map((f) => f.operationId))).toEqual(new Set(['listProviderRuns', 'getServerRun']));
      expect(stdout).toMatch(/✖ pagination on listProviderRuns\n {2}request: {2}GET \/provider-runs\?limit=/);
      expect(stdout).toContain('✖ ignored_auth on getServerRun');
      // Read-only: no write check ran, and the server got nothing but reads.
      expect(report.behaviour.runs.filter((r) => writeChecks.includes(r.check))).toEqual([]);
      expect(broken.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    } finally {
      await broken.stop();
    }
  });
});

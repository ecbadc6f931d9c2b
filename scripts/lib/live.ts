import { readFileSync } from 'node:fs';
import type { OpenAPI3 } from 'openapi-typescript';
import type { DriftFindings } from './drift/drift.ts';
import { formatLiveDrift, LiveDrift, undocumentedFieldCount } from './drift/live-drift.ts';
import { startPrism } from './prism.ts';
import { PipelineError } from './run-tool.ts';
import { runBehaviourChecks } from './checks/engine.ts';
import { type BehaviourReport, type CheckName, formatBehaviourReport } from './checks/findings.ts';
import { type CreatedObject, Ledger } from './checks/ledger.ts';
import { type Creation, creationsOf, isUndoable } from './checks/links.ts';
import { documentedRequest, type Operation, operationsOf, type RequestValues, send, urlFor } from './spec-requests.ts';

export interface Violation {
  /** `request` when our request broke the spec, `response` when the server's answer did. */
  side: 'request' | 'response';
  severity: string;
  /** Where, such as `response.body.pagination.has_more_after`. */
  location: string;
  message: string;
}

export interface OperationResult {
  operationId: string;
  method: string;
  path: string;
  /** The request as sent, ids filled in: `PATCH /session-template-providers/stp_1`. */
  request: string;
  status: number | undefined;
  violations: Violation[];
  /** Why no answer came, when none did. */
  failure?: string;
  /** Fields the answer carried that the spec does not document, and the named shapes it took. */
  drift?: DriftFindings;
}

export interface LiveReport {
  server: string;
  results: OperationResult[];
  /** Operations not called, with the reason. */
  skipped: { operationId: string; reason: string }[];
  /** Every object the run created, and whether it was removed again (writes only). */
  objects: CreatedObject[];
  /** The signal that stopped the run early (`SIGINT`), when one did. */
  interrupted?: string;
  /** The behaviour checks (scripts/lib/checks/): each check run by operation, and each finding. */
  behaviour: BehaviourReport;
  /** Contract violations, behaviour findings and objects left on the server, together. */
  violations: number;
  /** Places where answers carried a field the spec does not document: drift, not a violation. */
  undocumentedFields: number;
}

/** What a live run may write. Without it a run sends reads (GET) only. */
export interface LiveWrites {
  /** Creates that no DELETE can undo (their response links none, such as `createRun`), allowed by operationId. */
  allowIrreversible?: string[];
  /** Request bodies by operationId, in place of the spec's first example (a create needs ids the server has). */
  bodies?: Record<string, unknown>;
}

export interface LiveOptions {
  server: string;
  apiKey: string;
  /** The bundled spec (JSON). */
  specFile: string;
  /** Writes, only to objects the run creates; leave out for a read-only run. */
  writes?: LiveWrites;
  /** Stops the run between calls; what it created is removed before it returns. */
  signal?: AbortSignal;
  /** Told of each object as soon as it is created, so a caller killed mid-cleanup can name it. */
  onCreated?: (id: string, operationId: string) => void;
  /** A key of another tenant, for the tenancy check. */
  secondKey?: string;
  /** The behaviour checks to run (default: all the mode allows; `[]` for none). */
  checks?: CheckName[];
  /** Pages of a list the behaviour checks walk at most (default 10, at the list's maximum limit). */
  maxPages?: number;
  timeoutMs?: number;
}

interface PrismViolation {
  location: string[];
  severity: string;
  message: string;
}

function violationsOf(header: string | null): Violation[] {
  if (!header) return [];
  return (JSON.parse(header) as PrismViolation[]).map((v) => ({
    side: v.location[0] === 'request' ? 'request' : 'response',
    severity: v.severity,
    location: v.location.join('.'),
    message: v.message,
  }));
}

/** `fetch failed (ECONNREFUSED)`: fetch's own message hides the reason in its cause. */
function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
  const reason = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message;
  return `${(error as Error).message}${reason ? ` (${reason})` : ''}`;
}

async function checkServerAnswers(server: string): Promise<void> {
  try {
    await fetch(server, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new PipelineError(`Nothing answers at ${server}: ${describeFailure(error)}. Check the URL and that the server is running.`);
  }
}

/** The list operation whose items a get-by-id operation reads: `/runs` for `/runs/{run_id}`. */
function listFor(operation: Operation, all: Operation[]): Operation | undefined {
  const parent = operation.path.replace(/\/\{[^}]+\}$/, '');
  return parent === operation.path ? undefined : all.find((op) => op.method === 'get' && op.path === parent);
}

/**
 * A read's request: the spec's documented ids, except that an id is taken from the first item a
 * list returned when there is one, so a live server is asked about something it has.
 */
function readRequestFor(operation: Operation, all: Operation[], firstIds: Map<string, string>): RequestValues {
  const values = documentedRequest(operation);
  const list = listFor(operation, all);
  const lastParameter = /\{([^}]+)\}$/.exec(operation.path)?.[1];
  const id = list && firstIds.get(list.operationId);
  if (lastParameter && id) values.path[lastParameter] = id;
  return values;
}

const requestLine = (operation: Operation, values: RequestValues) => `${operation.method.toUpperCase()} ${urlFor('', operation, values)}`;

/**
 * Calls the operations of the spec on a server through Prism's validating proxy (`prism proxy
 * --errors`), and collects each request and response violation Prism reports, by operation.
 *
 * Reads (GET) always; writes only with `options.writes`, and then only to objects this run creates:
 * each create whose response links a DELETE (or that is allowed by name) is sent once, the
 * operations it links are called on the object it made (the DELETE last), and whatever is still on
 * the server at the end, also after a failure or an abort, is deleted straight at the server. Every
 * write passes the Ledger's guard, which refuses one aimed at an object the run did not create.
 */
export async function checkLiveServer(options: LiveOptions): Promise<LiveReport> {
  await checkServerAnswers(options.server);
  const document = JSON.parse(readFileSync(options.specFile, 'utf8')) as OpenAPI3;
  const operations = operationsOf(document);
  const creations = creationsOf(document);
  const ledger = new Ledger(creations, options.writes?.allowIrreversible ?? []);
  const proxy = await startPrism({ spec: options.specFile, mode: 'proxy', upstream: options.server, args: ['--errors', '--verboseLevel', 'silent'] });
  const report: LiveReport = { server: options.server, results: [], skipped: [], objects: [], behaviour: { runs: [], findings: [] }, violations: 0, undocumentedFields: 0 };
  const drift = new LiveDrift(document);
  const sendOptions = { apiKey: options.apiKey, timeoutMs: options.timeoutMs ?? 30_000, ...(options.signal ? { signal: options.signal } : {}) };

  /** Sends one call through the proxy (after the ledger's guard) and records its result; returns its JSON body on a 2xx. */
  const call = async (operation: Operation, values: RequestValues): Promise<{ status: number; body: unknown } | undefined> => {
    const result: OperationResult = {
      operationId: operation.operationId,
      method: operation.method.toUpperCase(),
      path: operation.path,
      request: requestLine(operation, values),
      status: undefined,
      violations: [],
    };
    report.results.push(result);
    try {
      ledger.assertMayWrite(operation, values);
      const attempt = () => send(proxy.url, operation, values, sendOptions);
      // A reset connection is not the server breaking the contract: a read is asked once more.
      const response = await attempt().catch((error: unknown) => {
        if (operation.method === 'get' && !options.signal?.aborted && /ECONNRESET|UND_ERR_SOCKET/.test(describeFailure(error))) return attempt();
        throw error;
      });
      result.status = response.status;
      result.violations = violationsOf(response.headers.get('sl-violations'));
      const body = (await response.json().catch(() => undefined)) as unknown;
      result.drift = drift.of(operation, response.status, body, response.headers.get('content-type'));
      return { status: response.status, body };
    } catch (error) {
      result.failure = options.signal?.aborted ? `stopped by ${options.signal.reason ?? 'a signal'}` : describeFailure(error);
      return undefined;
    } finally {
      // A call cut short by an interruption is not the server's fault.
      report.violations += result.violations.length + (result.failure && !options.signal?.aborted ? 1 : 0);
    }
  };

  try {
    // Lists first, so the operations that read one item can use an id a list returned.
    const reads = operations.filter((op) => op.method === 'get').sort((a, b) => Number(a.path.includes('{')) - Number(b.path.includes('{')));
    const firstIds = new Map<string, string>();
    for (const operation of reads) {
      if (options.signal?.aborted) break;
      const answer = await call(operation, readRequestFor(operation, operations, firstIds));
      const firstId = (answer?.body as { items?: { id?: unknown }[] } | undefined)?.items?.[0]?.id;
      if (answer && answer.status < 300 && typeof firstId === 'string') firstIds.set(operation.operationId, firstId);
    }
    const reached = new Set<string>();
    for (const creation of options.writes ? creations : []) {
      if (options.signal?.aborted) break;
      await writeThrough(creation, options.writes!, ledger, call, report, reached, options.onCreated);
    }
    for (const operation of operations.filter((op) => op.method !== 'get' && !reached.has(op.operationId))) {
      if (report.skipped.some((s) => s.operationId === operation.operationId)) continue;
      report.skipped.push({
        operationId: operation.operationId,
        reason: options.writes ? 'a write, sent only to an object this run created: no create of this run links to it' : 'a write: pass --include-writes (with --confirm-writes-to) to call it on objects the run creates',
      });
    }
    if (!options.signal?.aborted && options.checks?.length !== 0) {
      report.behaviour = await runBehaviourChecks(document, {
        urls: { validated: proxy.url, direct: options.server },
        apiKey: options.apiKey,
        ledger,
        ...(options.secondKey ? { secondKey: options.secondKey } : {}),
        ...(options.writes ? { writes: options.writes } : {}),
        ...(options.checks ? { only: options.checks } : {}),
        ...(options.maxPages ? { maxPages: options.maxPages } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        timeoutMs: options.timeoutMs ?? 30_000,
      });
      report.violations += report.behaviour.findings.length;
    }
  } finally {
    await ledger.removeAll((operation, values) => send(options.server, operation, values, { apiKey: options.apiKey, timeoutMs: options.timeoutMs ?? 30_000 }));
    await proxy.stop();
  }
  if (options.signal?.aborted) report.interrupted = String(options.signal.reason ?? 'aborted');
  report.objects = ledger.objects();
  report.violations += report.objects.filter((o) => o.undoable && !o.removed).length;
  report.undocumentedFields = undocumentedFieldCount(report.results);
  return report;
}

/**
 * One create and the operations its response links, on the object it made: reads and updates
 * first, the DELETE last. A create that cannot be undone is skipped unless allowed by name.
 */
async function writeThrough(
  creation: Creation,
  writes: LiveWrites,
  ledger: Ledger,
  call: (operation: Operation, values: RequestValues) => Promise<{ status: number; body: unknown } | undefined>,
  report: LiveReport,
  reached: Set<string>,
  onCreated: LiveOptions['onCreated'],
): Promise<void> {
  const { create } = creation;
  const linked = [...creation.links.filter((l) => l !== creation.remove && l.operation.method !== 'get'), ...(creation.remove ? [creation.remove] : [])];
  if (!isUndoable(creation) && !writes.allowIrreversible?.includes(create.operationId)) {
    report.skipped.push({ operationId: create.operationId, reason: `its effect cannot be undone (no DELETE is linked from its response): pass --allow-irreversible ${create.operationId} to send it` });
    return;
  }
  reached.add(create.operationId);
  const values = { ...documentedRequest(create), body: writes.bodies?.[create.operationId] ?? documentedRequest(create).body };
  const answer = await call(create, values);
  const id = answer && answer.status < 300 ? ledger.record(creation, { requestBody: values.body, requestPath: values.path, responseBody: answer.body }) : undefined;
  if (!id) {
    for (const link of linked) report.skipped.push({ operationId: link.operation.operationId, reason: `${create.operationId} created nothing to call it on` });
    return;
  }
  onCreated?.(id, create.operationId);
  for (const link of linked) {
    const target = ledger.valuesFor(link, id)!;
    const body = writes.bodies?.[link.operation.operationId] ?? documentedRequest(link.operation).body;
    reached.add(link.operation.operationId);
    const result = await call(link.operation, { ...target, ...(body === undefined ? {} : { body }) });
    if (link === creation.remove && result) ledger.noteRemoval(id, { operationId: link.operation.operationId, status: result.status, during: 'checks' });
  }
}

/** The report as a table: one row per call, then each violation under it, the drift, then what was created and removed. */
export function formatLiveReport(report: LiveReport, options: { strict?: boolean } = {}): string {
  const lines = [`Contract check of ${report.server}`, '', '| operation | request | status | violations |', '|---|---|---|---|'];
  for (const r of report.results) {
    lines.push(`| ${r.operationId} | ${r.request} | ${r.status ?? 'no answer'} | ${r.violations.length + (r.failure ? 1 : 0) || 'none'} |`);
  }
  for (const r of report.results.filter((x) => x.violations.length || x.failure)) {
    lines.push('', `✖ ${r.operationId} (${r.request}, ${r.status ?? 'no answer'})`);
    if (r.failure) lines.push(`  no answer: ${r.failure}`);
    for (const v of r.violations) lines.push(`  ${v.side} ${v.severity.toLowerCase()} at ${v.location}: ${v.message}`);
  }
  lines.push(...formatLiveDrift(report.results, options.strict ?? false));
  for (const s of report.skipped) lines.push(`- skipped ${s.operationId}: ${s.reason}`);
  if (report.behaviour.runs.length) lines.push(...formatBehaviourReport(report.behaviour));
  lines.push(...formatObjects(report.objects));
  if (report.interrupted) lines.push('', `Interrupted by ${report.interrupted}: the calls after it were not made.`);
  lines.push(
    '',
    report.violations
      ? `${report.violations} violation(s): contract ${report.violations - report.behaviour.findings.length}, behaviour ${report.behaviour.findings.length}.`
      : 'No violations: the server keeps the contract for every call made, and behaves as the spec says in every check run.',
  );
  return lines.join('\n');
}

/** Each object a run created, and whether it is gone again: a write run's account of what it changed. */
export function formatObjects(objects: CreatedObject[]): string[] {
  if (objects.length === 0) return [];
  const lines = ['', 'Objects this run created on the server:'];
  for (const o of objects) {
    const removal = o.removal ? `${o.removal.operationId} → ${o.removal.status ?? o.removal.failure} (${o.removal.during})` : '';
    if (o.removed) lines.push(`- ${o.id} (${o.request}): removed by ${removal}`);
    else if (!o.undoable) lines.push(`- ${o.id} (${o.request}): stays on the server; it cannot be deleted (allowed by --allow-irreversible)`);
    else lines.push(`- ✖ ${o.id} (${o.request}): STILL ON THE SERVER, removal failed${removal ? `: ${removal}` : ''}; delete it by hand`);
  }
  return lines;
}

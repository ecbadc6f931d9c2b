import { readFileSync } from 'node:fs';
import type { OpenAPI3 } from 'openapi-typescript';
import { startPrism } from './prism.ts';
import { PipelineError } from './run-tool.ts';
import { documentedRequest, type Operation, operationsOf, type RequestValues, send } from './spec-requests.ts';

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
  status: number | undefined;
  violations: Violation[];
  /** Why no answer came, when none did. */
  failure?: string;
}

export interface LiveReport {
  server: string;
  results: OperationResult[];
  /** Operations not called, with the reason. */
  skipped: { operationId: string; reason: string }[];
  violations: number;
}

export interface LiveOptions {
  server: string;
  apiKey: string;
  /** The bundled spec (JSON). */
  specFile: string;
  /** Writes change data on the server: only when asked. */
  includeWrites?: boolean;
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
 * A request for each operation: the spec's documented ids and body, except that an id is taken from
 * the first item a list returned when there is one, so a live server is asked about something it has.
 */
function requestFor(operation: Operation, all: Operation[], firstIds: Map<string, string>): RequestValues {
  const values = documentedRequest(operation);
  const list = listFor(operation, all);
  const lastParameter = /\{([^}]+)\}$/.exec(operation.path)?.[1];
  const id = list && firstIds.get(list.operationId);
  if (lastParameter && id) values.path[lastParameter] = id;
  return values;
}

/**
 * Calls every operation of the spec on a server through Prism's validating proxy (`prism proxy
 * --errors`), and collects each request and response violation Prism reports, by operation.
 */
export async function checkLiveServer(options: LiveOptions): Promise<LiveReport> {
  await checkServerAnswers(options.server);
  const document = JSON.parse(readFileSync(options.specFile, 'utf8')) as OpenAPI3;
  const operations = operationsOf(document);
  // Lists first, so the operations that read one item can use an id a list returned.
  const ordered = [...operations].sort((a, b) => Number(a.path.includes('{')) - Number(b.path.includes('{')));
  const proxy = await startPrism({ spec: options.specFile, mode: 'proxy', upstream: options.server, args: ['--errors', '--verboseLevel', 'silent'] });
  const report: LiveReport = { server: options.server, results: [], skipped: [], violations: 0 };
  const firstIds = new Map<string, string>();
  try {
    for (const operation of ordered) {
      if (operation.method !== 'get' && !options.includeWrites) {
        report.skipped.push({ operationId: operation.operationId, reason: 'a write: pass --include-writes to call it' });
        continue;
      }
      const result: OperationResult = { operationId: operation.operationId, method: operation.method.toUpperCase(), path: operation.path, status: undefined, violations: [] };
      try {
        const values = requestFor(operation, operations, firstIds);
        const call = () => send(proxy.url, operation, values, { apiKey: options.apiKey, timeoutMs: options.timeoutMs ?? 30_000 });
        // A reset connection is not the server breaking the contract: a read is asked once more.
        const response = await call().catch((error: unknown) => {
          if (operation.method === 'get' && /ECONNRESET|UND_ERR_SOCKET/.test(describeFailure(error))) return call();
          throw error;
        });
        result.status = response.status;
        result.violations = violationsOf(response.headers.get('sl-violations'));
        const body = (await response.json().catch(() => undefined)) as { items?: { id?: unknown }[] } | undefined;
        const firstId = body?.items?.[0]?.id;
        if (response.ok && typeof firstId === 'string') firstIds.set(operation.operationId, firstId);
      } catch (error) {
        result.failure = describeFailure(error);
      }
      report.violations += result.violations.length + (result.failure ? 1 : 0);
      report.results.push(result);
    }
  } finally {
    await proxy.stop();
  }
  return report;
}

/** The report as a table: one row per operation, then each violation under it. */
export function formatLiveReport(report: LiveReport): string {
  const lines = [`Contract check of ${report.server}`, '', '| operation | request | status | violations |', '|---|---|---|---|'];
  for (const r of report.results) {
    lines.push(`| ${r.operationId} | ${r.method} ${r.path} | ${r.status ?? 'no answer'} | ${r.violations.length + (r.failure ? 1 : 0) || 'none'} |`);
  }
  for (const r of report.results.filter((x) => x.violations.length || x.failure)) {
    lines.push('', `✖ ${r.operationId} (${r.method} ${r.path}, ${r.status ?? 'no answer'})`);
    if (r.failure) lines.push(`  no answer: ${r.failure}`);
    for (const v of r.violations) lines.push(`  ${v.side} ${v.severity.toLowerCase()} at ${v.location}: ${v.message}`);
  }
  for (const s of report.skipped) lines.push(`- skipped ${s.operationId}: ${s.reason}`);
  lines.push('', report.violations ? `${report.violations} violation(s) of the contract.` : 'No violations: the server keeps the contract for every call made.');
  return lines.join('\n');
}

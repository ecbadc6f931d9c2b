/** The behaviour checks, by the names reports use (Schemathesis's where it has one). */
export const checkNames = [
  'pagination',
  'cursor',
  'filters',
  'scoping',
  'ignored_auth',
  'tenancy',
  'resource_availability',
  'update_visible',
  'use_after_free',
] as const;

export type CheckName = (typeof checkNames)[number];

/** Checks that write: they run only where writes are allowed (the sandbox, or a confirmed live run). */
export const writeChecks: readonly CheckName[] = ['resource_availability', 'update_visible', 'use_after_free'];

/** One behaviour a server got wrong: which check, on which operation, the request that showed it, what was expected and what came. */
export interface Finding {
  check: CheckName;
  operationId: string;
  request: string;
  expected: string;
  actual: string;
}

/** One check on one operation: how many requests it sent, what it found, or why it could not run. */
export interface CheckRun {
  check: CheckName;
  operationId: string;
  requests: number;
  findings: number;
  /** Why the check did not run, or ran on less than everything (`the list is empty`). */
  note?: string;
}

/** The behaviour checks' part of a report. */
export interface BehaviourReport {
  runs: CheckRun[];
  findings: Finding[];
}

/** Ids as a short readable list: `prn_1, prn_2, … (12)`. */
export function idList(ids: readonly unknown[], max = 6): string {
  const shown = ids.slice(0, max).map(String).join(', ');
  return ids.length > max ? `[${shown}, … (${ids.length})]` : `[${shown}]`;
}

/** The report as a table by check and operation, then each finding with its request and expectation. */
export function formatBehaviourReport(report: BehaviourReport): string[] {
  const lines = ['', 'Behaviour checks', '', '| check | operation | requests | findings |', '|---|---|---|---|'];
  for (const run of report.runs) {
    lines.push(`| ${run.check} | ${run.operationId} | ${run.requests} | ${run.findings || (run.note && run.requests === 0 ? `not run: ${run.note}` : 'none')}${run.note && run.requests > 0 ? ` (${run.note})` : ''} |`);
  }
  for (const f of report.findings) {
    lines.push('', `✖ ${f.check} on ${f.operationId}`, `  request:  ${f.request}`, `  expected: ${f.expected}`, `  actual:   ${f.actual}`);
  }
  return lines;
}

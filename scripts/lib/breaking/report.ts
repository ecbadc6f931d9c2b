import type { Change } from './change.ts';

export interface BreakingReport {
  base: { label: string; version: string | undefined };
  head: { label: string; version: string | undefined };
  breaking: Change[];
  nonBreaking: Change[];
  /** Breaking changes are acknowledged by a major version bump of `info.version`. */
  acknowledged: boolean;
}

const major = (version: string | undefined) => Number(/^(\d+)\./.exec(version ?? '')?.[1] ?? Number.NaN);

export function buildReport(changes: Change[], base: BreakingReport['base'], head: BreakingReport['head']): BreakingReport {
  const order = (a: Change, b: Change) => a.operation.localeCompare(b.operation) || a.location.localeCompare(b.location);
  return {
    base,
    head,
    breaking: changes.filter((c) => c.severity === 'breaking').sort(order),
    nonBreaking: changes.filter((c) => c.severity === 'non-breaking').sort(order),
    acknowledged: major(head.version) > major(base.version),
  };
}

/** The gate: fails on a breaking change that no major version bump acknowledges. */
export function gatePasses(report: BreakingReport): boolean {
  return report.breaking.length === 0 || report.acknowledged;
}

function grouped(changes: Change[]): Map<string, Change[]> {
  const groups = new Map<string, Change[]>();
  for (const change of changes) groups.set(change.operation, [...(groups.get(change.operation) ?? []), change]);
  return groups;
}

const line = (c: Change) => `${c.location ? `${c.location}: ` : ''}${c.message} (${c.rule})`;

export function formatText(report: BreakingReport): string {
  const out = [`Changes from ${report.base.label} (${report.base.version ?? '?'}) to ${report.head.label} (${report.head.version ?? '?'})`];
  if (!report.breaking.length && !report.nonBreaking.length) return `${out[0]}\n\nNo changes to the API.`;
  for (const [title, changes, mark] of [['Breaking', report.breaking, '✖'], ['Not breaking', report.nonBreaking, '•']] as const) {
    if (!changes.length) continue;
    out.push('', `${title} (${changes.length}):`);
    for (const [operation, list] of grouped(changes)) {
      out.push(`  ${operation}`);
      for (const change of list) out.push(`    ${mark} ${line(change)}`);
    }
  }
  if (report.breaking.length) {
    out.push(
      '',
      report.acknowledged
        ? `The breaking changes are acknowledged by the major version bump to ${report.head.version}.`
        : `Not acknowledged: to ship these breaking changes, raise the major version of info.version in spec/openapi.yaml (now ${report.head.version}); otherwise undo them.`,
    );
  }
  return out.join('\n');
}

export function formatMarkdown(report: BreakingReport, heading = '##'): string {
  const out: string[] = [];
  if (!report.breaking.length && !report.nonBreaking.length) return 'No changes to the API.\n';
  for (const [title, changes] of [['Breaking changes', report.breaking], ['Other changes', report.nonBreaking]] as const) {
    if (!changes.length) continue;
    out.push(`${heading} ${title}`, '');
    for (const [operation, list] of grouped(changes)) {
      out.push(`- \`${operation}\``);
      for (const change of list) out.push(`  - ${change.location ? `${change.location}: ` : ''}${change.message}`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

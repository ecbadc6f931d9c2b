import { type Acknowledgement, acknowledgementOf, acknowledgementsFile, acknowledgementSnippet } from './acknowledgements.ts';
import { adviceFor, adviceInComponent } from './advice.ts';
import type { Change } from './change.ts';
import type { Document } from './diff.ts';
import { type ChangeEntry, componentName, entriesMarkdown, entriesText, presentChanges } from './presentation.ts';
import { relative } from 'node:path';
import { repoRoot } from '../paths.ts';

export interface BreakingReport {
  base: { label: string; version: string | undefined };
  head: { label: string; version: string | undefined };
  breaking: Change[];
  nonBreaking: Change[];
  /** Release level: breaking changes are acknowledged by a major version bump of `info.version`. */
  acknowledged: boolean;
  /** Breaking changes that no entry of the acknowledgements file names (the per-change gate fails on these). */
  unacknowledged: Change[];
  /** The changes grouped for readers (presentation.ts). */
  entries: ChangeEntry[];
}

/** What the report's entries are made from besides the changes: the two documents (paths, summaries, tags) and the acknowledgements. */
export interface ReportContext {
  documents?: { base?: Document; head?: Document };
  acknowledgements?: readonly Acknowledgement[];
}

const major = (version: string | undefined) => Number(/^(\d+)\./.exec(version ?? '')?.[1] ?? Number.NaN);

export function buildReport(changes: Change[], base: BreakingReport['base'], head: BreakingReport['head'], context: ReportContext = {}): BreakingReport {
  const order = (a: Change, b: Change) => a.operation.localeCompare(b.operation) || a.location.localeCompare(b.location);
  const acknowledgements = context.acknowledgements ?? [];
  const breaking = changes.filter((c) => c.severity === 'breaking').sort(order);
  return {
    base,
    head,
    breaking,
    nonBreaking: changes.filter((c) => c.severity === 'non-breaking').sort(order),
    acknowledged: major(head.version) > major(base.version),
    unacknowledged: breaking.filter((c) => !acknowledgementOf(c, acknowledgements)),
    entries: presentChanges(changes, context.documents ?? {}, acknowledgements),
  };
}

/** The release-level gate: fails on a breaking change since the release that no major version bump acknowledges. */
export function gatePasses(report: BreakingReport): boolean {
  return report.breaking.length === 0 || report.acknowledged;
}

/** The per-change gate: fails on a breaking change new in this change that the acknowledgements file does not name. */
export function changeGatePasses(report: BreakingReport): boolean {
  return report.unacknowledged.length === 0;
}

const fileShown = () => relative(repoRoot, acknowledgementsFile);

/** The report of one change against its base: what it adds, and, when it breaks callers, how to acknowledge each break. */
export function formatChangeText(report: BreakingReport): string {
  const out = [`This change, against ${report.base.label}:`];
  if (!report.entries.length) return `${out[0]} no changes to the API.`;
  out.push(entriesText(report.entries));
  if (report.unacknowledged.length) {
    const display = new Map(report.entries.flatMap((e) => e.operations.map((o) => [o.key, o.display] as const)));
    // One acknowledgement covers a shared component's change in every operation it reaches.
    const bySnippet = new Map<string, Change[]>();
    for (const c of report.unacknowledged) {
      const snippet = acknowledgementSnippet(c, display.get(c.operation));
      bySnippet.set(snippet, [...(bySnippet.get(snippet) ?? []), c]);
    }
    const describe = ([first, ...others]: Change[]) => {
      const where = first!.component
        ? `${componentName(first!.component)}${first!.componentLocation ? ` \`${first!.componentLocation}\`` : ''} (in ${[first!, ...others].map((c) => display.get(c.operation) ?? c.operation).join(', ')})`
        : `${display.get(first!.operation) ?? first!.operation}${first!.location ? ` ${first!.location}` : ''}`;
      return `  ${where.replace(/`/g, '')}: ${first!.message} (${first!.rule}). ${first!.component ? adviceInComponent(first!) : adviceFor(first!)}`;
    };
    out.push(
      '',
      `✖ ${bySnippet.size} breaking change(s) new in this change, not acknowledged:`,
      ...[...bySnippet.values()].map(describe),
      '',
      `To ship them, undo them, or acknowledge each in ${fileShown()} with the reason callers must accept it (the changelog shows it):`,
      '',
      'acknowledged:',
      ...[...bySnippet.keys()].map((s) => s.replace(/^/gm, '  ')),
    );
  } else if (report.breaking.length) {
    out.push('', `Its breaking changes are acknowledged in ${fileShown()}.`);
  }
  return out.join('\n');
}

/** The release-level report: every change since the release, and whether a major version bump acknowledges the breaking ones. */
export function formatText(report: BreakingReport): string {
  const out = [`Changes from ${report.base.label} (${report.base.version ?? '?'}) to ${report.head.label} (${report.head.version ?? '?'})`];
  if (!report.breaking.length && !report.nonBreaking.length) return `${out[0]}\n\nNo changes to the API.`;
  out.push(`${report.breaking.length} breaking, ${report.nonBreaking.length} not breaking, in ${report.entries.length} entries:`, entriesText(report.entries));
  if (report.breaking.length) {
    out.push(
      '',
      report.acknowledged
        ? `The breaking changes since ${report.base.label} are acknowledged by the major version bump to ${report.head.version}.`
        : `Not acknowledged: to release these breaking changes, raise the major version of info.version in spec/openapi.yaml (now ${report.head.version}); otherwise undo them.`,
    );
  }
  return out.join('\n');
}

export function formatMarkdown(report: BreakingReport, heading = '##'): string {
  return entriesMarkdown(report.entries, heading);
}

/** One record per change, for tools (oasdiff's changelog JSON as the model): rule id, level, operation, path, what to do. */
export function machineReadable(report: BreakingReport, acknowledgements: readonly Acknowledgement[] = []): object[] {
  const operations = new Map(report.entries.flatMap((e) => e.operations.map((o) => [o.key, o] as const)));
  return [...report.breaking, ...report.nonBreaking].map((change) => {
    const operation = operations.get(change.operation);
    return {
      id: change.rule,
      level: change.severity === 'breaking' ? 'error' : 'info',
      operation: operation?.display ?? change.operation,
      method: operation?.method,
      path: operation?.path,
      operationId: operation?.operationId,
      summary: operation?.summary,
      tags: operation?.tags,
      location: change.location,
      text: change.message,
      advice: adviceFor(change),
      component: change.component,
      componentLocation: change.componentLocation,
      acknowledged: acknowledgementOf(change, acknowledgements)?.reason,
    };
  });
}

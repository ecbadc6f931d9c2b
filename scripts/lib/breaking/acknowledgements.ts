import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { repoRoot, specRoot } from '../paths.ts';
import { PipelineError } from '../run-tool.ts';
import type { Change } from './change.ts';

/**
 * The breaking changes accepted on purpose, each by rule and place with its reason:
 * `spec/acknowledged-breaking-changes.yaml`, beside the spec it is about. The per-change gate
 * passes a breaking change only when an entry here names it; the changelog shows the reason.
 */
export const acknowledgementsFile = process.env.METORIAL_ACKNOWLEDGEMENTS ?? join(dirname(specRoot), 'acknowledged-breaking-changes.yaml');

/**
 * One accepted breaking change. The place is either an operation (`GET /runs/{run_id}`, parameter
 * names optional) with the `location` inside it (`response 200 body items[] status`; left out, every
 * place of that rule in the operation), or a shared `component` (`#/components/schemas/ServerRun`
 * or `schemas/ServerRun`) with, optionally, the `location` inside it: then every operation it reaches.
 */
export interface Acknowledgement {
  rule: string;
  operation?: string;
  component?: string;
  location?: string;
  /** Why callers must accept it, in words the changelog can show them. */
  reason: string;
}

const shown = (file: string) => (relative(repoRoot, file).startsWith('..') ? file : relative(repoRoot, file));

/**
 * Reads and checks the file; none is no acknowledgement.
 * @throws PipelineError naming the entry and what it lacks.
 */
export function loadAcknowledgements(file = acknowledgementsFile): Acknowledgement[] {
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PipelineError(`${shown(file)} is not valid YAML: ${(error as Error).message}`);
  }
  const list = (parsed as { acknowledged?: unknown } | null)?.acknowledged ?? [];
  if (!Array.isArray(list)) throw new PipelineError(`${shown(file)}: \`acknowledged\` must be a list of entries (rule, operation or component, location, reason).`);
  return list.map((entry: Record<string, unknown>, index) => {
    const where = `${shown(file)}, entry ${index + 1}`;
    const text = (key: string) => (typeof entry?.[key] === 'string' && (entry[key] as string).trim() ? (entry[key] as string).trim() : undefined);
    if (!text('rule')) throw new PipelineError(`${where} has no \`rule\`: name the rule the gate printed, such as response-field-removed.`);
    if (!text('reason')) throw new PipelineError(`${where} (${text('rule')}) has no \`reason\`: say why callers must accept this change; the changelog shows it.`);
    if (!text('operation') === !text('component')) throw new PipelineError(`${where} (${text('rule')}) needs exactly one of \`operation\` (GET /runs/{run_id}) or \`component\` (#/components/schemas/Run).`);
    const ack: Acknowledgement = { rule: text('rule')!, reason: text('reason')! };
    if (text('operation')) ack.operation = text('operation')!;
    if (text('component')) ack.component = text('component')!;
    if (typeof entry.location === 'string') ack.location = entry.location.trim();
    return ack;
  });
}

/** `GET /runs/{run_id}` and `GET /runs/{}` name the same operation. */
const operationKey = (operation: string) => operation.replace(/\{[^}]*\}/g, '{}');
const componentKey = (component: string) => component.replace(/^#?\/?(components\/)?/, '');

/** The entry that accepts `change`, if any. */
export function acknowledgementOf(change: Change, acknowledgements: readonly Acknowledgement[]): Acknowledgement | undefined {
  return acknowledgements.find((ack) => {
    if (ack.rule !== change.rule) return false;
    if (ack.component) {
      return change.component !== undefined && componentKey(ack.component) === componentKey(change.component) && (ack.location === undefined || ack.location === change.componentLocation);
    }
    return operationKey(ack.operation!) === operationKey(change.operation) && (ack.location === undefined || ack.location === change.location);
  });
}

/**
 * The entry that would accept `change`, as YAML to paste under `acknowledged:`: by component when
 * the change is an edit of a shared one, else by operation (`operation` is the display form, with
 * parameter names).
 */
export function acknowledgementSnippet(change: Change, operation = change.operation): string {
  const place = change.component
    ? [`component: '${change.component}'`, ...(change.componentLocation ? [`location: '${change.componentLocation}'`] : [])]
    : [`operation: '${operation}'`, ...(change.location ? [`location: '${change.location}'`] : [])];
  return [`- rule: ${change.rule}`, ...place.map((line) => `  ${line}`), '  reason: <why callers must accept this, for the changelog>'].join('\n');
}

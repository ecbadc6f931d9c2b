import { type Acknowledgement, acknowledgementOf } from './acknowledgements.ts';
import { adviceFor, adviceInComponent } from './advice.ts';
import { type Change, documentLevel, type Severity } from './change.ts';
import type { Document } from './diff.ts';

/*
 * Changes as their readers need them (the changelog, the gate's report): an edit of a shared
 * component is one entry naming the component and the operations it reaches; an operation's own
 * changes are one entry under its tag, with its path (parameter names kept) and summary; breaking
 * entries come first; each line says what users must do. Anchors: oasdiff's `changelog`, Stripe's
 * API changelog.
 */

/** An operation as its users know it. */
export interface OperationInfo {
  /** The comparison's key, `GET /runs/{}`. */
  key: string;
  /** `GET /runs/{run_id}`, or the key when the operation is not a path's (webhooks, callbacks, the document). */
  display: string;
  method?: string;
  path?: string;
  operationId?: string;
  summary?: string;
  tags: string[];
}

export interface ChangeLine {
  /** One change it stands for (a shared component's line stands for the same change in every operation). */
  change: Change;
  /** Where and what: "response 200 body `items[].status`: format none → int64". */
  text: string;
  /** What users must do. */
  advice: string;
  acknowledgement?: Acknowledgement;
}

export interface ChangeEntry {
  severity: Severity;
  /** The shared components this entry is an edit of (several when they changed alike, for the same operations); empty for an operation's own changes. */
  components: string[];
  operations: OperationInfo[];
  lines: ChangeLine[];
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every path operation of the documents by comparison key; `head` wins over `base` (a removed operation is found in `base`). */
function operationIndex(documents: Array<Document | undefined>): Map<string, OperationInfo> {
  const index = new Map<string, OperationInfo>();
  for (const document of documents) {
    for (const [path, item] of Object.entries((document?.paths ?? {}) as Record<string, Record<string, { operationId?: string; summary?: string; tags?: string[] }>>)) {
      for (const method of methods) {
        const operation = item?.[method];
        if (!operation) continue;
        const key = `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`;
        const found: OperationInfo = { key, display: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, tags: operation.tags ?? [] };
        if (operation.operationId) found.operationId = operation.operationId;
        if (operation.summary) found.summary = operation.summary;
        index.set(key, found);
      }
    }
  }
  return index;
}

/** `items[] server_session usage` → `items[].server_session.usage`. */
const dotted = (fields: string) => fields.replace(/\[\] /g, '[].').replace(/ /g, '.');

/** A location as users read it: the body's fields dotted and the names in code. */
export function readableLocation(location: string): string {
  const body = /^(.*?\bbody) (.+)$/.exec(location);
  if (body) return `${body[1]} \`${dotted(body[2]!)}\``;
  const named = /^(.*\b(?:parameter|header)) (\S+)(?: (.+))?$/.exec(location);
  if (named) return `${named[1]} \`${named[2]}${named[3] ? `.${dotted(named[3])}` : ''}\``;
  return location;
}

const componentKinds: Record<string, string> = { schemas: 'schema', parameters: 'parameter', headers: 'header', responses: 'response', requestBodies: 'request body', pathItems: 'path item' };

/** `#/components/headers/RateLimit-Limit` → the `RateLimit-Limit` header. */
export function componentName(pointer: string): string {
  const [, kind = '', name = pointer] = /^#\/components\/([^/]+)\/(.+)$/.exec(pointer) ?? [];
  return `\`${decodeURIComponent(name).replace(/~1/g, '/').replace(/~0/g, '~')}\` ${componentKinds[kind] ?? kind}`;
}

const join = (names: string[]) => (names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/** The title of a shared entry: "The `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers". */
export function componentsTitle(components: string[]): string {
  const names = components.map(componentName);
  if (names.length === 1) return `The ${names[0]}`;
  const kinds = new Set(names.map((n) => n.split('` ')[1]));
  return kinds.size === 1 ? `The ${join(names.map((n) => n.split(' ')[0]!))} ${[...kinds][0]}s` : `The ${join(names)}`;
}

const tagOf = (entry: ChangeEntry) => (entry.components.length ? '' : (entry.operations[0]?.tags[0] ?? 'Other operations'));

/**
 * Groups `changes` into entries: breaking first; within each, shared components (by name), then
 * operations by tag and path. `documents` are the base and head, for paths, summaries and tags.
 */
export function presentChanges(changes: readonly Change[], documents: { base?: Document; head?: Document }, acknowledgements: readonly Acknowledgement[] = []): ChangeEntry[] {
  const index = operationIndex([documents.base, documents.head]);
  const info = (key: string): OperationInfo => index.get(key) ?? { key, display: key === documentLevel ? 'The whole API' : key, tags: [] };
  const line = (change: Change, text: string, shared: boolean): ChangeLine => {
    const acknowledgement = acknowledgementOf(change, acknowledgements);
    return { change, text, advice: shared ? adviceInComponent(change) : adviceFor(change), ...(acknowledgement ? { acknowledgement } : {}) };
  };
  const fullText = (change: Change) => (change.location ? `${readableLocation(change.location)}: ${change.message}` : change.message);

  // A component edit is shared when it reaches more than one operation.
  const reach = new Map<string, Set<string>>();
  for (const change of changes) {
    if (!change.component) continue;
    const key = `${change.severity} ${change.component}`;
    reach.set(key, (reach.get(key) ?? new Set()).add(change.operation));
  }
  const shared = new Map<string, ChangeEntry>();
  const own = new Map<string, ChangeEntry>();
  for (const change of changes) {
    const componentKey = change.component && `${change.severity} ${change.component}`;
    if (componentKey && reach.get(componentKey)!.size > 1) {
      const entry = shared.get(componentKey) ?? { severity: change.severity, components: [change.component!], operations: [], lines: [] };
      shared.set(componentKey, entry);
      if (!entry.operations.some((o) => o.key === change.operation)) entry.operations.push(info(change.operation));
      const text = change.componentLocation ? `\`${dotted(change.componentLocation)}\`: ${change.message}` : change.message;
      if (!entry.lines.some((l) => l.text === text && l.change.rule === change.rule)) entry.lines.push(line(change, text, true));
      continue;
    }
    const key = `${change.severity} ${change.operation}`;
    const entry = own.get(key) ?? { severity: change.severity, components: [], operations: [info(change.operation)], lines: [] };
    own.set(key, entry);
    entry.lines.push(line(change, fullText(change), false));
  }
  // Components edited alike (the same lines) for the same operations are one edit: one entry.
  const merged = new Map<string, ChangeEntry>();
  for (const entry of shared.values()) {
    entry.operations.sort((a, b) => a.display.localeCompare(b.display));
    const sameness = JSON.stringify([entry.severity, entry.lines.map((l) => [l.change.rule, l.text]).sort(), entry.operations.map((o) => o.key)]);
    const twin = merged.get(sameness);
    if (twin) twin.components.push(...entry.components);
    else merged.set(sameness, entry);
  }
  const severityRank = (s: Severity) => (s === 'breaking' ? 0 : 1);
  return [...merged.values(), ...own.values()].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      Number(a.components.length === 0) - Number(b.components.length === 0) ||
      tagOf(a).localeCompare(tagOf(b)) ||
      (a.components[0] ?? '').localeCompare(b.components[0] ?? '') ||
      (a.operations[0]?.display ?? '').localeCompare(b.operations[0]?.display ?? ''),
  );
}

const operationLabel = (o: OperationInfo) => `\`${o.display}\`${o.summary ? ` (${o.summary})` : ''}`;

/** The entries as Markdown under `heading`-level titles: breaking, then other changes; shared components, then each tag. */
export function entriesMarkdown(entries: readonly ChangeEntry[], heading = '##'): string {
  if (!entries.length) return 'No changes to the API.\n';
  const out: string[] = [];
  let section = '';
  let group = '';
  for (const entry of entries) {
    const title = entry.severity === 'breaking' ? 'Breaking changes' : 'Other changes';
    if (title !== section) {
      out.push(`${heading} ${title}`, '');
      section = title;
      group = '';
    }
    const groupTitle = entry.components.length ? 'Shared components' : tagOf(entry);
    if (groupTitle !== group) {
      out.push(`${heading}# ${groupTitle}`, '');
      group = groupTitle;
    }
    if (entry.components.length) {
      out.push(`- ${componentsTitle(entry.components)}, in ${entry.operations.length} operations:`);
    } else {
      const [operation] = entry.operations;
      out.push(`- **\`${operation!.display}\`**${operation!.summary ? ` — ${operation!.summary}` : ''}`);
    }
    for (const l of entry.lines) {
      out.push(`  - ${l.text} — ${l.advice}${l.acknowledgement ? ` Why: ${l.acknowledgement.reason}` : ''}`);
    }
    if (entry.components.length) out.push(`  - Operations: ${entry.operations.map(operationLabel).join(', ')}.`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** The entries as plain text for a terminal, indented under `indent`, with ✖ for breaking and • for the rest. */
export function entriesText(entries: readonly ChangeEntry[], indent = '  '): string {
  const out: string[] = [];
  for (const entry of entries) {
    const mark = entry.severity === 'breaking' ? '✖' : '•';
    if (entry.components.length) out.push(`${indent}${componentsTitle(entry.components).replace(/`/g, '')} (${entry.components.join(', ')}), in ${entry.operations.length} operations: ${entry.operations.map((o) => o.display).join(', ')}`);
    else {
      const [operation] = entry.operations;
      out.push(`${indent}${operation!.display}${operation!.summary ? ` — ${operation!.summary}` : ''}${operation!.tags.length ? ` [${operation!.tags.join(', ')}]` : ''}`);
    }
    for (const l of entry.lines) {
      const ack = l.acknowledgement ? ` [acknowledged: ${l.acknowledgement.reason}]` : '';
      out.push(`${indent}  ${mark} ${l.text.replace(/`/g, '')} (${l.change.rule})${ack}`);
    }
  }
  return out.join('\n');
}

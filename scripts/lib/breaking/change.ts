import { refTarget } from './deref.ts';

export type Severity = 'breaking' | 'non-breaking';

/** One difference between two versions of an API description, classified for existing callers. */
export interface Change {
  severity: Severity;
  /** A stable rule name from `ruleCatalogue` (rules.ts), such as `response-field-removed`. */
  rule: string;
  /** `GET /runs`, `webhook runCompleted POST`, or `(document)` for changes outside an operation. */
  operation: string;
  /** Where in the operation: `response 200 body items[].status`. */
  location: string;
  message: string;
  /**
   * The shared component whose edit this change is, when it lies inside one that both versions
   * reach through the same `$ref` (`#/components/headers/RateLimit-Limit`): the innermost such.
   */
  component?: string;
  /** Where inside that component: `location` without the place the component is used at (`items[] status`). */
  componentLocation?: string;
}

export const documentLevel = '(document)';

/**
 * Which way data flows through a schema decides what breaks a client: data the client sends
 * (`request`) breaks callers when the API accepts less; data the client receives (`response`)
 * breaks them when the API can send more. Webhooks flip both: the API sends the request.
 */
export type Direction = 'request' | 'response';

/**
 * How the set of values a keyword allows moved: `narrowed` (fewer values), `widened` (more),
 * or `changed` (some values lost and others gained).
 */
export type Relation = 'narrowed' | 'widened' | 'changed';

/** The verdict for a set of allowed values that moved: a request must not accept less, a response must not send more. */
export function severityOf(direction: Direction, relation: Relation): Severity {
  if (relation === 'changed') return 'breaking';
  return (direction === 'request') === (relation === 'narrowed') ? 'breaking' : 'non-breaking';
}

/**
 * Tags every change reported through `report` as inside the component that `base` and `head` were
 * both reached through (dereference's `refTarget`), unless a component further in already tagged
 * it. `location` is where the component is used, so the change's place inside it can be told apart.
 * Returns `report` itself when the two are not the same component.
 */
export function withinComponent(report: (change: Change) => void, base: unknown, head: unknown, location: string): (change: Change) => void {
  const refOf = (node: unknown) => (node && typeof node === 'object' ? (node as { [refTarget]?: string })[refTarget] : undefined);
  const ref = refOf(head);
  if (!ref?.startsWith('#/components/') || refOf(base) !== ref) return report;
  return (change) => {
    if (change.component) return report(change);
    const inside = change.location.startsWith(location) ? change.location.slice(location.length).trim() : change.location;
    report({ ...change, component: ref, componentLocation: inside });
  };
}

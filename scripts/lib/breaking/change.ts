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

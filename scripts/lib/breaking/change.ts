export type Severity = 'breaking' | 'non-breaking';

export interface Change {
  severity: Severity;
  /** A stable rule name, such as `response-field-removed`. */
  rule: string;
  /** `GET /runs`, or `(document)` for changes outside an operation. */
  operation: string;
  /** Where in the operation: `response 200 body items[].status`. */
  location: string;
  message: string;
}

export const documentLevel = '(document)';

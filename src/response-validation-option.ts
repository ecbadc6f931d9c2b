/**
 * Made by `responseValidation()` (the package's `/validation` entry); give it to
 * `createClient({ validateResponses })`. Declared apart from that entry so that the client, which
 * only checks what it is given, loads neither ajv nor the bundled spec, not even for their types.
 */
export interface ResponseValidation {
  readonly kind: 'metorial-response-validation';
  /**
   * Checks one answer before the client reads it (a clone of it: the body stays unread), given the
   * request's method (`GET`) and path template (`/runs/{run_id}`).
   * @throws ResponseValidationError when the answer breaks the contract.
   */
  readonly check: (method: string, schemaPath: string, response: Response) => Promise<void>;
}

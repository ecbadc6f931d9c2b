import type { Middleware } from 'openapi-fetch';

/**
 * Made by `responseValidation()` (the package's `/validation` entry); give it to
 * `createClient({ validateResponses })`. Declared apart from that entry so that the client, which
 * only checks what it is given, loads neither ajv nor the bundled spec, not even for their types.
 */
export interface ResponseValidation {
  readonly kind: 'metorial-response-validation';
  /** The openapi-fetch middleware that does the checking. */
  readonly middleware: Middleware;
}

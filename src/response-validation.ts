import spec from '../generated/openapi.json' with { type: 'json' };
import { MetorialConfigurationError, ResponseValidationError } from './errors.ts';
import type { ResponseValidation } from './response-validation-option.ts';
import { SpecValidator } from './spec-validator.ts';

// Its own entry point (`/validation` of the package) because it carries ajv and the whole bundled
// spec: code that never imports it never loads them, and a browser bundle stays small.

/**
 * Whether this runtime lets code build functions from strings. ajv needs it; workerd and Vercel's
 * edge runtime refuse it (EvalError "Code generation from strings disallowed"), and without this
 * check the refusal surfaced at the first answer as a connection error.
 */
function canCompileCode(): boolean {
  try {
    return new Function('return true')() === true;
  } catch {
    return false;
  }
}

/**
 * Checks every JSON body the API answers against the operation's response schema, and throws a
 * ResponseValidationError naming the operation and the failing paths when it breaks the contract:
 * a documented field missing, of the wrong type or format, or out of its enum; an undocumented status.
 * A field the spec does not document is not a break: the API adds fields as it evolves, so an answer
 * with one passes and keeps it (the spec's response objects are open, spec/DECISIONS.md D6;
 * `npm run live` reports such fields to the spec's maintainers as drift).
 * The schemas are compiled on first use, one per operation and status.
 * @throws MetorialConfigurationError in a runtime that forbids compiling code at run time (workerd, edge runtimes).
 */
export function responseValidation(): ResponseValidation {
  if (!canCompileCode()) {
    throw new MetorialConfigurationError(
      'Response validation needs a runtime that may compile code at run time (ajv turns each schema into a function), ' +
        "and this one forbids it, as Cloudflare Workers and Vercel's edge runtime do: validate responses where it is allowed " +
        '(Node, Deno, Bun, a browser page without a CSP that blocks eval), for example in your tests, and leave validateResponses out here.',
    );
  }
  let validator: SpecValidator | undefined;
  return {
    kind: 'metorial-response-validation',
    async check(method, schemaPath, response) {
      const text = await response.clone().text();
      if (!text || !response.headers.get('content-type')?.includes('json')) return;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return; // Not JSON at all: reported as a MalformedResponseError or an APIError.
      }
      validator ??= new SpecValidator(spec as ConstructorParameters<typeof SpecValidator>[0]);
      const validate = validator.responseValidator(method, schemaPath, response.status);
      const operationId = validator.operationAt(method, schemaPath)?.operationId ?? 'unknown operation';
      const operation = `${method} ${schemaPath}`;
      const requestId = response.headers.get('metorial-req-id') ?? undefined;
      if (!validate) {
        throw new ResponseValidationError(
          `${operationId} (${operation}) answered ${response.status}, a status the spec does not document.`,
          [`status ${response.status} is not documented`],
          { operation, status: response.status, requestId, body },
        );
      }
      const problems = SpecValidator.problems(validate, body);
      if (problems.length > 0) {
        throw new ResponseValidationError(
          `${operationId} (${operation}) answered ${response.status} with a body that breaks the contract:\n  ${problems.join('\n  ')}`,
          problems,
          { operation, status: response.status, requestId, body },
        );
      }
    },
  };
}

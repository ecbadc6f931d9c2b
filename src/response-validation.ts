import type { Middleware } from 'openapi-fetch';
import { ResponseValidationError } from './errors.ts';
import type { SpecValidator } from './spec-validator.ts';

async function loadValidator(): Promise<SpecValidator> {
  // Loaded on first use only: clients that do not validate never pay for ajv or the spec.
  const [{ SpecValidator }, spec] = await Promise.all([
    import('./spec-validator.ts'),
    import('../generated/openapi.json', { with: { type: 'json' } }),
  ]);
  return new SpecValidator(spec.default as ConstructorParameters<typeof SpecValidator>[0]);
}

/**
 * Checks every JSON body the API answers against the operation's response schema, and throws a
 * ResponseValidationError naming the operation and the failing paths when it breaks the contract.
 */
export function responseValidation(): Middleware {
  let validator: Promise<SpecValidator> | undefined;
  return {
    async onResponse({ schemaPath, request, response }) {
      const text = await response.clone().text();
      if (!text || !response.headers.get('content-type')?.includes('json')) return undefined;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return undefined; // Not JSON at all: reported as a MalformedResponseError or an APIError.
      }
      const spec = await (validator ??= loadValidator());
      const validate = spec.responseValidator(request.method, schemaPath, response.status);
      const operationId = spec.operationAt(request.method, schemaPath)?.operationId ?? 'unknown operation';
      const operation = `${request.method} ${schemaPath}`;
      const requestId = response.headers.get('metorial-req-id') ?? undefined;
      if (!validate) {
        throw new ResponseValidationError(
          `${operationId} (${operation}) answered ${response.status}, a status the spec does not document.`,
          [`status ${response.status} is not documented`],
          { operation, status: response.status, requestId, body },
        );
      }
      const { SpecValidator } = await import('./spec-validator.ts');
      const problems = SpecValidator.problems(validate, body);
      if (problems.length > 0) {
        throw new ResponseValidationError(
          `${operationId} (${operation}) answered ${response.status} with a body that breaks the contract:\n  ${problems.join('\n  ')}`,
          problems,
          { operation, status: response.status, requestId, body },
        );
      }
      return undefined;
    },
  };
}

import type { Json } from './model.ts';

/** The API's error codes by status (facts: Error body). */
const codeByStatus: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limit_exceeded',
  500: 'internal_server_error',
  503: 'internal_server_error',
};

/** An answer in the API's error body, `{object: "error", status, code, message, hint?, entity?, errors?}`. */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { code?: string; hint?: string; entity?: string; errors?: { message: string; code?: string; path?: string[] }[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }

  body(): { [key: string]: Json } {
    const { code, hint, entity, errors } = this.extra;
    return {
      object: 'error',
      status: this.status,
      code: code ?? codeByStatus[this.status] ?? (this.status >= 500 ? 'internal_server_error' : 'bad_request'),
      message: this.message,
      ...(hint ? { hint } : {}),
      ...(entity ? { entity } : {}),
      ...(errors ? { errors: errors.map((e) => ({ ...e, ...(e.path ? { path: e.path } : {}) })) } : {}),
    };
  }
}

export function badRequest(message: string, hint?: string): SandboxError {
  return new SandboxError(400, message, hint ? { hint } : {});
}

export function notFound(entity: string, id: string): SandboxError {
  return new SandboxError(404, `No ${entity} with the id ${JSON.stringify(id)} exists.`, {
    entity,
    hint: 'Check the id, and that it belongs to the sandbox of your API key (each key has its own).',
  });
}

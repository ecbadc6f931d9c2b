import type { OpenAPI3 } from 'openapi-typescript';
import { type Operation, operationsOf, resolverFor } from '../spec-requests.ts';

/** One OpenAPI Link of a create's success response: an operation to call on what it created. */
export interface LinkedCall {
  /** The link's name in the spec, such as `GetSessionTemplateProvider`. */
  name: string;
  operation: Operation;
  /** Path parameters of the linked operation, each with its runtime expression (`$response.body#/id`). */
  parameters: Record<string, string>;
}

/**
 * A create and what its OpenAPI `links` say can be done to the object it made. The lifecycle is read
 * from the spec's links only (OpenAPI 3.1 §4.8.20), never guessed from paths: `read` is the linked
 * GET, `update` the linked PATCH or PUT, `remove` the linked DELETE.
 */
export interface Creation {
  create: Operation;
  links: LinkedCall[];
  read: LinkedCall | undefined;
  update: LinkedCall | undefined;
  remove: LinkedCall | undefined;
}

/** Whether a create can be undone: its response links a DELETE. A run, which messages an agent, cannot. */
export function isUndoable(creation: Creation): boolean {
  return creation.remove !== undefined;
}

/** Every POST on a collection (no path parameter at the end) with the operations its 2xx response links, as objects of `operations`. */
export function creationsOf(document: OpenAPI3, operations: Operation[] = operationsOf(document)): Creation[] {
  const resolve = resolverFor(document);
  const byId = new Map(operations.map((op) => [op.operationId, op]));
  return operations
    .filter((op) => op.method === 'post' && !/\}$/.test(op.path))
    .map((create) => {
      const responses = (document.paths as Record<string, any>)[create.path].post.responses as Record<string, unknown>;
      const success = Object.entries(responses).find(([status]) => /^2/.test(status));
      const links = Object.entries((success && resolve<any>(success[1]).links) ?? {}).map(([name, link]) => {
        const resolved = resolve<{ operationId?: string; parameters?: Record<string, string> }>(link as object);
        const operation = resolved.operationId && byId.get(resolved.operationId);
        if (!operation) throw new Error(`Link ${name} of ${create.operationId} names no operation of the spec (operationId ${resolved.operationId}).`);
        return { name, operation, parameters: resolved.parameters ?? {} };
      });
      const find = (...methods: string[]) => links.find((l) => methods.includes(l.operation.method));
      return { create, links, read: find('get'), update: find('patch', 'put'), remove: find('delete') };
    });
}

/**
 * Evaluates an OpenAPI runtime expression (§4.8.20.4) against a create's exchange: `$response.body#/id`,
 * `$request.body#/session_template_id`, `$request.path.session_id`. Anything else is undefined.
 */
export function evaluateExpression(expression: string, exchange: { requestBody?: unknown; requestPath?: Record<string, string>; responseBody: unknown }): unknown {
  const pointer = (root: unknown, ptr: string) =>
    ptr
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), root);
  const body = /^\$(response|request)\.body#(\/.*)?$/.exec(expression);
  if (body) return pointer(body[1] === 'response' ? exchange.responseBody : exchange.requestBody, body[2] ?? '');
  const path = /^\$request\.path\.(.+)$/.exec(expression);
  if (path) return exchange.requestPath?.[path[1]!];
  return undefined;
}

import { createServer, type Server } from 'node:http';
import type { OpenAPI3 } from 'openapi-typescript';
import { type Operation, operationsOf, resolverFor, type Schema } from '../../scripts/lib/spec-requests.ts';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

/** Ways an upstream can break the contract on purpose. */
export type ContractBreak = 'undocumented-field' | 'undocumented-nested-field' | 'wrong-type' | 'missing-required' | 'wrong-status';

/** A request the upstream received, as it arrived. */
export interface RecordedRequest {
  method: string;
  /** The path and query, as sent. */
  url: string;
  operationId: string | undefined;
  body: unknown;
}

/** What `onRequest` may answer in place of the upstream's own answer. */
export type AnswerOverride = { status: number; body: unknown } | undefined;

interface Route {
  operation: Operation;
  pattern: RegExp;
  example: Record<string, unknown>;
  schema: Schema;
}

/**
 * A stand-in for a live Metorial server on 127.0.0.1: it answers every operation with the spec's own
 * success example, except the operations told to break the contract in one way. A create (a POST
 * on a collection) answers its example with a new id (`<example id>_created_<n>`), so a test can
 * tell what a client created from what was there. It records every request (`requests`); a test's
 * `onRequest` runs before each answer, may delay it, and may answer instead.
 */
export class ContractUpstream {
  private readonly server: Server;
  private readonly routes: Route[];
  breaks = new Map<string, ContractBreak>();
  readonly requests: RecordedRequest[] = [];
  onRequest: ((request: RecordedRequest) => Promise<AnswerOverride> | AnswerOverride) | undefined;
  private created = 0;

  constructor(document: OpenAPI3) {
    const resolve = resolverFor(document);
    this.routes = operationsOf(document).map((operation) => {
      const success = (document.paths as any)[operation.path][operation.method].responses['200'];
      const json = resolve<any>(success).content['application/json'];
      const example = resolve<any>(Object.values(json.examples)[0]).value;
      const pattern = new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      return { operation, pattern, example, schema: resolve<Schema>(json.schema) };
    });
    this.server = createServer(async (request, response) => {
      const path = new URL(request.url ?? '/', 'http://upstream').pathname;
      const route = this.routes.find((r) => r.operation.method === request.method?.toLowerCase() && r.pattern.test(path));
      let text = '';
      for await (const chunk of request) text += String(chunk);
      const recorded: RecordedRequest = { method: request.method ?? '', url: request.url ?? '', operationId: route?.operation.operationId, body: text ? JSON.parse(text) : undefined };
      this.requests.push(recorded);
      const override = await this.onRequest?.(recorded);
      if (response.destroyed) return;
      if (!route && !override) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
      const { status, body } = override ?? this.answer(route!);
      response.writeHead(status, { 'content-type': 'application/json', 'metorial-req-id': 'req_upstream' }).end(JSON.stringify(body));
    });
  }

  private answer(route: Route): { status: number; body: Record<string, unknown> } {
    const body = structuredClone(route.example);
    if (route.operation.method === 'post' && !route.operation.path.endsWith('}')) body.id = `${String(body.id)}_created_${++this.created}`;
    switch (this.breaks.get(route.operation.operationId)) {
      case 'undocumented-field':
        return { status: 200, body: { ...body, undocumented_field: true } };
      case 'undocumented-nested-field': {
        // A field added to the first nested object found, depth first (a server run's server).
        const nested = deepestObject(body);
        nested.undocumented_field = true;
        return { status: 200, body };
      }
      case 'wrong-type':
        return { status: 200, body: { ...body, object: 12_345 } };
      case 'missing-required': {
        const { [route.schema.required!.at(-1)!]: _, ...rest } = body;
        return { status: 200, body: rest };
      }
      case 'wrong-status':
        return { status: 201, body };
      default:
        return { status: 200, body };
    }
  }

  lastRequiredField(operationId: string): string {
    return this.routes.find((r) => r.operation.operationId === operationId)!.schema.required!.at(-1)!;
  }

  start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}

/** The innermost object reached by following each object's first object-valued field. */
function deepestObject(value: Record<string, unknown>): Record<string, unknown> {
  const next = Object.values(value).find((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
  return next ? deepestObject(next) : value;
}

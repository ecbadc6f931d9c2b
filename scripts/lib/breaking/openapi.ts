import type { Change, Direction, Severity } from './change.ts';
import type { Schema } from './schema.ts';

/* The parts of an OpenAPI 3.1 document the comparison reads (OpenAPI 3.1 §4.8). */

export interface MediaType {
  schema?: Schema;
}
export type Content = Record<string, MediaType>;

export interface Parameter {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie' | string;
  required?: boolean;
  schema?: Schema;
  content?: Content;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
}
export interface Header {
  required?: boolean;
  schema?: Schema;
  content?: Content;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
export interface Response {
  headers?: Record<string, Header>;
  content?: Content;
}
export interface RequestBody {
  required?: boolean;
  content?: Content;
}
export type SecurityRequirement = Record<string, string[]>;
export interface Operation {
  parameters?: Parameter[];
  requestBody?: RequestBody;
  responses?: Record<string, Response>;
  security?: SecurityRequirement[];
  deprecated?: boolean;
  'x-sunset'?: string;
  /** Requests the API makes to the caller, by name, then runtime expression (OpenAPI 3.1 §4.8.18). */
  callbacks?: Record<string, Record<string, PathItem>>;
}
export type PathItem = Record<string, unknown> & { parameters?: Parameter[] };
export interface OpenApiDocument {
  openapi?: string;
  paths?: Record<string, PathItem>;
  webhooks?: Record<string, PathItem>;
  security?: SecurityRequirement[];
  components?: { securitySchemes?: Record<string, Record<string, unknown>> };
}

/**
 * One operation being compared, and which way its data flows: for a path the client sends the
 * request; for a webhook the API sends it and the client answers, so every verdict is mirrored.
 */
export interface OperationScope {
  operation: string;
  /** The direction of the operation's request: `request` for paths, `response` for webhooks. */
  requestDirection: Direction;
  report(change: Change): void;
}

/** Reports a change of the operation at `location` (`request body`, `response 200 header X-Rate`). */
export function reportAt(scope: OperationScope, severity: Severity, rule: string, location: string, message: string): void {
  scope.report({ severity, rule, operation: scope.operation, location, message });
}

/** The direction of data the caller receives in an operation's responses. */
export const responseDirection = (scope: OperationScope): Direction => (scope.requestDirection === 'request' ? 'response' : 'request');

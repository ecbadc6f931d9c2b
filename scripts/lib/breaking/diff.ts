import type { Change } from './change.ts';
import { dereference } from './deref.ts';
import { removalOf, sunsetMove } from './deprecation.ts';
import type { OpenApiDocument, Operation, OperationScope, Parameter, PathItem } from './openapi.ts';
import { asOpenApi31 } from './openapi-version.ts';
import { diffParameters, effectiveParameters } from './parameters.ts';
import { diffRequestBody } from './request-body.ts';
import { diffResponses } from './responses.ts';
import { diffSecurity, diffSecuritySchemes } from './security.ts';

/** Any OpenAPI 3.0 or 3.1 document, as the baseline loaders and the changelog pass it. */
export interface Document {
  openapi?: string | undefined;
  info?: { version?: string | undefined } | undefined;
  paths?: object | undefined;
  webhooks?: object | undefined;
  security?: object[] | undefined;
  components?: object | undefined;
}

export interface CompareOptions {
  /** The time sunset dates are compared with; the current time unless given. */
  now?: Date;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Located {
  operation: Operation;
  /** The path template as written (`/runs/{run_id}`), or the webhook name. */
  path: string;
  pathParameters: Parameter[];
  /** Whether the API sends this operation's request: a webhook (OpenAPI 3.1 §4.8.1) or a callback. */
  webhook: boolean;
}

/**
 * Every operation of a document by a key that survives renames that callers do not see: paths
 * whose templates differ only in parameter names are one endpoint (`GET /runs/{}`); webhooks are
 * `webhook <name> <METHOD>`, and callbacks `<operation> callback <name> <expression> <METHOD>`.
 */
function operationsOf(document: OpenApiDocument): Map<string, Located> {
  const found = new Map<string, Located>();
  const add = (items: Record<string, PathItem> | undefined, keyOf: (path: string, method: string) => string, webhook: boolean) => {
    for (const [path, item] of Object.entries(items ?? {})) {
      for (const method of methods) {
        const operation = item[method] as Operation | undefined;
        if (!operation) continue;
        const key = keyOf(path, method.toUpperCase());
        found.set(key, { operation, path, pathParameters: item.parameters ?? [], webhook });
        for (const [name, expressions] of Object.entries(operation.callbacks ?? {})) {
          add(expressions, (expression, callbackMethod) => `${key} callback ${name} ${expression} ${callbackMethod}`, true);
        }
      }
    }
  };
  add(document.paths, (path, method) => `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`, false);
  add(document.webhooks, (name, method) => `webhook ${name} ${method}`, true);
  return found;
}

class Comparison {
  readonly changes: Change[] = [];
  private readonly report = (change: Change) => this.changes.push(change);

  constructor(
    private readonly base: OpenApiDocument,
    private readonly head: OpenApiDocument,
    private readonly now: Date,
  ) {}

  run(): Change[] {
    const before = operationsOf(this.base);
    const after = operationsOf(this.head);
    for (const [key, located] of before) {
      const next = after.get(key);
      if (next) this.operation(key, located, next);
      else this.report({ ...removalOf(located.operation, this.now), operation: key, location: '' });
    }
    for (const [key, located] of after) {
      if (!before.has(key)) this.report({ severity: 'non-breaking', rule: 'operation-added', operation: key, location: '', message: located.webhook ? 'new webhook' : 'new operation' });
    }
    const operations = (map: Map<string, Located>) => [...map.values()].map((l) => l.operation);
    diffSecuritySchemes(this.base, this.head, { base: operations(before), head: operations(after) }, this.report);
    return this.changes;
  }

  private operation(key: string, base: Located, head: Located): void {
    const scope: OperationScope = { operation: key, requestDirection: base.webhook ? 'response' : 'request', report: this.report };
    const [old, next] = [base.operation, head.operation];
    if (Boolean(old.deprecated) !== Boolean(next.deprecated)) {
      this.report({ severity: 'non-breaking', rule: next.deprecated ? 'operation-deprecated' : 'operation-reactivated', operation: key, location: '', message: next.deprecated ? 'the operation is now deprecated' : 'the operation is no longer deprecated' });
    }
    const moved = sunsetMove(old, next);
    if (moved) this.report({ ...moved, operation: key, location: '' });
    diffParameters(scope, [base.path, head.path], effectiveParameters(base.pathParameters, old.parameters), effectiveParameters(head.pathParameters, next.parameters));
    diffRequestBody(scope, old.requestBody, next.requestBody);
    diffResponses(scope, old.responses ?? {}, next.responses ?? {});
    if (!base.webhook) diffSecurity(scope, old.security ?? this.base.security, next.security ?? this.head.security);
  }
}

/**
 * Every change from `base` to `head`, each with its severity (breaking or not for existing
 * callers and clients generated from `base`), a rule from rules.ts, the operation and the place.
 * This is the one entry point: the CLI (`npm run breaking`), the gate and the changelog call it.
 * Reads OpenAPI 3.1 and 3.0 documents (3.0 converted by asOpenApi31).
 * @throws PipelineError for a document that is not OpenAPI 3.0 or 3.1; Error for a dangling `$ref`.
 */
export function compareSpecs(base: Document, head: Document, options: CompareOptions = {}): Change[] {
  const read = (document: Document, role: 'base' | 'head') => dereference(asOpenApi31(document, role)) as OpenApiDocument;
  return new Comparison(read(base, 'base'), read(head, 'head'), options.now ?? new Date()).run();
}

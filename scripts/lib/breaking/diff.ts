import type { Change } from './change.ts';
import { documentLevel } from './change.ts';
import { dereference } from './deref.ts';
import { diffSchema, type SchemaNode } from './schema-diff.ts';

/* The parts of an OpenAPI document the comparison reads. */
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: SchemaNode;
}
interface Media {
  schema?: SchemaNode;
}
interface Response {
  headers?: Record<string, { schema?: SchemaNode; required?: boolean }>;
  content?: Record<string, Media>;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, Media> };
  responses?: Record<string, Response>;
  security?: Record<string, string[]>[];
}
/** Any OpenAPI document; read through the shapes above. */
export interface Document {
  info?: { version?: string | undefined } | undefined;
  paths?: object | undefined;
  security?: object[] | undefined;
  components?: object | undefined;
}

interface ReadDocument {
  paths?: Record<string, Record<string, unknown>>;
  security?: Record<string, string[]>[];
  components?: { securitySchemes?: Record<string, unknown> };
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function operationsOf(document: ReadDocument): Map<string, Operation & { pathParameters: Parameter[] }> {
  const found = new Map<string, Operation & { pathParameters: Parameter[] }>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of methods) {
      const operation = item[method] as Operation | undefined;
      // Path templates that differ only in parameter names are the same endpoint.
      if (operation) found.set(`${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`, { ...operation, pathParameters: (item.parameters as Parameter[]) ?? [] });
    }
  }
  return found;
}

const securityNames = (security: Record<string, string[]>[] | undefined) =>
  (security ?? []).map((requirement) => Object.keys(requirement).sort().join(' + ') || '(none)').sort();

class Comparison {
  readonly changes: Change[] = [];
  private readonly report = (change: Change) => this.changes.push(change);

  constructor(private readonly base: ReadDocument, private readonly head: ReadDocument) {}

  run(): Change[] {
    const before = operationsOf(this.base);
    const after = operationsOf(this.head);
    for (const [key, operation] of before) {
      const next = after.get(key);
      if (!next) this.report({ severity: 'breaking', rule: 'operation-removed', operation: key, location: '', message: 'the operation was removed' });
      else this.operation(key, operation, next);
    }
    for (const key of after.keys()) {
      if (!before.has(key)) this.report({ severity: 'non-breaking', rule: 'operation-added', operation: key, location: '', message: 'new operation' });
    }
    this.securitySchemes();
    return this.changes;
  }

  private operation(key: string, base: Operation & { pathParameters: Parameter[] }, head: Operation & { pathParameters: Parameter[] }): void {
    this.parameters(key, [...base.pathParameters, ...(base.parameters ?? [])], [...head.pathParameters, ...(head.parameters ?? [])]);
    this.requestBody(key, base.requestBody, head.requestBody);
    this.responses(key, base.responses ?? {}, head.responses ?? {});
    const securityBefore = securityNames(base.security ?? this.base.security);
    const securityAfter = securityNames(head.security ?? this.head.security);
    if (securityBefore.join() !== securityAfter.join()) {
      this.report({ severity: 'breaking', rule: 'security-changed', operation: key, location: 'security', message: `security changed from ${securityBefore.join(' or ') || 'none'} to ${securityAfter.join(' or ') || 'none'}` });
    }
  }

  private parameters(key: string, base: Parameter[], head: Parameter[]): void {
    // Path parameters are matched by position (a rename is not a change for callers), others by name.
    const id = (p: Parameter, list: Parameter[]) => (p.in === 'path' ? `path #${list.filter((x) => x.in === 'path').indexOf(p)}` : `${p.in} ${p.name}`);
    const after = new Map(head.map((p) => [id(p, head), p]));
    const before = new Map(base.map((p) => [id(p, base), p]));
    for (const [name, parameter] of before) {
      const next = after.get(name);
      const location = `${parameter.in} parameter ${parameter.name}`;
      if (!next) {
        this.report({ severity: 'breaking', rule: 'parameter-removed', operation: key, location, message: `the ${location} was removed` });
        continue;
      }
      if (!parameter.required && next.required) this.report({ severity: 'breaking', rule: 'parameter-made-required', operation: key, location, message: `the ${location} is now required` });
      diffSchema(parameter.schema, next.schema, { direction: 'request', operation: key, location, report: this.report });
    }
    for (const [name, parameter] of after) {
      if (before.has(name)) continue;
      const location = `${parameter.in} parameter ${parameter.name}`;
      if (parameter.required) this.report({ severity: 'breaking', rule: 'parameter-added-required', operation: key, location, message: `new required ${location}` });
      else this.report({ severity: 'non-breaking', rule: 'parameter-added', operation: key, location, message: `new optional ${location}` });
    }
  }

  private requestBody(key: string, base: Operation['requestBody'], head: Operation['requestBody']): void {
    if (!base && !head) return;
    if (!base) {
      const required = head!.required ?? false;
      this.report({ severity: required ? 'breaking' : 'non-breaking', rule: required ? 'request-body-added-required' : 'request-body-added', operation: key, location: 'request body', message: `new ${required ? 'required' : 'optional'} request body` });
      return;
    }
    if (!head) {
      this.report({ severity: 'breaking', rule: 'request-body-removed', operation: key, location: 'request body', message: 'the request body was removed' });
      return;
    }
    if (!base.required && head.required) this.report({ severity: 'breaking', rule: 'request-body-made-required', operation: key, location: 'request body', message: 'the request body is now required' });
    this.media(key, 'request body', 'request', base.content ?? {}, head.content ?? {});
  }

  private media(key: string, location: string, direction: 'request' | 'response', base: Record<string, Media>, head: Record<string, Media>): void {
    for (const [type, media] of Object.entries(base)) {
      const next = head[type];
      if (!next) {
        this.report({ severity: 'breaking', rule: 'media-type-removed', operation: key, location, message: `${type} is no longer ${direction === 'request' ? 'accepted' : 'returned'}` });
        continue;
      }
      diffSchema(media.schema, next.schema, { direction, operation: key, location, report: this.report });
    }
  }

  private responses(key: string, base: Record<string, Response>, head: Record<string, Response>): void {
    for (const [status, response] of Object.entries(base)) {
      const next = head[status];
      const location = `response ${status}`;
      if (!next) {
        const success = status.startsWith('2');
        this.report({ severity: success ? 'breaking' : 'non-breaking', rule: 'response-status-removed', operation: key, location, message: `the ${status} response is no longer documented` });
        continue;
      }
      for (const header of Object.keys(response.headers ?? {})) {
        const found = Object.keys(next.headers ?? {}).some((h) => h.toLowerCase() === header.toLowerCase());
        if (!found) this.report({ severity: 'breaking', rule: 'response-header-removed', operation: key, location, message: `the ${header} header is no longer sent` });
      }
      this.media(key, `${location} body`, 'response', response.content ?? {}, next.content ?? {});
    }
    for (const status of Object.keys(head)) {
      if (!(status in base)) this.report({ severity: 'non-breaking', rule: 'response-status-added', operation: key, location: `response ${status}`, message: `new ${status} response` });
    }
  }

  private securitySchemes(): void {
    const before = this.base.components?.securitySchemes ?? {};
    const after = this.head.components?.securitySchemes ?? {};
    for (const [name, scheme] of Object.entries(before)) {
      const { description: _, ...shape } = scheme as Record<string, unknown>;
      const { description: __, ...nextShape } = (after[name] ?? {}) as Record<string, unknown>;
      if (JSON.stringify(shape) !== JSON.stringify(nextShape)) {
        this.report({ severity: 'breaking', rule: 'security-scheme-changed', operation: documentLevel, location: `security scheme ${name}`, message: after[name] ? `the ${name} scheme changed` : `the ${name} scheme was removed` });
      }
    }
  }
}

/** Every change from `base` to `head`, each classified as breaking or not for existing callers. */
export function compareSpecs(base: Document, head: Document): Change[] {
  return new Comparison(dereference(base) as ReadDocument, dereference(head) as ReadDocument).run();
}

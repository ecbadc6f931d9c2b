import { sample } from 'openapi-sampler';
import type { OpenApiDocument } from '../../bundle.ts';
import type { SchemaNode } from '../../schema-node.ts';
import { operationsOf, type Parameter, resolverFor } from '../../spec-requests.ts';
import type { ConsoleData, ConsoleExample, ConsoleOperation, ConsoleParameter, ParameterKind } from './model.ts';

/**
 * Where the console sends by default: the local sandbox (`npm run sandbox`) on its default port.
 * A reader running it elsewhere picks "Another server" and types its URL.
 */
export const localSandboxUrl = 'http://127.0.0.1:4010';

const typesOf = (schema: SchemaNode) => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []).filter((t) => t !== 'null');

/** How a reader enters a value for this schema. */
function kindOf(schema: SchemaNode, style: string | undefined, resolve: ReturnType<typeof resolverFor>): ParameterKind {
  const resolved = resolve<SchemaNode>(schema);
  if (style === 'deepObject' || typesOf(resolved).includes('object')) return { type: 'object', keys: Object.keys(resolved.properties ?? {}) };
  const branches = (resolved.oneOf ?? resolved.anyOf ?? []).map((b) => resolve<SchemaNode>(b));
  if (typesOf(resolved).includes('array') || branches.some((b) => typesOf(b).includes('array'))) return { type: 'list' };
  const single = branches[0] ?? resolved;
  if (single.enum) return { type: 'choice', values: single.enum.map(String) };
  if (typesOf(single).includes('boolean')) return { type: 'choice', values: ['true', 'false'] };
  const numeric = typesOf(single).find((t) => t === 'integer' || t === 'number');
  if (numeric) return { type: 'number', integer: numeric === 'integer', minimum: single.minimum, maximum: single.maximum };
  return { type: 'text' };
}

/** The example of a parameter as it is typed into its field. */
function exampleText(parameter: Parameter & { description?: string }, resolve: ReturnType<typeof resolverFor>): string | undefined {
  const schema = resolve<SchemaNode & { examples?: unknown[]; example?: unknown }>(parameter.schema);
  const value = parameter.example ?? schema.examples?.[0] ?? schema.example;
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'object' && value ? JSON.stringify(value) : String(value);
}

/**
 * The console's view of the document: every operation with its parameters (how each is entered
 * and its example) and its body's named examples; where a body has no example, one made from its
 * schema by openapi-sampler (Redocly's sampler, the one Redoc uses for its own samples).
 */
export function consoleData(document: OpenApiDocument, sandboxUrl = localSandboxUrl): ConsoleData {
  const resolve = resolverFor(document);
  const operations: ConsoleOperation[] = operationsOf(document).map((operation) => {
    const raw = (document.paths as any)[operation.path][operation.method];
    const parameters: ConsoleParameter[] = operation.parameters.map((p) => {
      const described = p as Parameter & { description?: string };
      return {
        name: p.name,
        in: p.in,
        required: p.required === true,
        description: described.description ?? '',
        ...(p.style ? { style: p.style } : {}),
        ...(p.explode !== undefined ? { explode: p.explode } : {}),
        kind: kindOf(p.schema, p.style, resolve),
        example: exampleText(described, resolve),
      };
    });
    let body: ConsoleOperation['body'];
    if (operation.body) {
      const json = resolve<any>(raw.requestBody).content['application/json'];
      const examples: ConsoleExample[] = Object.entries(json.examples ?? {}).map(([name, e]) => {
        const example = resolve<{ summary?: string; value: unknown }>(e as never);
        return { name, summary: example.summary ?? name, value: example.value };
      });
      if (!examples.length) examples.push({ name: 'generated', summary: 'Made from the schema', value: sample(json.schema, { skipReadOnly: true }, document) });
      body = { required: resolve<any>(raw.requestBody).required === true, examples };
    }
    return { operationId: operation.operationId, method: operation.method, path: operation.path, summary: raw.summary ?? operation.operationId, parameters, ...(body ? { body } : {}) };
  });
  const servers = [
    { url: sandboxUrl, description: 'Local sandbox' },
    ...(document.servers ?? []).map((s) => ({ url: s.url.replace(/\/$/, ''), description: s.description ?? s.url })),
  ];
  return { servers, operations };
}

import { PipelineError } from '../run-tool.ts';
import type { Schema } from './schema.ts';

/**
 * The document in OpenAPI 3.1 form. A 3.0 document is converted where the two differ for the
 * comparison (OpenAPI 3.1 §4.8.24 and its migration notes): `nullable: true` becomes `null` in
 * `type` (or an `anyOf` with `{type: 'null'}` when there is no type), and the boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become their numeric forms.
 * @param role `base` or `head`, named in the error.
 * @throws PipelineError for Swagger 2.0 or any version other than 3.0.x and 3.1.x.
 */
export function asOpenApi31<T>(document: T, role: 'base' | 'head'): T {
  const { openapi, swagger } = (document ?? {}) as { openapi?: unknown; swagger?: unknown };
  if (swagger !== undefined) {
    throw new PipelineError(`The ${role} spec is Swagger ${String(swagger)}; the breaking-change check reads OpenAPI 3.0 and 3.1. Convert it to OpenAPI 3 first (for example with swagger2openapi).`);
  }
  if (typeof openapi !== 'string' || !/^3\.[01]\.\d+/.test(openapi)) {
    throw new PipelineError(`The ${role} spec has openapi: ${JSON.stringify(openapi)}; the breaking-change check reads OpenAPI 3.0.x and 3.1.x documents only.`);
  }
  return openapi.startsWith('3.0') ? (convert(document) as T) : document;
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const converted = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, convert(value)])) as Schema & Record<string, unknown>;
  return convertSchemaKeywords(converted);
}

function convertSchemaKeywords(schema: Schema & Record<string, unknown>): Schema {
  const out: Schema & Record<string, unknown> = { ...schema };
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] && out[bound] !== undefined) {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  if (typeof out.nullable !== 'boolean') return out;
  const nullable = out.nullable;
  delete out.nullable;
  if (!nullable) return out;
  if (out.enum && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  if (Array.isArray(out.type)) return { ...out, type: [...new Set([...out.type, 'null'])] };
  return { anyOf: [out, { type: 'null' }] };
}

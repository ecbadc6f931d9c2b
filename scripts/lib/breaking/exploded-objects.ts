import { effectiveSchema } from './effective.ts';
import type { Parameter } from './openapi.ts';

/**
 * A query parameter whose schema is an object, written in form style exploded, puts each property
 * on the query string as a parameter of its own (`page=2&size=10`, OpenAPI 3.1 §4.8.12.4); its own
 * name never appears. Replacing it by its properties, each as a parameter, lets two spellings of the
 * same query compare equal. A parameter whose name `other` (the other version) still has is kept,
 * so that a change of its style is reported as one.
 */
export function explodeObjectParameters(parameters: Parameter[], other: Parameter[]): Parameter[] {
  const kept = new Set(other.filter((p) => p.in === 'query').map((p) => p.name));
  return parameters.flatMap((parameter) => {
    if (kept.has(parameter.name)) return [parameter];
    const form = (parameter.style ?? 'form') === 'form' && (parameter.explode ?? true);
    const schema = effectiveSchema(parameter.schema);
    if (parameter.in !== 'query' || !form || parameter.content || schema.types?.join() !== 'object' || !schema.properties) return [parameter];
    const required = new Set(schema.required ?? []);
    return Object.entries(schema.properties).map(([name, property]): Parameter => ({
      name,
      in: 'query',
      required: Boolean(parameter.required) && required.has(name),
      schema: property,
    }));
  });
}

/** A JSON Schema node of an OpenAPI 3.1 document, as far as our tools read one. */
export interface SchemaNode {
  $ref?: string;
  title?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

/**
 * A resource's object schema: the schema itself, or, for a union of shapes of one object (a provider
 * run in the page's shape or the newer one, DECISIONS S7), one object with every property any shape
 * has and the keys every shape requires. Each item is made from an example of one shape, so it stays
 * valid against the union.
 */
export function mergedShapes(schema: SchemaNode, resolve: <T>(node: T | { $ref: string }) => T): SchemaNode {
  if (schema.properties) return schema;
  // One merged object per union, so that two lists of the same items are seen to share their schema.
  const known = mergedUnions.get(schema);
  if (known) return known;
  const shapes = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].map((branch) => resolve<SchemaNode>(branch)).filter((branch) => branch.properties);
  if (shapes.length === 0) return schema;
  const properties: Record<string, SchemaNode> = {};
  for (const shape of shapes) for (const [name, node] of Object.entries(shape.properties ?? {})) properties[name] ??= node;
  const required = (shapes[0]!.required ?? []).filter((name) => shapes.every((shape) => shape.required?.includes(name)));
  const merged: SchemaNode = { type: 'object', ...(schema.title ? { title: schema.title } : {}), properties, required };
  mergedUnions.set(schema, merged);
  return merged;
}

const mergedUnions = new WeakMap<SchemaNode, SchemaNode>();

import type { SchemaNode } from '../schema-node.ts';

/** One made-up answer of an SDK type, named for what it exercises. */
export interface Sample {
  /** `filled 1 of 3`: every field, non-null, the union branches numbered 1; `nulls`: null wherever allowed. */
  name: string;
  value: unknown;
}

type Node = SchemaNode & { anyOf?: SchemaNode[]; oneOf?: SchemaNode[]; additionalProperties?: boolean | SchemaNode };

const isNullSchema = (node: Node) => node.type === 'null' || (Array.isArray(node.type) && node.type.length === 1 && node.type[0] === 'null');

/** The most branches any union of the schema has: that many filled samples show every branch once. */
function widestUnion(node: Node | undefined, depth = 0): number {
  if (!node || typeof node !== 'object' || depth > 32) return 1;
  const branches = (node.anyOf ?? node.oneOf ?? []).filter((b) => !isNullSchema(b as Node));
  const enumSize = node.enum?.length ?? 1;
  const children: (Node | undefined)[] = [...branches, ...Object.values(node.properties ?? {}), node.items];
  if (typeof node.additionalProperties === 'object') children.push(node.additionalProperties);
  return Math.max(branches.length, enumSize, ...children.map((c) => widestUnion(c, depth + 1)));
}

/**
 * A value of the schema. `variant` picks the branch of each union and the value of each enum (modulo
 * their count); `nulls` makes every nullable value null and leaves optional fields out, where filled
 * samples give every field a non-null value.
 */
function valueOf(node: Node, variant: number, nulls: boolean, depth = 0): unknown {
  if (depth > 32) return null;
  if (node.const !== undefined) return node.const;
  if (node.enum) return node.enum[variant % node.enum.length];
  const union = node.anyOf ?? node.oneOf;
  if (union) {
    if (nulls && union.some((b) => isNullSchema(b as Node))) return null;
    const branches = union.filter((b) => !isNullSchema(b as Node));
    return valueOf(branches[variant % branches.length] as Node, variant, nulls, depth + 1);
  }
  const types = [node.type ?? (node.properties ? 'object' : undefined)].flat().filter((t): t is string => t !== undefined);
  if (nulls && types.includes('null')) return null;
  const type = types.find((t) => t !== 'null');
  switch (type) {
    case 'string':
      return node.format === 'date-time' ? '2026-03-02T09:12:00.000Z' : 'sample';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return variant % 2 === 0;
    case 'array':
      return node.items ? [valueOf(node.items as Node, variant, nulls, depth + 1)] : [];
    case 'object': {
      if (!node.properties) return { key: 'value' }; // Record<string, any>: a map with one entry.
      const required = new Set(node.required ?? []);
      return Object.fromEntries(
        Object.entries(node.properties)
          .filter(([name]) => !nulls || required.has(name))
          .map(([name, child]) => [name, valueOf(child as Node, variant, nulls, depth + 1)]),
      );
    }
    default:
      return 'value'; // `any`: one JSON value.
  }
}

/**
 * Sample answers of an SDK type: one with every field filled per union branch (so each branch and
 * enum value of the widest union or enum appears once), and one with null wherever the type allows.
 */
export function samplesOf(schema: SchemaNode): Sample[] {
  const count = widestUnion(schema as Node);
  const filled = Array.from({ length: count }, (_, i) => ({ name: `filled ${i + 1} of ${count}`, value: valueOf(schema as Node, i, false) }));
  return [...filled, { name: 'nulls', value: valueOf(schema as Node, 0, true) }];
}

/** Keywords whose keys are names chosen by the author, not keywords. */
const propertyMaps = new Set(['properties', 'patternProperties', 'dependentSchemas', 'schemas', 'parameters', 'headers', 'responses', 'content', 'paths', 'webhooks', 'mapping']);

/** Set on each node reached through a `$ref`: the reference, such as `#/components/schemas/Run`. */
export const refTarget = Symbol('refTarget');

/**
 * A copy of an OpenAPI document with every local `$ref` replaced by what it points to, so two
 * versions can be compared node by node whatever their components are called. Each replaced node
 * keeps its reference under `refTarget`, for matching `oneOf` branches. A schema that refers to
 * itself keeps its `$ref` where it recurs. Nodes reached through the same `$ref` may be shared:
 * the copy is read, never changed.
 * @throws Error naming a `$ref` that points nowhere.
 */
export function dereference<T>(document: T): T {
  const root = document as unknown;
  const lookup = (ref: string): unknown =>
    ref
      .slice(2)
      .split('/')
      .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);

  // A target resolved without meeting a recursion point is the same wherever it is used: resolved once.
  const resolved = new Map<string, unknown>();
  let recursionPoints = 0;
  const walk = (node: unknown, seen: string[], parentKey = ''): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, seen));
    if (!node || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/')) {
      if (seen.includes(ref)) {
        recursionPoints++;
        return { $ref: ref };
      }
      const { $ref: _, ...siblings } = node as Record<string, unknown>;
      const plain = Object.keys(siblings).length === 0;
      if (plain && resolved.has(ref)) return resolved.get(ref);
      const target = lookup(ref);
      if (target === undefined) throw new Error(`The spec has a $ref to ${ref}, which does not exist`);
      const before = recursionPoints;
      // A copy, so that naming this reference does not rename a shared target reached through another.
      const result = { ...(walk({ ...(target as object), ...siblings }, [...seen, ref]) as object) } as Record<symbol, unknown>;
      result[refTarget] = ref;
      if (plain && recursionPoints === before) resolved.set(ref, result);
      return result;
    }
    // Examples are not compared; they are left as written (unless the key names a property).
    const skip = (key: string) => (key === 'examples' || key === 'example') && !propertyMaps.has(parentKey);
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, skip(key) ? value : walk(value, seen, key)]));
  };
  return walk(document, []) as T;
}

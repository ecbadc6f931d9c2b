/** Set on each node reached through a `$ref`: the reference, such as `#/components/schemas/Run`. */
export const refTarget = Symbol('refTarget');

/**
 * A copy of an OpenAPI document with every local `$ref` replaced by what it points to, so two
 * versions can be compared node by node whatever their components are called. Each replaced node
 * keeps its reference under `refTarget`, for matching `oneOf` branches. A schema that refers to
 * itself keeps its `$ref` where it recurs.
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

  const walk = (node: unknown, seen: string[]): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, seen));
    if (!node || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/')) {
      if (seen.includes(ref)) return { $ref: ref };
      const target = lookup(ref);
      if (target === undefined) throw new Error(`The spec has a $ref to ${ref}, which does not exist`);
      const { $ref: _, ...siblings } = node as Record<string, unknown>;
      const resolved = walk({ ...(target as object), ...siblings }, [...seen, ref]) as Record<symbol, unknown>;
      resolved[refTarget] = ref;
      return resolved;
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, seen)]));
  };
  return walk(document, []) as T;
}

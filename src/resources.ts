import { resourceTable, type ResourceTable } from '../generated/resource-table.ts';

/** How a resource method sends its call: the client's own throwing call and list, so both styles share one core. */
export interface ResourceCore {
  call(method: string, path: string, init: Record<string, unknown>): Promise<unknown>;
  list(path: string, init: Record<string, unknown>): unknown;
}

/**
 * The method of one table entry (`get /runs/{run_id}`, `list /runs q`, `post /runs b`): it takes the
 * path's parameters in order, then what the flags name in their order (b: the body, q: the query),
 * then the per-call options, and makes the call the path style makes for the same operation.
 */
function resourceMethod(entry: string, core: ResourceCore) {
  const [verb, path, flags = ''] = entry.split(' ') as [string, string, string?];
  const names = path.match(/[^{}]+(?=\})/g) ?? [];
  return (...args: unknown[]) => {
    const after = (index: number) => args[names.length + index];
    const init: Record<string, unknown> = {
      ...(after(flags.length) as object),
      params: { path: Object.fromEntries(names.map((name, index) => [name, args[index]])), query: flags.includes('q') ? after(flags.indexOf('q')) : undefined },
    };
    if (flags.includes('b')) init.body = after(flags.indexOf('b'));
    return verb === 'list' ? core.list(path, init) : core.call(verb, path, init);
  };
}

/**
 * Puts the resources of `table` on `target` (`target.runs`, `target.sessions.providerRuns`), each
 * built when first read, so a program pays only for the resources it uses.
 */
export function defineResources(target: object, core: ResourceCore, table: ResourceTable = resourceTable): void {
  for (const name of Object.keys(table)) {
    const node = table[name]!;
    if (typeof node === 'string') {
      Object.defineProperty(target, name, { value: resourceMethod(node, core), enumerable: true });
      continue;
    }
    Object.defineProperty(target, name, {
      configurable: true,
      enumerable: true,
      get() {
        const resource = {};
        defineResources(resource, core, node);
        Object.defineProperty(target, name, { value: resource, enumerable: true });
        return resource;
      },
    });
  }
}

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
    if (flags.includes('b')) init.body = after(0);
    return verb === 'list' ? core.list(path, init) : core.call(verb, path, init);
  };
}

/**
 * Puts the resources of `table` on `target` (`target.runs`, `target.sessions.providerRuns`) and their
 * methods, each built when first read, so a program pays only for what it uses; returns `target`.
 */
export function defineResources<T extends object>(target: T, core: ResourceCore, table: ResourceTable = resourceTable): T {
  for (const [name, node] of Object.entries(table)) {
    let built: unknown;
    Object.defineProperty(target, name, { enumerable: true, get: () => (built ??= typeof node === 'string' ? resourceMethod(node, core) : defineResources({}, core, node)) });
  }
  return target;
}

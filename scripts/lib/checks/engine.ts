import type { OpenAPI3 } from 'openapi-typescript';
import { CheckClient, statusOf } from './client.ts';
import { type CheckContext, Recorder, type RunningCheck, type Walk } from './context.ts';
import { checkFilters } from './filters.ts';
import { type BehaviourReport, type CheckName, checkNames, writeChecks } from './findings.ts';
import type { Ledger } from './ledger.ts';
import { type Bodies, bodiesFromData, checkAvailability, checkUpdateVisible, checkUseAfterFree, createOwned, isSoftDelete, type Owned } from './lifecycle.ts';
import { isUndoable } from './links.ts';
import { type ListModel, modelOf } from './model.ts';
import { checkCursor, checkPagination } from './pagination.ts';
import { checkScoping, type ScopeTarget } from './scoping.ts';
import { checkIgnoredAuth } from './auth.ts';
import { checkTenancyReads, checkTenancyWrites } from './tenancy.ts';
import { walkList } from './walk.ts';

export interface BehaviourOptions {
  /** `validated`: the server through Prism's validating proxy (or the server itself); `direct`: the server itself. */
  urls: { validated: string; direct: string };
  apiKey: string;
  /** A key of another tenant: enables the tenancy check. */
  secondKey?: string;
  /**
   * Write checks run only with this; creates that no DELETE undoes only when named in
   * `allowIrreversible`. `referencesFromData` fills a create's reference ids from the server's own
   * lists (bodiesFromData): for a sandbox only, never a live server.
   */
  writes?: { allowIrreversible?: string[]; bodies?: Bodies; referencesFromData?: boolean };
  /** The run's ledger: every write passes its guard, and the caller removes what it holds at the end. */
  ledger: Ledger;
  /**
   * Tenancy by created objects only: for a server that gives every key a copy of the same seeded
   * objects, ids and all (the sandbox), where reading one key's seeded ids with another key tells
   * nothing. A live API's ids are unique across tenants, so it is never set there.
   */
  seededPerKey?: boolean;
  /** Only these checks (default: every check the options allow). */
  only?: CheckName[];
  /** Pages of a list walked at most, at its maximum limit (default 10). */
  maxPages?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Runs the behaviour checks derived from the spec against a server: read checks side by side
 * (pagination, cursor, filters, scoping, ignored auth on reads, tenancy by reading), then, with
 * `writes`, the stateful sequences its OpenAPI links declare (resource availability, update visible,
 * use after free), ignored auth on writes and tenancy of created objects. Writes go only to objects
 * this run creates (the ledger's guard); removing what is left is the caller's (`ledger.removeAll`).
 */
export async function runBehaviourChecks(document: OpenAPI3, options: BehaviourOptions): Promise<BehaviourReport> {
  const model = modelOf(document);
  const ledger = options.ledger;
  const client = new CheckClient(options.urls, options.apiKey, ledger, options.timeoutMs, options.signal);
  const context: CheckContext = {
    model,
    client,
    second: options.secondKey ? client.withKey(options.secondKey) : undefined,
    writes: options.writes !== undefined,
    maxPages: options.maxPages ?? 10,
    recorder: new Recorder(),
  };
  const wanted = (check: CheckName) => (options.only ?? checkNames).includes(check) && (context.writes || !writeChecks.includes(check));
  const given = options.writes?.bodies ?? {};
  const bodies = options.writes?.referencesFromData ? await bodiesFromData(client.fresh(), model, given) : given;
  const run = async (check: CheckName, operationId: string, body: (running: RunningCheck) => Promise<void>): Promise<void> => {
    if (!wanted(check) || options.signal?.aborted) return;
    const running = context.recorder.start(check, operationId, client);
    try {
      await body(running);
    } catch (error) {
      running.find(`${operationId} (${check})`, 'answers to every request', `no answer: ${(error as Error).message}`);
    } finally {
      running.done();
    }
  };

  // The unfiltered walk of every list: unscoped lists first, as they give nested lists their parent.
  const baselines = new Map<ListModel, { path: Record<string, string>; walk: Walk; target?: ScopeTarget }>();
  const baselineClient = client.fresh();
  await Promise.all(
    model.lists.filter((l) => !l.scope && !l.operation.path.includes('{')).map(async (list) => {
      baselines.set(list, { path: {}, walk: await walkList(baselineClient, list, {}, {}, context.maxPages) });
    }),
  );
  await Promise.all(
    model.lists.filter((l) => l.scope).map(async (list) => {
      const target = scopeTarget(list, baselines.get(list.scope!.unscoped!)?.walk);
      if (!target) return;
      const path = { [list.scope!.parameter]: target.parent };
      baselines.set(list, { path, walk: await walkList(baselineClient, list, path, {}, context.maxPages), target });
    }),
  );

  await Promise.all([
    ...model.lists.map(async (list) => {
      const baseline = baselines.get(list);
      if (!baseline) {
        for (const check of ['pagination', 'filters', 'scoping'] as const) {
          await run(check, list.operation.operationId, async (c) => c.note('no parent with items to list under'));
        }
        return;
      }
      if (baseline.walk.failed) {
        await run('pagination', list.operation.operationId, async (c) => c.find(baseline.walk.failed!, '200 with a page of the list', statusOf(baseline.walk.failed!)));
        return;
      }
      await Promise.all([
        run('pagination', list.operation.operationId, (c) => checkPagination(c, list, baseline.path, baseline.walk)),
        run('cursor', list.operation.operationId, (c) => checkCursor(c, list, baseline.path, baseline.walk)),
        run('filters', list.operation.operationId, (c) => checkFilters(c, list, baseline.path, baseline.walk, context.maxPages)),
        list.scope && baseline.target
          ? run('scoping', list.operation.operationId, (c) => checkScoping(c, list, baseline.target!, baseline.walk, list.scope!.unscoped && baselines.get(list.scope!.unscoped)?.walk))
          : undefined,
        context.second && !list.operation.path.includes('{') && !options.seededPerKey
          ? run('tenancy', list.operation.operationId, (c) => checkTenancyReads(c, context.second!.fresh(), list, baseline.walk, context.maxPages))
          : undefined,
      ]);
    }),
    ...model.operations.filter((op) => op.method === 'get').map((op) => run('ignored_auth', op.operationId, (c) => checkIgnoredAuth(c, model, op, bodies))),
  ]);

  if (context.writes) {
    const allowed = (operationId: string) => options.writes?.allowIrreversible?.includes(operationId) ?? false;
    const creations = model.creations.filter((c) => isUndoable(c) || allowed(c.create.operationId));
    await Promise.all([
      ...creations.map(async (creation) => {
        let owned: Owned | undefined;
        const create = async (client: CheckClient) => (owned = (await createOwned(client, creation, bodies)).owned);
        if (wanted('resource_availability')) {
          await run('resource_availability', creation.create.operationId, async (c) => {
            const made = await createOwned(c.client, creation, bodies);
            owned = made.owned;
            if (!owned) return c.find(made.exchange, '2xx with the created object and its id', statusOf(made.exchange));
            await checkAvailability(c, model, creation, owned, context.maxPages);
          });
        } else if ((creation.update && wanted('update_visible')) || (creation.remove && wanted('use_after_free'))) {
          // The object the later checks work on; its create is not itself checked.
          await create(client.fresh()).catch(() => undefined);
        }
        if (!owned) return;
        if (creation.update) await run('update_visible', creation.update.operation.operationId, (c) => checkUpdateVisible(c, creation, owned!, bodies));
        if (creation.remove) await run('use_after_free', creation.remove.operation.operationId, (c) => checkUseAfterFree(c, model, creation, owned!, bodies, context.maxPages, isSoftDelete(document, creation)));
      }),
      ...model.operations
        .filter((op) => op.method !== 'get' && !model.creations.some((c) => c.create === op && !isUndoable(c) && !allowed(op.operationId)))
        .map((op) => run('ignored_auth', op.operationId, (c) => checkIgnoredAuth(c, model, op, bodies))),
      ...(context.second
        ? creations.map((creation) =>
            run('tenancy', creation.create.operationId, (c) =>
              checkTenancyWrites(c, context.second!.fresh(), creation, model.lists.find((l) => l.operation.path === creation.create.path), bodies, context.maxPages),
            ),
          )
        : []),
    ]);
  }
  const { runs, findings } = context.recorder;
  return { runs, findings };
}

/** A nested list's parent with the most items in the unscoped list, an item of it, and an item of another parent. */
function scopeTarget(list: ListModel, unscoped: Walk | undefined): ScopeTarget | undefined {
  const property = list.scope!.property;
  const counts = new Map<string, number>();
  for (const item of unscoped?.items ?? []) if (typeof item?.[property] === 'string') counts.set(item[property], (counts.get(item[property]) ?? 0) + 1);
  const parent = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!parent) return undefined;
  const items = unscoped!.items;
  return { parent, member: items.find((i) => i?.[property] === parent)?.id, stranger: items.find((i) => typeof i?.[property] === 'string' && i[property] !== parent)?.id };
}

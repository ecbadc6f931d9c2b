import { type CheckClient, statusOf } from './client.ts';
import type { RunningCheck, Walk } from './context.ts';
import { idList } from './findings.ts';
import { type Bodies, bodyFor, createOwned } from './lifecycle.ts';
import type { Creation } from './links.ts';
import type { ListModel } from './model.ts';
import { walkList } from './walk.ts';

/** How many of the first key's items are asked for by id with the second key. */
const probes = 3;

/**
 * Tenancy, read-only: the first key's items (`own`, its walk of an unscoped list) are invisible to
 * the second key, by id (404) and in the second key's walk of the same list.
 */
export async function checkTenancyReads(check: RunningCheck, second: CheckClient, list: ListModel, own: Walk, maxPages: number): Promise<void> {
  const ids: string[] = own.items.map((item) => item?.id);
  if (ids.length === 0) return check.note("the first key's list is empty: nothing to hide");
  const theirs = await walkList(second, list, {}, {}, maxPages);
  const leaked = theirs.items.map((i) => i?.id).filter((id) => ids.includes(id));
  if (leaked.length) check.find(`${list.operation.method.toUpperCase()} ${list.operation.path} with the second key`, "none of the first key's items", `${idList(leaked)}`);
  if (!list.itemRead) {
    check.run.requests += second.requests;
    return;
  }
  const idName = /\{([^}]+)\}$/.exec(list.itemRead.path)![1]!;
  for (const id of ids.slice(0, probes)) {
    const answer = await second.call(list.itemRead, { path: { [idName]: id }, query: {} });
    if (answer.status !== 404) check.find(`${answer.request} with the second key`, `404: ${id} belongs to the first key`, `status ${answer.status}`);
  }
  check.run.requests += second.requests;
}

/**
 * Tenancy, with writes: an object the first key creates is a 404 for the second key to read, update
 * and delete, is not in the second key's list, and is still there for the first key afterwards.
 */
export async function checkTenancyWrites(check: RunningCheck, second: CheckClient, creation: Creation, list: ListModel | undefined, bodies: Bodies, maxPages: number): Promise<void> {
  const { owned, exchange } = await createOwned(check.client, creation, bodies);
  if (!owned) return check.note(`the create failed (${exchange.request}: ${statusOf(exchange)})`);
  for (const link of [creation.read, creation.update, creation.remove]) {
    if (!link) continue;
    const body = link.operation.method === 'get' || link.operation.method === 'delete' ? {} : { body: bodyFor(link.operation, bodies) };
    const answer = await second.call(link.operation, { ...owned.valuesFor(link.operation), ...body });
    if (answer.status !== 404) check.find(`${answer.request} with the second key`, `404: ${owned.id} belongs to the first key`, `status ${answer.status}`);
  }
  if (list) {
    const theirs = await walkList(second, list, {}, {}, maxPages);
    if (theirs.items.some((i) => i?.id === owned.id)) check.find(`${list.operation.method.toUpperCase()} ${list.operation.path} with the second key`, `no ${owned.id} (the first key's)`, 'in it');
  }
  if (creation.read) {
    const still = await check.client.call(creation.read.operation, owned.valuesFor(creation.read.operation));
    if (still.status !== 200) check.find(still, `200: the second key's requests must not have changed ${owned.id}`, `status ${still.status}`);
  }
  check.run.requests += second.requests;
}

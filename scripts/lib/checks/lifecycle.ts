import { setTimeout as sleep } from 'node:timers/promises';
import type { OpenAPI3 } from 'openapi-typescript';
import { documentedRequest, type Operation, type RequestValues, resolverFor, type Schema } from '../spec-requests.ts';
import { type CheckClient, type Exchange, statusOf } from './client.ts';
import type { RunningCheck } from './context.ts';
import { idList } from './findings.ts';
import type { Creation } from './links.ts';
import { type ApiModel, propertyNamed } from './model.ts';
import { fetchPage, valueAt } from './walk.ts';

/** Request bodies by operationId, in place of the spec's first example. */
export type Bodies = Record<string, unknown>;

/** The body a write sends: the one given for its operationId, else the spec's first example. */
export function bodyFor(operation: Operation, bodies: Bodies): unknown {
  return bodies[operation.operationId] ?? documentedRequest(operation).body;
}

/**
 * Create bodies whose references name what the server holds: each top-level field of the create's
 * body that names a property of the items its collection lists (propertyNamed: `session_template_id`,
 * `provider_deployment_id` → `deployment.id`) takes that property's value in the list's first item,
 * and is left out when that item has none. For a sandbox, whose data the run owns: on a live server
 * this would add to a customer's parent (a session template), so live runs take `--body` instead.
 */
export async function bodiesFromData(client: CheckClient, model: ApiModel, bodies: Bodies): Promise<Bodies> {
  const result: Bodies = { ...bodies };
  for (const creation of model.creations) {
    const list = collectionList(model, creation);
    const body = bodyFor(creation.create, bodies);
    if (!list || !body || typeof body !== 'object') continue;
    const page = await fetchPage(client, list, {}, { limit: 1 });
    const item = page.items[0];
    if (!item) continue;
    const filled: Record<string, unknown> = structuredClone(body as Record<string, unknown>);
    for (const [field, value] of Object.entries(filled)) {
      if (typeof value !== 'string') continue;
      const property = propertyNamed(field, Object.keys(item), (p) => item[p] !== null && typeof item[p] === 'object');
      if (!property) continue;
      const held = valueAt(item, property);
      if (typeof held === 'string') filled[field] = held;
      else delete filled[field];
    }
    result[creation.create.operationId] = filled;
  }
  return result;
}

/** An object a check created: its id, the create's exchange, and the path values its links take. */
export interface Owned {
  id: string;
  /** The create's request body, as sent. */
  sent: unknown;
  created: Exchange;
  valuesFor(operation: Operation): RequestValues;
}

/** Creates one object with `creation` and records it in the run's ledger; undefined (with the exchange) when the server made none. */
export async function createOwned(client: CheckClient, creation: Creation, bodies: Bodies): Promise<{ owned: Owned | undefined; exchange: Exchange }> {
  const values = { ...documentedRequest(creation.create), body: bodyFor(creation.create, bodies) };
  const exchange = await client.call(creation.create, values);
  const id = exchange.status < 300 ? client.ledger.record(creation, { requestBody: values.body, requestPath: values.path, responseBody: exchange.body }) : undefined;
  if (!id) return { owned: undefined, exchange };
  const valuesFor = (operation: Operation): RequestValues => {
    const link = creation.links.find((l) => l.operation === operation);
    return (link && client.ledger.valuesFor(link, id)) ?? { path: {}, query: {} };
  };
  return { owned: { id, sent: values.body, created: exchange, valuesFor }, exchange };
}

/** The list of the collection a create adds to (the GET on the create's path). */
function collectionList(model: ApiModel, creation: Creation) {
  return model.lists.find((l) => l.operation.path === creation.create.path);
}

/** Whether `id` is in the default list, newest first, looking through at most `maxPages` pages. */
async function listed(client: CheckClient, model: ApiModel, creation: Creation, id: string, maxPages: number): Promise<{ found: boolean; exchange: Exchange | undefined; complete: boolean }> {
  const list = collectionList(model, creation);
  if (!list) return { found: false, exchange: undefined, complete: false };
  let after: string | undefined;
  let first: Exchange | undefined;
  for (let pages = 0; pages < maxPages; pages++) {
    const order = list.pagination.orders.includes('desc') ? { order: 'desc' } : {};
    const page = await fetchPage(client, list, {}, { ...order, ...(list.pagination.maxLimit ? { limit: list.pagination.maxLimit } : {}), ...(after ? { after } : {}) });
    first ??= page.exchange;
    if (page.ids.includes(id)) return { found: true, exchange: first, complete: true };
    if (page.hasMoreAfter !== true || page.ids.length === 0) return { found: false, exchange: first, complete: true };
    after = page.ids.at(-1);
  }
  return { found: false, exchange: first, complete: false };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Resource availability: what a create returns can be read back by id (its read link) and is in
 * the collection's list, and the fields it was sent come back as sent.
 */
export async function checkAvailability(check: RunningCheck, model: ApiModel, creation: Creation, owned: Owned, maxPages: number): Promise<void> {
  const sent = (owned.sent ?? {}) as Record<string, unknown>;
  const echoed = Object.keys(sent).filter((k) => owned.created.body?.[k] !== undefined && !sameJson(owned.created.body[k], sent[k]));
  if (echoed.length) check.find(owned.created, `the fields sent back as sent: ${echoed.map((k) => `${k} ${JSON.stringify(sent[k])}`).join(', ')}`, echoed.map((k) => `${k} ${JSON.stringify(owned.created.body[k])}`).join(', '));
  if (creation.read) {
    const read = await check.client.call(creation.read.operation, owned.valuesFor(creation.read.operation));
    if (read.status !== 200 || read.body?.id !== owned.id) check.find(read, `200 with ${owned.id}, just created`, read.status === 200 ? `id ${read.body?.id}` : `status ${read.status}`);
  } else {
    check.note('no read link: not read back');
  }
  const inList = await listed(check.client, model, creation, owned.id, maxPages);
  if (inList.exchange && !inList.found && inList.complete) check.find(inList.exchange, `${owned.id}, just created, in the list`, 'not in it');
}

/** Update visible: after the linked update, a read shows the update's answer, and `updated_at` moved forward (`created_at` did not). */
export async function checkUpdateVisible(check: RunningCheck, creation: Creation, owned: Owned, bodies: Bodies): Promise<void> {
  const update = creation.update!;
  const before = owned.created.body;
  // A server that stores whole seconds needs a second to pass before updated_at can move.
  await sleep(/\.\d/.test(String(before?.updated_at)) ? 20 : 1_100);
  const values = { ...owned.valuesFor(update.operation), body: bodyFor(update.operation, bodies) };
  const updated = await check.client.call(update.operation, values);
  if (updated.status >= 300) return check.find(updated, `2xx: ${owned.id} was just created by this run`, statusOf(updated));
  const sent = (values.body ?? {}) as Record<string, unknown>;
  const ignored = Object.keys(sent).filter((k) => updated.body?.[k] !== undefined && !sameJson(updated.body[k], sent[k]));
  if (ignored.length) check.find(updated, `the fields sent back as sent: ${ignored.join(', ')}`, ignored.map((k) => `${k} ${JSON.stringify(updated.body[k])}`).join(', '));
  if (!creation.read) return check.note('no read link: the update is not read back');
  const read = await check.client.call(creation.read.operation, owned.valuesFor(creation.read.operation));
  if (read.status !== 200) return check.find(read, `200 with ${owned.id}`, `status ${read.status}`);
  const { updated_at: readAt, ...readRest } = read.body ?? {};
  const { updated_at: answerAt, ...answerRest } = updated.body ?? {};
  if (!sameJson(readRest, answerRest) || readAt !== answerAt) check.find(read, `what the update answered: ${JSON.stringify(updated.body)}`, JSON.stringify(read.body));
  if (before?.updated_at !== undefined && !(Date.parse(readAt) > Date.parse(before.updated_at))) {
    check.find(read, `updated_at after ${before.updated_at} (its value before the update)`, `updated_at ${readAt}`);
  }
  if (before?.created_at !== undefined && read.body?.created_at !== before.created_at) check.find(read, `created_at ${before.created_at}, as created`, `created_at ${read.body?.created_at}`);
}

/**
 * Whether the spec documents a soft delete for this create's objects: the DELETE answers the object,
 * and its `status` has the value `deleted` (a session template provider). Then a read after the
 * delete may show the object, as deleted; otherwise it must be a 404.
 */
export function isSoftDelete(document: OpenAPI3, creation: Creation): boolean {
  const remove = creation.remove?.operation;
  if (!remove) return false;
  const resolve = resolverFor(document);
  const responses = (document.paths as Record<string, any>)[remove.path].delete.responses as Record<string, unknown>;
  const success = Object.entries(responses).find(([status]) => /^2/.test(status))?.[1];
  const schema: Schema | undefined = success ? resolve<Schema>(resolve<any>(success).content?.['application/json']?.schema ?? {}) : undefined;
  const status = schema?.properties?.status ? resolve<Schema>(schema.properties.status) : undefined;
  // An enum, or the known values of an open list (`x-extensible-enum`, DECISIONS E1).
  const values = status?.enum ?? (status as { 'x-extensible-enum'?: unknown[] } | undefined)?.['x-extensible-enum'];
  return Boolean(values?.includes('deleted'));
}

/**
 * Use after free: after the linked delete, update and delete are a 404, the object is absent from
 * the default list, and a read is a 404 or, where the spec documents a soft delete, shows it only as
 * deleted (`status: deleted`).
 */
export async function checkUseAfterFree(check: RunningCheck, model: ApiModel, creation: Creation, owned: Owned, bodies: Bodies, maxPages: number, softDelete: boolean): Promise<void> {
  const remove = creation.remove!;
  const removed = await check.client.call(remove.operation, owned.valuesFor(remove.operation));
  check.client.ledger.noteRemoval(owned.id, { operationId: remove.operation.operationId, status: removed.status, during: 'checks' });
  if (removed.status >= 300) return check.find(removed, `2xx: ${owned.id} was just created by this run`, statusOf(removed));
  if (creation.read) {
    const read = await check.client.call(creation.read.operation, owned.valuesFor(creation.read.operation));
    const asDeleted = softDelete && read.status === 200 && read.body?.status === 'deleted';
    if (read.status !== 404 && !asDeleted) {
      const expected = softDelete ? `404, or 200 with status deleted: ${owned.id} was deleted (soft delete)` : `404: ${owned.id} was deleted`;
      check.find(read, expected, `status ${read.status}${read.status === 200 ? ` with status ${JSON.stringify(read.body?.status)}` : ''}`);
    }
  }
  for (const link of [creation.update, creation.remove]) {
    if (!link) continue;
    const body = link.operation.method === 'delete' ? {} : { body: bodyFor(link.operation, bodies) };
    const answer = await check.client.call(link.operation, { ...owned.valuesFor(link.operation), ...body });
    if (answer.status !== 404) check.find(answer, `404: ${owned.id} was deleted`, `status ${answer.status}`);
  }
  const inList = await listed(check.client, model, creation, owned.id, maxPages);
  if (inList.found) check.find(inList.exchange!, `${owned.id}, deleted, not in the default list`, `in it: ${idList([owned.id])}`);
}

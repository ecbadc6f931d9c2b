import { statusOf } from './client.ts';
import { documentedRequest, type Operation } from '../spec-requests.ts';
import type { RunningCheck } from './context.ts';
import { bodyFor, type Bodies, createOwned } from './lifecycle.ts';
import type { ApiModel } from './model.ts';

/** The credentials the server must refuse, each with how reports name it. */
const refused: { label: string; authorization: string | null }[] = [
  { label: 'no Authorization header', authorization: null },
  { label: 'a malformed key (Bearer not_a_metorial_key)', authorization: 'Bearer not_a_metorial_key' },
];

/**
 * Ignored auth: without a key, or with a malformed one, every operation is a 401 from the server
 * itself. Sent straight to the server: through Prism's validating proxy a keyless request is
 * answered by Prism, and the server's own check is never reached. A read is sent with the spec's
 * example ids (the key is checked before the id). A write is sent only where writes are allowed, and
 * only at an object the run created for it (a create with its example body, which, should the
 * server accept it, is recorded and removed like any other).
 */
export async function checkIgnoredAuth(check: RunningCheck, model: ApiModel, operation: Operation, bodies: Bodies): Promise<void> {
  let values = documentedRequest(operation);
  if (operation.method !== 'get') {
    const creation = model.creations.find((c) => c.create === operation || c.links.some((l) => l.operation === operation));
    if (!creation) return check.note('a write no create links to: never sent');
    values = { ...values, body: bodyFor(operation, bodies) };
    if (creation.create !== operation) {
      const { owned, exchange } = await createOwned(check.client, creation, bodies);
      if (!owned) return check.note(`the create to aim it at failed (${exchange.request}: ${statusOf(exchange)})`);
      values = { ...owned.valuesFor(operation), ...(operation.method === 'delete' ? {} : { body: values.body }) };
    }
  }
  for (const { label, authorization } of refused) {
    const answer = await check.client.call(operation, values, { authorization, direct: true });
    if (answer.status === 401) continue;
    check.find(`${answer.request} with ${label}`, '401 from the server', `status ${answer.status}`);
    const creation = model.creations.find((c) => c.create === operation);
    // A create the server wrongly accepted made an object: the run removes it like its own.
    if (creation && answer.status < 300) check.client.ledger.record(creation, { requestBody: values.body, responseBody: answer.body });
  }
}

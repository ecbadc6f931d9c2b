import { statusOf } from './client.ts';
import type { RunningCheck, Walk } from './context.ts';
import { idList } from './findings.ts';
import type { ListModel } from './model.ts';

/** A nested list's parent to check inside, and an item of another parent to ask it for. */
export interface ScopeTarget {
  parent: string;
  /** An item of another parent, by its id, when the unscoped list has one. */
  stranger: string | undefined;
  /** An item of this parent, to read through the nested path. */
  member: string | undefined;
}

/**
 * Scoping: a nested list (`/sessions/{session_id}/provider-runs`) holds only its parent's items, and
 * all of them (compared with the unscoped list of the same items, filtered by parent, when both
 * walks reached the end); its item read answers 404 for another parent's item and 200 for its own.
 */
export async function checkScoping(check: RunningCheck, list: ListModel, target: ScopeTarget, scoped: Walk, unscoped: Walk | undefined): Promise<void> {
  const scope = list.scope!;
  const request = `${list.operation.method.toUpperCase()} ${list.operation.path.replace(`{${scope.parameter}}`, target.parent)}`;
  if (scoped.failed) return check.find(scoped.failed, `200 with the items of ${scope.parameter} ${target.parent}`, statusOf(scoped.failed));
  const foreign = scoped.items.filter((item) => item?.[scope.property] !== target.parent);
  if (foreign.length) check.find(request, `only items whose ${scope.property} is ${target.parent}`, `also ${idList(foreign.map((i) => `${i?.id} (${scope.property} ${i?.[scope.property]})`))}`);
  if (unscoped?.complete && scoped.complete) {
    const expected = unscoped.items.filter((item) => item?.[scope.property] === target.parent).map((i) => i?.id);
    const got = new Set(scoped.items.map((i) => i?.id));
    const missing = expected.filter((id) => !got.has(id));
    if (missing.length) check.find(request, `every item of ${scope.parameter} ${target.parent} in the unscoped list, ${idList(expected)}`, `left out ${idList(missing)}`);
  }
  const read = list.itemRead;
  if (!read) return;
  const idName = /\{([^}]+)\}$/.exec(read.path)![1]!;
  if (target.stranger) {
    const answer = await check.client.call(read, { path: { [scope.parameter]: target.parent, [idName]: target.stranger }, query: {} });
    if (answer.status !== 404) check.find(answer, `404: ${target.stranger} belongs to another ${scope.parameter}`, `status ${answer.status}`);
  } else {
    check.note(`no item of another ${scope.parameter} to ask for`);
  }
  if (target.member) {
    const answer = await check.client.call(read, { path: { [scope.parameter]: target.parent, [idName]: target.member }, query: {} });
    if (answer.status !== 200 || answer.body?.id !== target.member) check.find(answer, `200 with ${target.member}, an item of this ${scope.parameter}`, `status ${answer.status}`);
  }
}

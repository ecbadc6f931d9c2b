import { statusOf } from './client.ts';
import type { RunningCheck, Walk } from './context.ts';
import { idList } from './findings.ts';
import type { FilterModel, ListModel } from './model.ts';
import { valueAt, walkList } from './walk.ts';

interface Variant {
  /** How the request writes the filter, for the report: `session_id=a&session_id=b`. */
  label: string;
  query: Record<string, unknown>;
  rawQuery?: string;
  matches: (value: unknown) => boolean;
}

const present = (value: unknown): value is string | number | boolean => value !== null && value !== undefined && typeof value !== 'object';

/** The ways to write a filter with values the list holds, each with what an item must satisfy. */
function variantsOf(filter: FilterModel, values: (string | number | boolean)[]): Variant[] {
  const [one, other] = values.map(String);
  const { name } = filter;
  const oneOf = (...accepted: string[]) => (value: unknown) => present(value) && accepted.includes(String(value));
  switch (filter.kind) {
    case 'scalar':
      return [{ label: `${name}=${one}`, query: { [name]: one }, matches: oneOf(one!) }];
    case 'one-or-many':
      return [
        { label: `${name}=${one}`, query: { [name]: one }, matches: oneOf(one!) },
        ...(other === undefined
          ? []
          : [
              { label: `${name}=${one}&${name}=${other}`, query: { [name]: [one, other] }, matches: oneOf(one!, other) },
              // The server parses queries with qs, so indexed brackets must mean the same (facts: Filters).
              {
                label: `${name}[0]=${one}&${name}[1]=${other}`,
                query: {},
                rawQuery: `${encodeURIComponent(`${name}[0]`)}=${encodeURIComponent(one!)}&${encodeURIComponent(`${name}[1]`)}=${encodeURIComponent(other)}`,
                matches: oneOf(one!, other),
              },
            ]),
      ];
    case 'match':
      return [
        { label: `${name}[eq]=${one}`, query: { [name]: { eq: one } }, matches: oneOf(one!) },
        { label: `${name}[ne]=${one}`, query: { [name]: { ne: one } }, matches: (value) => present(value) && String(value) !== one },
      ];
    case 'range': {
      const times = values.map((v) => String(v)).sort((a, b) => Date.parse(a) - Date.parse(b));
      const pivot = times[Math.floor(times.length / 2)]!;
      const at = (value: unknown) => (present(value) ? Date.parse(String(value)) : Number.NaN);
      return [
        { label: `${name}[gt]=${pivot}`, query: { [name]: { gt: pivot } }, matches: (value) => at(value) > Date.parse(pivot) },
        { label: `${name}[lt]=${pivot}`, query: { [name]: { lt: pivot } }, matches: (value) => at(value) < Date.parse(pivot) },
      ];
    }
  }
}

/**
 * Filters: for each filter of a list whose items carry the filtered value, with values the list
 * holds, every item returned must match every filter given, and none that matches may be left out
 * (compared with the unfiltered walk, `baseline`, when that reached the end). One-or-many filters are
 * sent as one value, repeated, and indexed as `qs` reads them (`name[0]=a&name[1]=b`).
 */
export async function checkFilters(check: RunningCheck, list: ListModel, path: Record<string, string>, baseline: Walk, maxPages: number): Promise<void> {
  const unchecked: string[] = [];
  for (const filter of list.filters) {
    if (!filter.property) {
      unchecked.push(`${filter.name} (items carry no such property)`);
      continue;
    }
    const values = [...new Set(baseline.items.map((item) => valueAt(item, filter.property!)).filter(present))];
    // The value of the list's first item first: it is the one most likely to be on the first page.
    if (values.length === 0) {
      unchecked.push(`${filter.name} (no item has a value for it)`);
      continue;
    }
    for (const variant of variantsOf(filter, values)) {
      const walk = await walkList(check.client, list, path, variant.query, maxPages, variant.rawQuery);
      const request = `${list.operation.method.toUpperCase()} ${list.operation.path}?${variant.label}`;
      if (walk.failed) {
        check.find(walk.failed, `200 with the items matching ${variant.label}`, statusOf(walk.failed));
        continue;
      }
      const wrong = walk.items.filter((item) => !variant.matches(valueAt(item, filter.property!)));
      if (wrong.length > 0) {
        check.find(request, `only items whose /${filter.property.join('/')} matches ${variant.label}`, `also ${idList(wrong.map((i) => `${i?.id} (${JSON.stringify(valueAt(i, filter.property!))})`))}`);
        continue;
      }
      if (!baseline.complete || !walk.complete) continue;
      const expected = baseline.items.filter((item) => variant.matches(valueAt(item, filter.property!))).map((i) => i?.id);
      const got = walk.items.map((i) => i?.id);
      const missing = expected.filter((id) => !got.includes(id));
      if (missing.length > 0) check.find(request, `every matching item of the unfiltered list, ${idList(expected)}`, `left out ${idList(missing)}`);
    }
  }
  if (unchecked.length) check.note(`not checkable from answers: ${unchecked.join(', ')}`);
}

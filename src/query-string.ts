/**
 * The query string of a call, from values request-checks.ts has accepted (checkQuery): one-or-many
 * filters repeat the name (form style, exploded: `session_id=a&session_id=b`), object filters use
 * brackets (deepObject: `created_at[gt]=…`), per the spec's parameters (OpenAPI 3.1 §4.8.12.4).
 * Names, keys and values are percent-encoded as URI components, so no value can add a parameter or
 * end the query; a Date is sent as ISO 8601; undefined and null parameters and undefined keys of an
 * object are left out.
 */
export function serializeQuery(query: Record<string, unknown> | undefined): string {
  if (query == null) return '';
  const pairs: string[] = [];
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (value === undefined || value === null) continue;
    const encodedName = encodeURIComponent(name);
    if (Array.isArray(value)) {
      for (const item of value) pairs.push(`${encodedName}=${encodeValue(item)}`);
    } else if (typeof value === 'object' && !(value instanceof Date)) {
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) pairs.push(`${encodedName}[${encodeURIComponent(key)}]=${encodeValue(item)}`);
      }
    } else {
      pairs.push(`${encodedName}=${encodeValue(value)}`);
    }
  }
  return pairs.join('&');
}

function encodeValue(value: unknown): string {
  return encodeURIComponent(value instanceof Date ? value.toISOString() : String(value));
}

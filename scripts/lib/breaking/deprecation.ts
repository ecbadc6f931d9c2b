import type { Change, Severity } from './change.ts';
import type { Header, Operation } from './openapi.ts';

/*
 * Removing an operation is allowed once it was deprecated and its sunset date has passed: the date
 * comes from the operation's `x-sunset`, or from the `Sunset` header (RFC 8594) it documents.
 */

/** The date a documented `Sunset` header announces: its schema's const, default or single enum value, or its example. */
function sunsetHeaderValue(header: Header): unknown {
  const schema = header.schema ?? {};
  return schema.const ?? schema.default ?? (schema.enum?.length === 1 ? schema.enum[0] : undefined) ?? header.example ?? schema.examples?.[0] ?? Object.values(header.examples ?? {})[0]?.value;
}

/** The sunset date an operation announces, as written, or undefined when it announces none. */
export function sunsetOf(operation: Operation): string | undefined {
  if (operation['x-sunset'] !== undefined) return String(operation['x-sunset']);
  for (const response of Object.values(operation.responses ?? {})) {
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if (name.toLowerCase() !== 'sunset') continue;
      const value = sunsetHeaderValue(header);
      if (value !== undefined) return String(value);
    }
  }
  return undefined;
}

/** The verdict on removing `operation`, given the time now; the message says which case it is. */
export function removalOf(operation: Operation, now: Date): Pick<Change, 'severity' | 'rule' | 'message'> {
  const verdict = (severity: Severity, rule: string, message: string) => ({ severity, rule, message });
  if (!operation.deprecated) return verdict('breaking', 'operation-removed', 'the operation was removed');
  const sunset = sunsetOf(operation);
  if (sunset === undefined) {
    return verdict('breaking', 'operation-removed-without-sunset', 'the operation was removed; it was deprecated but announced no sunset date (x-sunset or a Sunset header), so callers had no date to move by');
  }
  const date = Date.parse(sunset);
  if (Number.isNaN(date)) {
    return verdict('breaking', 'operation-removed-without-sunset', `the operation was removed; its sunset date "${sunset}" is not a date (use RFC 3339, 2026-01-31, or an HTTP-date)`);
  }
  if (date > now.getTime()) return verdict('breaking', 'operation-removed-before-sunset', `the operation was removed before its sunset date ${sunset}`);
  return verdict('non-breaking', 'operation-removed-after-sunset', `the operation was removed after its announced sunset date ${sunset} (it was deprecated)`);
}

/**
 * A deprecated operation whose sunset date moves earlier gives callers less time than announced
 * (breaking); later is more time (not breaking). Undefined when the date did not move or one side has none.
 */
export function sunsetMove(base: Operation, head: Operation): Pick<Change, 'severity' | 'rule' | 'message'> | undefined {
  const [before, after] = [sunsetOf(base), sunsetOf(head)];
  if (!base.deprecated || !head.deprecated || before === undefined || after === undefined) return undefined;
  const [from, to] = [Date.parse(before), Date.parse(after)];
  if (Number.isNaN(from) || Number.isNaN(to) || from === to) return undefined;
  return from > to
    ? { severity: 'breaking', rule: 'operation-sunset-brought-forward', message: `the sunset date moved earlier, from ${before} to ${after}` }
    : { severity: 'non-breaking', rule: 'operation-sunset-postponed', message: `the sunset date moved later, from ${before} to ${after}` };
}

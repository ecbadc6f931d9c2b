import type { Change } from './change.ts';
import { documentLevel } from './change.ts';
import type { OpenApiDocument, OperationScope, SecurityRequirement } from './openapi.ts';

/*
 * Security (OpenAPI 3.1 §4.8.30): an operation's requirements are alternatives; a caller satisfies
 * one, holding every scheme it names with every scope listed. `[]` or `{}` means no authentication.
 */

const alternativesOf = (requirements: SecurityRequirement[] | undefined): SecurityRequirement[] => (requirements?.length ? requirements : [{}]);
const describe = (alternative: SecurityRequirement) =>
  Object.entries(alternative)
    .map(([scheme, scopes]) => (scopes.length ? `${scheme} [${[...scopes].sort().join(', ')}]` : scheme))
    .join(' + ') || 'no authentication';
const sameSchemes = (a: SecurityRequirement, b: SecurityRequirement) => Object.keys(a).sort().join() === Object.keys(b).sort().join();

/** A caller holding what `held` lists also satisfies `needed`. */
const satisfies = (held: SecurityRequirement, needed: SecurityRequirement) =>
  Object.entries(needed).every(([scheme, scopes]) => held[scheme] !== undefined && scopes.every((scope) => held[scheme]!.includes(scope)));

/**
 * Each way a caller authenticated before must still be accepted: a scope added to a requirement,
 * or an alternative dropped, breaks; a new alternative, a scope or a requirement removed does not.
 */
export function diffSecurity(scope: OperationScope, base: SecurityRequirement[] | undefined, head: SecurityRequirement[] | undefined): void {
  const before = alternativesOf(base);
  const after = alternativesOf(head);
  const say = (change: Omit<Change, 'operation' | 'location'>) => scope.report({ ...change, operation: scope.operation, location: 'security' });
  for (const old of before) {
    if (after.some((next) => satisfies(old, next))) continue;
    const grown = after.find((next) => sameSchemes(old, next));
    if (Object.keys(old).length === 0) say({ severity: 'breaking', rule: 'security-requirement-added', message: `now requires ${after.map(describe).join(' or ')}` });
    else if (grown) say({ severity: 'breaking', rule: 'security-scope-added', message: `${describe(old)} now needs ${describe(grown)}` });
    else say({ severity: 'breaking', rule: 'security-alternative-removed', message: `${describe(old)} is no longer accepted; now ${after.map(describe).join(' or ')}` });
  }
  // An open operation that now requires authentication is one change, reported above with the ways it now accepts.
  const nowRequired = before.some((old) => Object.keys(old).length === 0) && !after.some((next) => Object.keys(next).length === 0);
  for (const next of after) {
    if (nowRequired || before.some((old) => satisfies(old, next) && satisfies(next, old))) continue;
    const shrunk = before.find((old) => sameSchemes(old, next) && satisfies(old, next));
    if (Object.keys(next).length === 0) say({ severity: 'non-breaking', rule: 'security-requirement-removed', message: 'no longer requires authentication' });
    else if (shrunk) say({ severity: 'non-breaking', rule: 'security-scope-removed', message: `${describe(shrunk)} now needs only ${describe(next)}` });
    else if (!before.some((old) => sameSchemes(old, next))) say({ severity: 'non-breaking', rule: 'security-alternative-added', message: `${describe(next)} is now accepted too` });
  }
}

/** The schemes any operation of a document names in its effective security. */
function schemesInUse(document: OpenApiDocument, operations: Iterable<{ security?: SecurityRequirement[] }>): Set<string> {
  const used = new Set<string>();
  for (const operation of operations) for (const requirement of operation.security ?? document.security ?? []) for (const name of Object.keys(requirement)) used.add(name);
  return used;
}

/** A scheme's shape without what only documents it: descriptions and the descriptions of OAuth scopes. */
function shapeOf(scheme: Record<string, unknown> | undefined): string {
  if (!scheme) return '';
  const { description: _, flows, ...rest } = scheme;
  const flowShapes = Object.fromEntries(
    Object.entries((flows ?? {}) as Record<string, Record<string, unknown>>).map(([name, flow]) => {
      const { scopes: __, ...urls } = flow;
      return [name, urls];
    }),
  );
  return JSON.stringify({ ...rest, flows: flowShapes });
}

/**
 * `components.securitySchemes`: a scheme that operations use and that is removed or changed
 * (type, location, header name, flow URLs) breaks callers; one that nothing used does not.
 */
export function diffSecuritySchemes(
  base: OpenApiDocument,
  head: OpenApiDocument,
  operations: { base: Iterable<{ security?: SecurityRequirement[] }>; head: Iterable<{ security?: SecurityRequirement[] }> },
  report: (change: Change) => void,
): void {
  const before = base.components?.securitySchemes ?? {};
  const after = head.components?.securitySchemes ?? {};
  const usedBefore = schemesInUse(base, operations.base);
  const usedAfter = schemesInUse(head, operations.head);
  const say = (change: Omit<Change, 'operation'>) => report({ ...change, operation: documentLevel });
  for (const [name, scheme] of Object.entries(before)) {
    const location = `security scheme ${name}`;
    if (!after[name]) {
      if (usedBefore.has(name)) say({ severity: 'breaking', rule: 'security-scheme-removed', location, message: `the ${name} scheme, which operations used, was removed` });
      else say({ severity: 'non-breaking', rule: 'unused-security-scheme-removed', location, message: `the ${name} scheme, which no operation used, was removed` });
    } else if (shapeOf(scheme) !== shapeOf(after[name])) {
      if (usedAfter.has(name)) say({ severity: 'breaking', rule: 'security-scheme-changed', location, message: `the ${name} scheme changed` });
      else say({ severity: 'non-breaking', rule: 'unused-security-scheme-changed', location, message: `the ${name} scheme, which no operation uses, changed` });
    }
  }
  for (const name of Object.keys(after)) {
    if (!before[name]) say({ severity: 'non-breaking', rule: 'security-scheme-added', location: `security scheme ${name}`, message: `new ${name} scheme` });
  }
}

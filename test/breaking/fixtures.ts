import type { Severity } from '../../scripts/lib/breaking/change.ts';

/**
 * A rule's pair of small specs: the base, the head with one change, and the verdicts expected,
 * written `breaking <rule>` or `non-breaking <rule>`. A pair that expects nothing is a harmless edit.
 */
export interface Pair {
  name: string;
  base: any;
  head: any;
  expect: string[];
  /** The operation the changes are expected on; any when left out. */
  operation?: string;
}

export const B = (rule: string) => `breaking ${rule}`;
export const N = (rule: string) => `non-breaking ${rule}`;
export const verdict = (severity: Severity, rule: string) => `${severity} ${rule}`;

/** A 3.1 document with the given paths and components, bearer security, and nothing else. */
export function document(paths: Record<string, unknown>, components: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): any {
  return {
    openapi: '3.1.0',
    info: { title: 'Fixture', version: '1.0.0' },
    security: [{ bearerAuth: [] }],
    paths,
    ...extra,
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } }, ...components },
  };
}

const json = (schema: unknown) => ({ 'application/json': { schema } });

/** `POST /things` that takes `schema` as its required JSON body. */
export const requestSpec = (schema: unknown, schemas: Record<string, unknown> = {}) =>
  document({ '/things': { post: { requestBody: { required: true, content: json(schema) }, responses: { '204': { description: 'Done.' } } } } }, { schemas });

/** `GET /things` that returns `schema` as its 200 JSON body. */
export const responseSpec = (schema: unknown, schemas: Record<string, unknown> = {}) =>
  document({ '/things': { get: { responses: { '200': { description: 'A thing.', content: json(schema) } } } } }, { schemas });

/** The pair of a schema change in a request body. */
export const inRequest = (name: string, base: unknown, head: unknown, expect: string[], schemas: [Record<string, unknown>?, Record<string, unknown>?] = []): Pair => ({
  name: `request: ${name}`,
  base: requestSpec(base, schemas[0]),
  head: requestSpec(head, schemas[1] ?? schemas[0]),
  expect,
  operation: 'POST /things',
});

/** The pair of a schema change in a response body. */
export const inResponse = (name: string, base: unknown, head: unknown, expect: string[], schemas: [Record<string, unknown>?, Record<string, unknown>?] = []): Pair => ({
  name: `response: ${name}`,
  base: responseSpec(base, schemas[0]),
  head: responseSpec(head, schemas[1] ?? schemas[0]),
  expect,
  operation: 'GET /things',
});

/** The same schema change in a request and in a response, each with its own expected verdicts. */
export const both = (name: string, base: unknown, head: unknown, request: string[], response: string[], schemas: [Record<string, unknown>?, Record<string, unknown>?] = []): Pair[] => [
  inRequest(name, base, head, request, schemas),
  inResponse(name, base, head, response, schemas),
];

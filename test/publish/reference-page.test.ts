import { readFileSync } from 'node:fs';
import type { OpenAPI3 } from 'openapi-typescript';
import { describe, expect, inject, it } from 'vitest';
import { consoleData } from '../../scripts/lib/reference/console/console-data.ts';
import { ConsoleInputError, prepareRequest } from '../../scripts/lib/reference/console/request.ts';
import { changelogHref, displayDocument, redocOptions } from '../../scripts/lib/reference/display-document.ts';
import { finishPage } from '../../scripts/lib/reference/page.ts';
import { operationsOf } from '../../scripts/lib/spec-requests.ts';

/** The parts of the reference page that need no browser: what Redoc is given, how the page is finished, the console's requests. */
const document = JSON.parse(readFileSync(inject('specFile'), 'utf8')) as OpenAPI3;
const schemas = document.components!.schemas as Record<string, any>;

describe('the document Redoc renders', () => {
  const displayed = displayDocument(document);
  const shown = displayed.components!.schemas as Record<string, any>;

  it('types what JSON Schema leaves implicit: a const, a oneOf whose branches share a type', () => {
    expect(schemas.ProviderRunDetailed.properties.object.type).toBeUndefined();
    expect(shown.ProviderRunDetailed.properties.object).toMatchObject({ const: 'session.provider_run', type: 'string' });
    expect(schemas.ToolFilter.type).toBeUndefined();
    expect(shown.ToolFilter.type).toBe('object');
    // Branches of different types stay a union: one id, or several.
    expect(shown.OneOrManyIds.type).toBeUndefined();
  });

  it('leaves no property untyped but free-form values', () => {
    // A property with annotations only (JSON Schema 2020-12's meta-data vocabulary) is any JSON value, as "any" renders it.
    const annotations = new Set(['description', 'title', 'examples', 'example', 'deprecated', 'readOnly', 'writeOnly']);
    const untyped: string[] = [];
    const walk = (node: any, at: string) => {
      if (!node || typeof node !== 'object') return;
      for (const [name, property] of Object.entries<any>(node.properties ?? {})) {
        const branches = property.oneOf ?? property.anyOf;
        if (!property.type && !property.$ref && !(branches && new Set(branches.map((b: any) => b.type ?? b.$ref)).size > 1) && Object.keys(property).some((k) => !annotations.has(k))) untyped.push(`${at}.${name}`);
        walk(property, `${at}.${name}`);
      }
    };
    for (const [name, schema] of Object.entries(shown)) walk(schema, name);
    expect(untyped).toEqual([]);
  });

  it('starts with the version and links to the changelog, the published document unchanged', () => {
    expect(displayed.info.description).toMatch(new RegExp(`^\\*\\*Version ${document.info.version.replace(/\./g, '\\.')}\\*\\* · \\[Changelog\\]\\(${changelogHref}\\)`));
    expect(document.info.description).not.toContain(changelogHref);
  });

  it("lists every sample label as a Redoc language, or Redoc would hide that sample", () => {
    const labels = new Set(Object.values(document.paths!).flatMap((item: any) => Object.values(item).flatMap((op: any) => (op['x-codeSamples'] ?? []).map((s: any) => s.label))));
    const languages = (redocOptions(document).codeSamples as { languages: { label: string }[] }).languages.map((l) => l.label);
    expect(new Set(languages)).toEqual(labels);
    expect(labels.size).toBeGreaterThanOrEqual(4);
  });
});

describe('finishing the rendered page', () => {
  const rendered = '<html><head><title>t</title></head><body><img src="https://cdn.redoc.ly/redoc/logo-mini-full.svg"></body></html>';

  it('draws the CDN logo locally and adds styles, data and scripts that cannot break out of their elements', () => {
    const page = finishPage(rendered, { styles: 'a{}</style><script>alert(1)</script>', scripts: ['x = "</script>"'], data: [{ id: 'd', value: { text: '</script><b>' } }] });
    expect(page).not.toContain('cdn.redoc.ly');
    expect(page).toContain('src="data:image/svg+xml,');
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    expect(page.match(/<\/style>/g)).toHaveLength(1);
    expect(JSON.parse(/<script type="application\/json" id="d">(.*?)<\/script>/.exec(page)![1]!)).toEqual({ text: '</script><b>' });
  });

  it('refuses a page without a head or a body, naming the likely cause', () => {
    expect(() => finishPage('<div></div>', { styles: '', scripts: [] })).toThrow(/Redocly CLI change its template/);
  });
});

describe("the try-it console's requests", () => {
  const { operations } = consoleData(document, 'http://127.0.0.1:4010');
  const op = (id: string) => operations.find((o) => o.operationId === id)!;

  it('encodes path ids as one segment and the query as each parameter says (form lists, deepObject), the key only as a bearer token', () => {
    const { url, init } = prepareRequest(
      op('listRuns'),
      { fields: { limit: '5', 'created_at[gt]': '2025-01-01T00:00:00Z', 'status[eq]': 'success' }, body: '' },
      'http://127.0.0.1:4010/',
      ' metorial_sk_a ',
    );
    expect(url).toBe('http://127.0.0.1:4010/runs?limit=5&created_at%5Bgt%5D=2025-01-01T00%3A00%3A00Z&status%5Beq%5D=success');
    expect(init.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer metorial_sk_a' });
    expect(init).toMatchObject({ credentials: 'omit', referrerPolicy: 'no-referrer' });
    const list = prepareRequest(op('listSessionProviderRuns'), { fields: { session_id: 'ses_a/b', provider_id: 'pro_a, pro_b' }, body: '' }, 'https://api.metorial.com', '');
    expect(list.url).toBe('https://api.metorial.com/sessions/ses_a%2Fb/provider-runs?provider_id=pro_a&provider_id=pro_b');
    expect(list.init.headers.Authorization).toBeUndefined();
  });

  it('sends the body as typed, as JSON, and prefills it from the first named example', () => {
    const create = op('createRun');
    const documented = operationsOf(document).find((o) => o.operationId === 'createRun')!.body!.examples;
    expect(create.body!.examples.map((e) => e.value)).toEqual(Object.values(documented));
    const { init } = prepareRequest(create, { fields: {}, body: '{ "agent_id": "agent_a", "content": "hi" }' }, 'http://localhost:4010', 'metorial_sk_a');
    expect(init.body).toBe('{"agent_id":"agent_a","content":"hi"}');
    expect(init.headers['Content-Type']).toBe('application/json');
  });

  it('refuses, with what to fix, a body that is not JSON, a missing path id, a key in clear text to another host', () => {
    expect(() => prepareRequest(op('createRun'), { fields: {}, body: '{agent' }, 'http://127.0.0.1:1', '')).toThrow(ConsoleInputError);
    expect(() => prepareRequest(op('getRun'), { fields: { run_id: ' ' }, body: '' }, 'http://127.0.0.1:1', '')).toThrow(/path parameter run_id/);
    expect(() => prepareRequest(op('getRun'), { fields: { run_id: 'run_a' }, body: '' }, 'http://api.example.com', 'k')).toThrow(/clear text to api\.example\.com/);
    expect(() => prepareRequest(op('getRun'), { fields: { run_id: 'run_a' }, body: '' }, 'file:///etc', 'k')).toThrow(/http or https/);
    expect(() => prepareRequest(op('getRun'), { fields: { run_id: 'run_a' }, body: '' }, 'not a url', 'k')).toThrow(/is not a URL/);
  });

  it('offers the local sandbox first, then the servers of the spec', () => {
    expect(consoleData(document, 'http://127.0.0.1:4010').servers.map((s) => s.url)).toEqual(['http://127.0.0.1:4010', ...document.servers!.map((s) => s.url)]);
  });
});

import { readFileSync } from 'node:fs';
import type { OpenApiDocument } from './bundle.ts';
import { clientPackageTemplate } from './paths.ts';
import { httpSnippetSamples } from './reference/http-snippets.ts';
import { identifierFrom, tsLiteral, tsString } from './ts-literal.ts';
import { documentedRequest, type Operation, operationsOf, type RequestValues, resolverFor, urlFor } from './spec-requests.ts';

/** The npm name of the client package the TypeScript samples import: the one users install (client/package.json). */
export const packageName = (JSON.parse(readFileSync(clientPackageTemplate, 'utf8')) as { name: string }).name;
export const samplesServer = 'https://api.metorial.com';

export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

const refName = (node: unknown) => ((node as { $ref?: string } | undefined)?.$ref ?? '').split('/').pop() ?? '';

/** The query a sample shows: a page size on lists, nothing else, so the sample stays short. */
function sampleQuery(operation: Operation): Record<string, unknown> {
  return operation.parameters.some((p) => p.in === 'query' && p.name === 'limit') ? { limit: 10 } : {};
}

function sampleRequest(operation: Operation): RequestValues {
  return { ...documentedRequest(operation), query: sampleQuery(operation) };
}

/** `run` for a Run, `sessionTemplateProvider` for a SessionTemplateProvider: what the call returns. */
function resultName(document: OpenApiDocument, operation: Operation): { variable: string; listItem: string | undefined } {
  const resolve = resolverFor(document);
  const success = resolve<any>((document.paths as any)[operation.path][operation.method].responses['200']);
  const schemaRef = success.content['application/json'].schema;
  const schema = resolve<any>(schemaRef);
  const itemRef = schema.properties?.items?.items;
  if (itemRef) return { variable: 'page', listItem: identifierFrom(refName(itemRef), 'item') };
  return { variable: identifierFrom(refName(schemaRef), 'result'), listItem: undefined };
}

function typescriptSample(document: OpenApiDocument, operation: Operation): string {
  const values = sampleRequest(operation);
  const init: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  if (Object.keys(values.path).length) params.path = values.path;
  if (Object.keys(values.query).length) params.query = values.query;
  if (Object.keys(params).length) init.params = params;
  if (values.body !== undefined) init.body = values.body;
  const args = Object.keys(init).length ? `, ${tsLiteral(init)}` : '';
  const { variable, listItem } = resultName(document, operation);
  // Every value from the spec is written by tsLiteral/tsString, never pasted into the text.
  const header = [`import { createClient } from ${tsString(packageName)};`, '', 'const metorial = createClient({ apiKey: process.env.METORIAL_API_KEY });', ''];
  if (listItem) {
    return [...header, `// Every ${listItem}, fetching further pages as the loop goes.`, `for await (const ${listItem} of metorial.paginate(${tsString(operation.path)}${args})) {`, `  console.log(${listItem}.id);`, '}', ''].join('\n');
  }
  return [...header, `const ${variable} = await metorial.${operation.method}(${tsString(operation.path)}${args});`, `console.log(${variable});`, ''].join('\n');
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function curlSample(operation: Operation): string {
  const values = sampleRequest(operation);
  const lines = [`curl -X ${operation.method.toUpperCase()} ${shellQuote(urlFor(samplesServer, operation, values))}`, `  -H "Authorization: Bearer $METORIAL_API_KEY"`];
  if (values.body !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`, `  -d ${shellQuote(JSON.stringify(values.body))}`);
  }
  return `${lines.join(' \\\n')}\n`;
}

/**
 * Code samples for one operation, made from the spec: TypeScript with our client, curl, and the
 * languages httpsnippet writes (Python, JavaScript), all sending the same request.
 */
export function codeSamplesFor(document: OpenApiDocument, operation: Operation): CodeSample[] {
  const values = sampleRequest(operation);
  return [
    { lang: 'TypeScript', label: `TypeScript (${packageName})`, source: typescriptSample(document, operation) },
    { lang: 'Shell', label: 'curl', source: curlSample(operation) },
    ...httpSnippetSamples({ method: operation.method, url: urlFor(samplesServer, operation, values), body: values.body }),
  ];
}

/** The document with `x-codeSamples` on every operation, generated, never hand-maintained. */
export function withCodeSamples(document: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(document);
  for (const operation of operationsOf(document)) {
    (copy.paths as any)[operation.path][operation.method]['x-codeSamples'] = codeSamplesFor(document, operation);
  }
  return copy;
}

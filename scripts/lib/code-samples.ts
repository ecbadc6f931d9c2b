import { readFileSync } from 'node:fs';
import type { OpenApiDocument } from './bundle.ts';
import { clientPackageTemplate } from './paths.ts';
import { httpSnippetSamples } from './reference/http-snippets.ts';
import { allMethods, type ResourceMethod, resourceModel } from './sdk/resource-model.ts';
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

/** The resource method of each operation (`runs.get`), by operation id; made once per document. */
const resourceMethods = new WeakMap<OpenApiDocument, Map<string, { chain: string[]; method: ResourceMethod }>>();
function resourceMethodOf(document: OpenApiDocument, operationId: string): { chain: string[]; method: ResourceMethod } {
  let byId = resourceMethods.get(document);
  if (!byId) {
    byId = new Map(allMethods(resourceModel(document)).map(({ resource, method }) => [method.operationId, { chain: [...resource.chain, method.name], method }]));
    resourceMethods.set(document, byId);
  }
  return byId.get(operationId)!;
}

/** The call of a sample in either style, its arguments written by tsLiteral/tsString from the spec's values, never pasted. */
function sampleCall(document: OpenApiDocument, operation: Operation, style: 'resource' | 'path', listItem: string | undefined): string {
  const values = sampleRequest(operation);
  if (style === 'resource') {
    // Resource and argument names are identifiers made by the resource model (letters and digits only).
    const { chain, method } = resourceMethodOf(document, operation.operationId);
    const args = [
      ...method.pathArguments.map((a) => tsString(values.path[a.name] ?? '')),
      ...(method.body ? [tsLiteral(values.body)] : []),
      ...(method.query && Object.keys(values.query).length ? [tsLiteral(values.query)] : []),
    ];
    return `metorial.${chain.join('.')}(${args.join(', ')})`;
  }
  const init: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  if (Object.keys(values.path).length) params.path = values.path;
  if (Object.keys(values.query).length) params.query = values.query;
  if (Object.keys(params).length) init.params = params;
  if (values.body !== undefined) init.body = values.body;
  const args = Object.keys(init).length ? `, ${tsLiteral(init)}` : '';
  return `metorial.${listItem ? 'paginate' : operation.method}(${tsString(operation.path)}${args})`;
}

/**
 * The TypeScript sample of an operation, in the resource style (`metorial.runs.get(id)`) or the path
 * style (`metorial.get('/runs/{run_id}', …)`): the same request, the same output.
 */
function typescriptSample(document: OpenApiDocument, operation: Operation, style: 'resource' | 'path'): string {
  const { variable, listItem } = resultName(document, operation);
  const call = sampleCall(document, operation, style, listItem);
  // Every value from the spec is written by tsLiteral/tsString, never pasted into the text.
  const header = [`import { createClient } from ${tsString(packageName)};`, '', 'const metorial = createClient({ apiKey: process.env.METORIAL_API_KEY });', ''];
  if (listItem) {
    return [...header, `// Every ${listItem}, fetching further pages as the loop goes.`, `for await (const ${listItem} of ${call}) {`, `  console.log(${listItem}.id);`, '}', ''].join('\n');
  }
  return [...header, `const ${variable} = await ${call};`, `console.log(${variable});`, ''].join('\n');
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
 * Code samples for one operation, made from the spec: TypeScript with our client (its resource
 * method first, then the same call in the path style), curl, and the
 * languages httpsnippet writes (Python, JavaScript), all sending the same request.
 */
export function codeSamplesFor(document: OpenApiDocument, operation: Operation): CodeSample[] {
  const values = sampleRequest(operation);
  return [
    { lang: 'TypeScript', label: `TypeScript (${packageName})`, source: typescriptSample(document, operation, 'resource') },
    { lang: 'TypeScript', label: `TypeScript (${packageName}, path style)`, source: typescriptSample(document, operation, 'path') },
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

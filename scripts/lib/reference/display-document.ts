import type { OpenApiDocument } from '../bundle.ts';
import { type Resolve, resolverFor } from '../spec-requests.ts';

/** Where the changelog is, beside the reference in dist/ (see changelog.ts). */
export const changelogHref = 'changelog.html';

/** JSON Schema's name for the type of a JSON value. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The one type every branch of a `oneOf`/`anyOf` has, if they agree (`object` for a tagged union of objects). */
function sharedType(branches: unknown[], resolve: Resolve): string | undefined {
  const types = new Set(branches.map((b) => resolve<{ type?: unknown }>(b as never).type).map((t) => (typeof t === 'string' ? t : undefined)));
  const [only] = types;
  return types.size === 1 ? only : undefined;
}

/**
 * Gives a type, in place, to schemas whose type JSON Schema leaves implicit: a `const` gets the type
 * of its value, a `oneOf`/`anyOf` whose branches all have one type gets that type. Both are complete
 * schemas without it, but Redoc labels such a field `any`; typed, it reads `string` with the constant
 * beside it, or `object` (ToolFilter) with its variants. The published document keeps the schemas as written.
 */
function typeImplicitSchemas(node: unknown, resolve: Resolve): void {
  if (Array.isArray(node)) return node.forEach((item) => typeImplicitSchemas(item, resolve));
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (!('type' in schema) && !('$ref' in schema)) {
    const branches = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
    if ('const' in schema) schema.type = jsonTypeOf(schema.const);
    else if (Array.isArray(branches) && sharedType(branches, resolve)) schema.type = sharedType(branches, resolve);
  }
  for (const [key, value] of Object.entries(schema)) if (key !== 'const' && key !== 'example' && key !== 'examples') typeImplicitSchemas(value, resolve);
}

/**
 * The document as the reference page renders it: the published document, with the spec's version
 * and a link to the changelog at the top of its introduction, and implicit types made explicit
 * (see typeImplicitSchemas). dist/openapi.json and dist/openapi.yaml stay the published document.
 */
export function displayDocument(document: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(document);
  const links = `**Version ${copy.info.version}** · [Changelog](${changelogHref}) · OpenAPI document: [YAML](openapi.yaml), [JSON](openapi.json)`;
  copy.info.description = [links, copy.info.description].filter(Boolean).join('\n\n');
  // Branches are read from the published document, before any is typed here.
  const resolve = resolverFor(document as never);
  typeImplicitSchemas(copy.paths, resolve);
  typeImplicitSchemas(copy.components, resolve);
  return copy;
}

/**
 * Redoc's options (`--openapi` of `redocly build-docs`): the code sample languages, in the order of
 * each operation's `x-codeSamples`. Redoc shows a sample only if its label is in this list, so
 * without it our TypeScript, Python and JavaScript samples would be embedded in the page and never shown.
 */
export function redocOptions(document: OpenApiDocument): Record<string, unknown> {
  const languages = new Map<string, { lang: string; label: string }>();
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item as Record<string, { 'x-codeSamples'?: { lang: string; label: string }[] }>)) {
      for (const { lang, label } of operation?.['x-codeSamples'] ?? []) if (!languages.has(label)) languages.set(label, { lang, label });
    }
  }
  return { codeSamples: { languages: [...languages.values()] } };
}

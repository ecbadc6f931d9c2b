import type { OpenApiDocument } from '../bundle.ts';

/** Where the changelog is, beside the reference in dist/ (see changelog.ts). */
export const changelogHref = 'changelog.html';

/** JSON Schema's name for the type of a JSON value. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * Gives every schema with a `const` and no `type` the type of its value, in place. A `const` alone
 * is a complete JSON Schema, but Redoc labels such a field `any`; with its type it reads `string`,
 * with the constant value beside it. Nothing else changes: the published document keeps the schema as written.
 */
function typeConstants(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(typeConstants);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if ('const' in schema && !('type' in schema) && !('$ref' in schema)) schema.type = jsonTypeOf(schema.const);
  for (const [key, value] of Object.entries(schema)) if (key !== 'const' && key !== 'example' && key !== 'examples') typeConstants(value);
}

/**
 * The document as the reference page renders it: the published document, with the spec's version
 * and a link to the changelog at the top of its introduction, and `const` fields typed (see
 * typeConstants). dist/openapi.json and dist/openapi.yaml stay the published document.
 */
export function displayDocument(document: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(document);
  const links = `**Version ${copy.info.version}** · [Changelog](${changelogHref}) · OpenAPI document: [YAML](openapi.yaml), [JSON](openapi.json)`;
  copy.info.description = [links, copy.info.description].filter(Boolean).join('\n\n');
  typeConstants(copy.paths);
  typeConstants(copy.components);
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

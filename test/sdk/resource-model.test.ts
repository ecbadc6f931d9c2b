import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../scripts/lib/bundle.ts';
import { renderResourceDeclarations, renderResourceTable } from '../../scripts/lib/sdk/resource-files.ts';
import { allMethods, GenerationError, resourceModel } from '../../scripts/lib/sdk/resource-model.ts';

/**
 * The naming rules of DECISIONS SDK2-SDK3 on small documents made here, so each rule (and each refusal)
 * is shown on its own; the real spec's names are checked by test/client/resources.test.ts.
 */
const list = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } }, pagination: { type: 'object' } } } } } } };
const one = { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } };
const id = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description: `The ${name}.` });
const operation = (operationId: string, extra: Record<string, unknown> = {}) => ({ operationId, summary: `${operationId} summary`, tags: ['Things'], responses: one, ...extra });

function documentOf(paths: Record<string, Record<string, unknown>>): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1.0.0', 'x-reference-url': 'https://example.com/reference' },
    tags: [{ name: 'Things', description: 'Things are things.' }],
    paths,
    components: { schemas: { Thing: { type: 'object' } } },
  } as unknown as OpenApiDocument;
}
const names = (document: OpenApiDocument) => allMethods(resourceModel(document)).map(({ resource, method }) => `${[...resource.chain, method.name].join('.')} ${method.operationId}`);

describe('the resource model', () => {
  it('names resources by the static segments, nested as the paths nest, and methods by what they do', () => {
    const document = documentOf({
      '/widget-boxes': { get: operation('listBoxes', { responses: list }), post: operation('createBox'), put: operation('replaceBoxes') },
      '/widget-boxes/{box_id}': { parameters: [id('box_id')], get: operation('getBox'), patch: operation('updateBox'), delete: operation('deleteBox') },
      '/widget-boxes/{box_id}/lids': { parameters: [id('box_id')], get: operation('listLids', { responses: list }) },
      '/widget-boxes/{box_id}/lids/{lid_id}': { parameters: [id('box_id'), id('lid_id')], get: operation('getLid') },
      '/widget-boxes/{box_id}/open': { parameters: [id('box_id')], post: operation('openBox') },
      '/widget-boxes/{box_id}/label': { parameters: [id('box_id')], get: operation('getLabel'), delete: operation('deleteLabel') },
      '/settings': { get: operation('getSettings') },
    });
    expect(names(document)).toEqual([
      'widgetBoxes.list listBoxes',
      'widgetBoxes.replace replaceBoxes',
      'widgetBoxes.create createBox',
      'widgetBoxes.get getBox',
      'widgetBoxes.update updateBox',
      'widgetBoxes.delete deleteBox',
      'widgetBoxes.open openBox',
      'widgetBoxes.label getLabel',
      'widgetBoxes.deleteLabel deleteLabel',
      'widgetBoxes.lids.list listLids',
      'widgetBoxes.lids.get getLid',
      'settings.get getSettings',
    ]);
    const lids = allMethods(resourceModel(document)).find(({ method }) => method.operationId === 'getLid')!.method;
    expect(lids.pathArguments.map((a) => a.argument)).toEqual(['boxId', 'lidId']);
    expect(lids.referenceUrl).toBe('https://example.com/reference#/things/getlid');
  });

  it('writes declarations that carry the documentation, and a table entry per method', () => {
    const document = documentOf({
      '/things/{thing_id}': { parameters: [id('thing_id')], get: operation('getThing', { description: 'Returns */ one thing.\n@evil tag', deprecated: true }) },
    });
    const declarations = renderResourceDeclarations(resourceModel(document), "export type Thing = components['schemas']['Thing'];\n");
    expect(declarations).toContain('get(thingId: string, options?: RequestOptions): Promise<schema.Thing>;');
    expect(declarations).toContain('Returns *\\/ one thing.');
    expect(declarations).toContain('\\@evil tag');
    expect(declarations).toContain('@deprecated');
    expect(declarations).toContain('@see {@link https://example.com/reference#/things/getthing | getThing summary in the reference}');
    expect(renderResourceTable(resourceModel(document))).toContain('get: "get /things/{thing_id}"');
  });

  it.each([
    ['two operations that would get one name', { '/things': { get: operation('a', { responses: list }) }, '/things/': { get: operation('b', { responses: list }) } }, /listThings|would both be things\.list/],
    ['a resource named like a client member', { '/paginate': { get: operation('p') } }, /resource named paginate, which the client reserves/],
    ['a resource that would make the client a thenable', { '/then': { get: operation('t') } }, /resource named then/],
    ['a path with no static segment', { '/{id}': { parameters: [id('id')], get: operation('g') } }, /has no static path segment/],
    ['an operation without an operationId', { '/things': { get: { responses: one } } }, /has no operationId/],
  ])('refuses %s, naming the operations', (_what, paths, message) => {
    expect(() => resourceModel(documentOf(paths as Record<string, Record<string, unknown>>))).toThrow(GenerationError);
    expect(() => resourceModel(documentOf(paths as Record<string, Record<string, unknown>>))).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import type { Change } from '../../scripts/lib/breaking/change.ts';
import { compareSpecs, type Document } from '../../scripts/lib/breaking/diff.ts';

/**
 * Each rule on a pair of small specs: a base, and the same spec with one change. The base has a
 * list with a filter, a create with a body, shared schemas by $ref, and bearer security.
 */
function baseSpec(): any {
  return {
    openapi: '3.1.0',
    info: { title: 'Fixture', version: '1.0.0' },
    security: [{ bearerAuth: [] }],
    paths: {
      '/things': {
        get: {
          operationId: 'listThings',
          parameters: [
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
            { name: 'order', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
          ],
          responses: {
            '200': {
              description: 'A page.',
              headers: { 'metorial-req-id': { schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingList' } } },
            },
            '401': { description: 'No key.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
        post: {
          operationId: 'createThing',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateThing' } } } },
          responses: { '200': { description: 'Made.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
        },
      },
      '/things/{thing_id}': {
        get: {
          operationId: 'getThing',
          parameters: [{ name: 'thing_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'One.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Thing: {
          type: 'object',
          additionalProperties: false,
          required: ['object', 'id', 'status', 'name'],
          properties: {
            object: { const: 'thing' },
            id: { type: 'string' },
            status: { type: 'string', enum: ['active', 'archived'] },
            name: { type: 'string' },
            description: { type: ['string', 'null'] },
          },
        },
        ThingList: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } } },
        CreateThing: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1 }, kind: { type: 'string', enum: ['a', 'b'] }, note: { type: ['string', 'null'] } },
        },
        Error: { type: 'object', properties: { message: { type: 'string' } } },
      },
    },
  };
}

function changesAfter(mutate: (spec: any) => void): Change[] {
  const head = baseSpec();
  mutate(head);
  return compareSpecs(baseSpec() as Document, head as Document);
}

const summary = (changes: Change[]) => changes.map((c) => `${c.severity} ${c.rule} ${c.operation}`);

const rules: Array<[string, (spec: any) => void, string]> = [
  ['a removed operation', (s) => delete s.paths['/things/{thing_id}'].get, 'breaking operation-removed GET /things/{}'],
  ['a removed parameter', (s) => s.paths['/things'].get.parameters.splice(1, 1), 'breaking parameter-removed GET /things'],
  ['a new required parameter', (s) => s.paths['/things'].get.parameters.push({ name: 'owner', in: 'query', required: true, schema: { type: 'string' } }), 'breaking parameter-added-required GET /things'],
  ['a parameter made required', (s) => (s.paths['/things'].get.parameters[0].required = true), 'breaking parameter-made-required GET /things'],
  ['a narrowed request enum', (s) => (s.paths['/things'].get.parameters[1].schema.enum = ['asc']), 'breaking request-enum-narrowed GET /things'],
  ['a narrowed request type', (s) => (s.components.schemas.CreateThing.properties.note.type = 'string'), 'breaking request-field-made-non-nullable POST /things'],
  ['a tightened request range', (s) => (s.paths['/things'].get.parameters[0].schema.maximum = 50), 'breaking request-constraint-tightened GET /things'],
  ['an integer format narrower than the request range', (s) => {
    delete s.paths['/things'].get.parameters[0].schema.maximum;
    s.paths['/things'].get.parameters[0].schema.format = 'int32';
  }, 'breaking request-constraint-tightened GET /things'],
  ['a newly required request field', (s) => s.components.schemas.CreateThing.required.push('kind'), 'breaking request-field-made-required POST /things'],
  ['a new required request field', (s) => {
    s.components.schemas.CreateThing.properties.owner = { type: 'string' };
    s.components.schemas.CreateThing.required.push('owner');
  }, 'breaking request-field-added-required POST /things'],
  ['a removed response field', (s) => delete s.components.schemas.Thing.properties.name, 'breaking response-field-removed GET /things'],
  ['a response field made optional', (s) => (s.components.schemas.Thing.required = ['object', 'id', 'status']), 'breaking response-field-made-optional GET /things'],
  ['a widened response enum', (s) => s.components.schemas.Thing.properties.status.enum.push('deleted'), 'breaking response-enum-widened GET /things'],
  ['a response field made nullable', (s) => (s.components.schemas.Thing.properties.name.type = ['string', 'null']), 'breaking response-field-made-nullable GET /things'],
  ['a type change', (s) => (s.components.schemas.Thing.properties.id.type = 'integer'), 'breaking response-type-changed GET /things'],
  ['a removed success response', (s) => {
    s.paths['/things/{thing_id}'].get.responses['201'] = s.paths['/things/{thing_id}'].get.responses['200'];
    delete s.paths['/things/{thing_id}'].get.responses['200'];
  }, 'breaking response-status-removed GET /things/{}'],
  ['a removed response header', (s) => delete s.paths['/things'].get.responses['200'].headers, 'breaking response-header-removed GET /things'],
  ['a removed media type', (s) => {
    s.paths['/things'].post.requestBody.content = { 'application/x-www-form-urlencoded': s.paths['/things'].post.requestBody.content['application/json'] };
  }, 'breaking media-type-removed POST /things'],
  ['a changed security requirement', (s) => (s.paths['/things'].get.security = [{ oauth: [] }]), 'breaking security-changed GET /things'],
  ['a changed security scheme', (s) => (s.components.securitySchemes.bearerAuth = { type: 'apiKey', in: 'header', name: 'X-Key' }), 'breaking security-scheme-changed (document)'],
];

describe('breaking changes', () => {
  for (const [name, mutate, expected] of rules) {
    it(`reports ${name}`, () => {
      expect(summary(changesAfter(mutate))).toContain(expected);
    });
  }
});

describe('changes that break no one', () => {
  it('reports nothing for identical specs', () => {
    expect(changesAfter(() => {})).toEqual([]);
  });

  it('reports nothing for an integer format that admits the whole request range (limit 1-100 as int32)', () => {
    expect(changesAfter((s) => (s.paths['/things'].get.parameters[0].schema.format = 'int32'))).toEqual([]);
  });

  it('reports only non-breaking changes when optional things are added', () => {
    const changes = changesAfter((s) => {
      s.paths['/things'].get.parameters.push({ name: 'owner', in: 'query', schema: { type: 'string' } });
      s.components.schemas.CreateThing.properties.owner = { type: 'string' };
      s.components.schemas.Thing.properties.owner = { type: 'string' };
      s.paths['/things'].get.responses['429'] = { description: 'Slow down.' };
      s.paths['/widgets'] = { get: { operationId: 'listWidgets', responses: { '200': { description: 'ok' } } } };
      s.paths['/things'].get.parameters[1].schema.enum.push('random');
      s.components.schemas.Thing.properties.status.enum = ['active'];
      s.paths['/things'].post.requestBody.required = false;
      s.paths['/things'].get.description = 'New words.';
    });
    expect(changes.filter((c) => c.severity === 'breaking')).toEqual([]);
    expect(summary(changes)).toEqual(
      expect.arrayContaining([
        'non-breaking parameter-added GET /things',
        'non-breaking request-field-added POST /things',
        'non-breaking response-field-added GET /things',
        'non-breaking response-status-added GET /things',
        'non-breaking operation-added GET /widgets',
        'non-breaking request-enum-widened GET /things',
        'non-breaking response-enum-narrowed GET /things',
      ]),
    );
  });

  it('does not count a renamed path parameter', () => {
    const changes = changesAfter((s) => {
      const item = s.paths['/things/{thing_id}'];
      item.get.parameters[0].name = 'id';
      s.paths['/things/{id}'] = item;
      delete s.paths['/things/{thing_id}'];
    });
    expect(changes).toEqual([]);
  });
});

it('names where each change is', () => {
  const [change] = changesAfter((s) => delete s.components.schemas.Thing.properties.name).filter((c) => c.operation === 'GET /things');
  expect(change).toMatchObject({ location: 'response 200 body items[] name', message: 'field name was removed' });
});

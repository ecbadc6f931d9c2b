import { B, document, N, type Pair } from './fixtures.ts';

/** The time the pairs are compared at, so sunset dates are in the past or the future for good. */
export const comparedAt = new Date('2026-06-01T00:00:00Z');

/**
 * A small API: a list with filters, a create with a body, a read by id, shared schemas by $ref,
 * bearer security, and one webhook.
 */
export function baseSpec(): any {
  return document(
    {
      '/things': {
        get: {
          parameters: [
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
            { name: 'order', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
            { name: 'created_at', in: 'query', style: 'deepObject', explode: true, schema: { type: 'object', properties: { gt: { type: 'string' } } } },
            { name: 'id', in: 'query', style: 'form', explode: true, schema: { type: 'array', items: { type: 'string' } } },
            { name: 'q', in: 'query', schema: { type: 'string' } },
            { name: 'X-Trace', in: 'header', schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'A page.',
              headers: { 'metorial-req-id': { schema: { type: 'string' } }, 'RateLimit-Limit': { required: true, schema: { type: 'integer' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingList' } } },
            },
            '401': { description: 'No key.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
        post: {
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateThing' } } } },
          responses: { '200': { description: 'Made.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
        },
      },
      '/things/{thing_id}': {
        get: {
          parameters: [{ name: 'thing_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'One.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
        },
      },
    },
    {
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
    {
      webhooks: {
        thingArchived: {
          post: {
            parameters: [{ name: 'Webhook-Signature', in: 'header', required: true, schema: { type: 'string' } }],
            requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            responses: { '200': { description: 'Received.' } },
          },
        },
      },
    },
  );
}

const pair = (name: string, mutate: (spec: any) => void, expect: string[], operation?: string, base: (spec: any) => void = () => {}): Pair => {
  const [before, after] = [baseSpec(), baseSpec()];
  base(before);
  base(after);
  mutate(after);
  return { name, base: before, head: after, expect, ...(operation ? { operation } : {}) };
};

const list = (s: any) => s.paths['/things'].get;
const create = (s: any) => s.paths['/things'].post;
const one = (s: any) => s.paths['/things/{thing_id}'].get;
const hook = (s: any) => s.webhooks.thingArchived.post;
const param = (s: any, name: string) => list(s).parameters.find((p: any) => p.name === name);
const deprecate = (extra: object) => (s: any) => Object.assign(one(s), { deprecated: true, ...extra });
const sunsetHeader = (date: string) => (s: any) =>
  Object.assign(one(s), { deprecated: true }).responses['200'].headers = { Sunset: { description: 'When it goes.', schema: { type: 'string' }, example: date } };

export const operationPairs: Pair[] = [
  pair('an operation removed', (s) => delete s.paths['/things/{thing_id}'].get, [B('operation-removed')], 'GET /things/{}'),
  pair('a deprecated operation without a sunset date removed', (s) => delete s.paths['/things/{thing_id}'].get, [B('operation-removed-without-sunset')], 'GET /things/{}', deprecate({})),
  pair('a deprecated operation removed before its x-sunset', (s) => delete s.paths['/things/{thing_id}'].get, [B('operation-removed-before-sunset')], 'GET /things/{}', deprecate({ 'x-sunset': '2027-01-01' })),
  pair('a deprecated operation removed after its x-sunset', (s) => delete s.paths['/things/{thing_id}'].get, [N('operation-removed-after-sunset')], 'GET /things/{}', deprecate({ 'x-sunset': '2026-01-01' })),
  pair('a deprecated operation removed after the date of its documented Sunset header', (s) => delete s.paths['/things/{thing_id}'].get, [N('operation-removed-after-sunset')], 'GET /things/{}', sunsetHeader('Thu, 01 Jan 2026 00:00:00 GMT')),
  pair('a deprecated operation with an unreadable sunset date removed', (s) => delete s.paths['/things/{thing_id}'].get, [B('operation-removed-without-sunset')], 'GET /things/{}', deprecate({ 'x-sunset': 'soon' })),
  pair('a sunset date brought forward', (s) => (one(s)['x-sunset'] = '2026-09-01'), [B('operation-sunset-brought-forward')], 'GET /things/{}', deprecate({ 'x-sunset': '2027-01-01' })),
  pair('a sunset date postponed', (s) => (one(s)['x-sunset'] = '2027-06-01'), [N('operation-sunset-postponed')], 'GET /things/{}', deprecate({ 'x-sunset': '2027-01-01' })),
  pair('an operation added', (s) => (s.paths['/widgets'] = { get: { responses: { '200': { description: 'ok' } } } }), [N('operation-added')], 'GET /widgets'),
  pair('an operation deprecated', (s) => (one(s).deprecated = true), [N('operation-deprecated')], 'GET /things/{}'),
  pair('an operation no longer deprecated', (s) => (one(s).deprecated = false), [N('operation-reactivated')], 'GET /things/{}', deprecate({})),
  pair('a path parameter renamed', (s) => {
    const item = s.paths['/things/{thing_id}'];
    item.get.parameters[0].name = 'id';
    s.paths['/things/{id}'] = item;
    delete s.paths['/things/{thing_id}'];
  }, []),
];

export const parameterPairs: Pair[] = [
  pair('a parameter removed', (s) => list(s).parameters.splice(1, 1), [B('parameter-removed')], 'GET /things'),
  pair('an optional parameter added', (s) => list(s).parameters.push({ name: 'owner', in: 'query', schema: { type: 'string' } }), [N('parameter-added')], 'GET /things'),
  pair('a required parameter added', (s) => list(s).parameters.push({ name: 'owner', in: 'query', required: true, schema: { type: 'string' } }), [B('parameter-added-required')], 'GET /things'),
  pair('a parameter made required', (s) => (param(s, 'limit').required = true), [B('parameter-made-required')], 'GET /things'),
  pair('a parameter made optional', (s) => (param(s, 'limit').required = false), [N('parameter-made-optional')], 'GET /things', (s) => (param(s, 'limit').required = true)),
  pair('style deepObject changed to form', (s) => (param(s, 'created_at').style = 'form'), [B('parameter-style-changed')], 'GET /things'),
  pair('explode true changed to false on an array', (s) => (param(s, 'id').explode = false), [B('parameter-explode-changed')], 'GET /things'),
  pair('explode changed on a scalar (written alike)', (s) => (param(s, 'q').explode = false), []),
  pair('style form changed to pipeDelimited on a scalar (written alike)', (s) => (param(s, 'q').style = 'pipeDelimited'), []),
  pair('allowReserved removed', (s) => (param(s, 'q').allowReserved = false), [B('parameter-allow-reserved-removed')], 'GET /things', (s) => (param(s, 'q').allowReserved = true)),
  pair('allowReserved added', (s) => (param(s, 'q').allowReserved = true), [N('parameter-allow-reserved-added')], 'GET /things'),
  pair('a parameter moved from schema to content', (s) => {
    const q = param(s, 'q');
    delete q.schema;
    q.content = { 'application/json': { schema: { type: 'string' } } };
  }, [B('parameter-serialization-changed')], 'GET /things'),
  pair('a content parameter changed its media type', (s) => (param(s, 'q').content = { 'text/plain': { schema: { type: 'string' } } }), [B('request-media-type-removed'), N('request-media-type-added')], 'GET /things', (s) => {
    const q = param(s, 'q');
    delete q.schema;
    q.content = { 'application/json': { schema: { type: 'string' } } };
  }),
  pair("a content parameter's schema narrowed", (s) => (param(s, 'q').content['application/json'].schema.maxLength = 3), [B('request-max-length-narrowed')], 'GET /things', (s) => {
    const q = param(s, 'q');
    delete q.schema;
    q.content = { 'application/json': { schema: { type: 'string' } } };
  }),
  pair('a scalar query parameter became a form-exploded array', (s) => (param(s, 'q').schema = { type: 'array', items: { type: 'string' } }), [N('parameter-became-array')], 'GET /things'),
  pair('an Authorization header parameter removed (OpenAPI ignores it)', (s) => list(s).parameters.pop(), [], undefined, (s) => list(s).parameters.push({ name: 'Authorization', in: 'header', required: true, schema: { type: 'string' } })),
  pair('two query parameters grouped into one form-exploded object (same query string)', (s) => {
    list(s).parameters = list(s).parameters.filter((p: any) => p.name !== 'limit' && p.name !== 'order');
    list(s).parameters.push({ name: 'page', in: 'query', style: 'form', explode: true, schema: { type: 'object', properties: { limit: param(baseSpec(), 'limit').schema, order: param(baseSpec(), 'order').schema } } });
  }, []),
  pair('a query parameter moved into a form-exploded object and narrowed there', (s) => {
    list(s).parameters = list(s).parameters.filter((p: any) => p.name !== 'limit');
    list(s).parameters.push({ name: 'page', in: 'query', schema: { type: 'object', properties: { limit: { ...param(baseSpec(), 'limit').schema, maximum: 50 } } } });
  }, [B('request-upper-bound-narrowed')], 'GET /things'),
  pair('a header parameter renamed only in case', (s) => (param(s, 'X-Trace').name = 'x-trace'), []),
  pair('a parameter default added', (s) => (param(s, 'q').schema.default = 'all'), [B('parameter-default-added')], 'GET /things'),
  pair('a parameter default removed', (s) => delete param(s, 'limit').schema.default, [B('parameter-default-removed')], 'GET /things'),
  pair('a parameter default changed', (s) => (param(s, 'limit').schema.default = 100), [B('request-default-changed')], 'GET /things'),
  pair('integer widened to number in a parameter', (s) => (param(s, 'limit').schema.type = 'number'), [N('request-type-widened')], 'GET /things'),
  pair('a path-level parameter moved to the operation', (s) => {
    s.paths['/things/{thing_id}'].parameters = one(s).parameters;
    delete one(s).parameters;
  }, []),
];

const json = (schema: unknown) => ({ 'application/json': { schema } });

export const bodyAndResponsePairs: Pair[] = [
  pair('the request body removed', (s) => delete create(s).requestBody, [B('request-body-removed')], 'POST /things'),
  pair('an optional request body added', (s) => (list(s).requestBody = { content: json({ type: 'object' }) }), [N('request-body-added')], 'GET /things'),
  pair('a required request body added', (s) => (list(s).requestBody = { required: true, content: json({ type: 'object' }) }), [B('request-body-added-required')], 'GET /things'),
  pair('the request body made required', (s) => (create(s).requestBody.required = true), [B('request-body-made-required')], 'POST /things', (s) => (create(s).requestBody.required = false)),
  pair('the request body made optional', (s) => (create(s).requestBody.required = false), [N('request-body-made-optional')], 'POST /things'),
  pair('a request media type removed', (s) => (create(s).requestBody.content = { 'application/x-www-form-urlencoded': create(s).requestBody.content['application/json'] }), [B('request-media-type-removed'), N('request-media-type-added')], 'POST /things'),
  pair('a request media type added', (s) => (create(s).requestBody.content['multipart/form-data'] = { schema: { type: 'object' } }), [N('request-media-type-added')], 'POST /things'),
  pair('a media type written with a charset and other case', (s) => {
    const content = create(s).requestBody.content;
    content['Application/JSON; charset=utf-8'] = content['application/json'];
    delete content['application/json'];
  }, []),
  pair('a response media type removed', (s) => (one(s).responses['200'].content = {}), [B('response-media-type-removed')], 'GET /things/{}'),
  pair('a schema given to a request media type that had none', (s) => (create(s).requestBody.content['text/plain'] = { schema: { type: 'string', maxLength: 10 } }), [B('request-schema-added')], 'POST /things', (s) => (create(s).requestBody.content['text/plain'] = {})),
  pair('the schema of a response media type removed', (s) => delete one(s).responses['200'].content['application/json'].schema, [B('response-schema-removed')], 'GET /things/{}'),
  pair('the schema of a request media type removed', (s) => delete create(s).requestBody.content['application/json'].schema, [N('request-schema-removed')], 'POST /things'),
  pair('a schema given to a response header that had none', (s) => (list(s).responses['200'].headers['X-Plain'] = { schema: { type: 'string' } }), [N('response-schema-added')], 'GET /things', (s) => (list(s).responses['200'].headers['X-Plain'] = { description: 'Any.' })),
  pair('a response media type added', (s) => (one(s).responses['200'].content['text/csv'] = { schema: { type: 'string' } }), [N('response-media-type-added')], 'GET /things/{}'),
  pair('a success status removed', (s) => {
    one(s).responses['201'] = one(s).responses['200'];
    delete one(s).responses['200'];
  }, [B('response-status-removed'), N('response-status-added')], 'GET /things/{}'),
  pair('an error status removed', (s) => delete list(s).responses['401'], [N('response-status-removed')], 'GET /things'),
  pair('a status added', (s) => (list(s).responses['429'] = { description: 'Slow down.' }), [N('response-status-added')], 'GET /things'),
  pair('a response header removed', (s) => delete list(s).responses['200'].headers['metorial-req-id'], [B('response-header-removed')], 'GET /things'),
  pair('a response header added', (s) => (list(s).responses['200'].headers['RateLimit-Reset'] = { schema: { type: 'integer' } }), [N('response-header-added')], 'GET /things'),
  pair('a response header made optional', (s) => (list(s).responses['200'].headers['RateLimit-Limit'].required = false), [B('response-header-made-optional')], 'GET /things'),
  pair('a response header made required', (s) => (list(s).responses['200'].headers['metorial-req-id'].required = true), [N('response-header-made-required')], 'GET /things'),
  pair("a response header's schema changed type", (s) => (list(s).responses['200'].headers['RateLimit-Limit'].schema = { type: 'string' }), [B('response-type-changed')], 'GET /things'),
  pair("a response header's name changed only in case", (s) => {
    const headers = list(s).responses['200'].headers;
    headers['Metorial-Req-Id'] = headers['metorial-req-id'];
    delete headers['metorial-req-id'];
  }, []),
];

const withOauth = (s: any) => {
  s.components.securitySchemes.oauth = { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://auth.example/token', scopes: { read: 'Read.', write: 'Write.' } } } };
  s.components.securitySchemes.apiKey = { type: 'apiKey', in: 'header', name: 'X-Key' };
  list(s).security = [{ oauth: ['read'] }];
};

export const securityPairs: Pair[] = [
  pair('a scope added to a requirement', (s) => (list(s).security = [{ oauth: ['read', 'write'] }]), [B('security-scope-added')], 'GET /things', withOauth),
  pair('a scope removed from a requirement', (s) => (list(s).security = [{ oauth: [] }]), [N('security-scope-removed')], 'GET /things', withOauth),
  pair('an alternative added', (s) => list(s).security.push({ apiKey: [] }), [N('security-alternative-added')], 'GET /things', withOauth),
  pair('an alternative replaced', (s) => (list(s).security = [{ apiKey: [] }]), [B('security-alternative-removed'), N('security-alternative-added')], 'GET /things', withOauth),
  pair('the requirement removed', (s) => (list(s).security = []), [N('security-requirement-removed')], 'GET /things', withOauth),
  pair('a requirement added to an open operation', (s) => (list(s).security = [{ apiKey: [] }]), [B('security-requirement-added')], 'GET /things', (s) => {
    withOauth(s);
    list(s).security = [];
  }),
  pair('an unused scheme removed', (s) => delete s.components.securitySchemes.apiKey, [N('unused-security-scheme-removed')], undefined, withOauth),
  pair('a used scheme removed', (s) => {
    delete s.components.securitySchemes.oauth;
    list(s).security = [{ bearerAuth: [] }];
  }, [B('security-scheme-removed'), B('security-alternative-removed'), N('security-alternative-added')], undefined, withOauth),
  pair('a used scheme changed', (s) => (s.components.securitySchemes.bearerAuth = { type: 'apiKey', in: 'header', name: 'X-Key' }), [B('security-scheme-changed')], '(document)'),
  pair('an unused scheme changed', (s) => (s.components.securitySchemes.apiKey.name = 'X-Api-Key'), [N('unused-security-scheme-changed')], undefined, withOauth),
  pair('a scheme added', (s) => (s.components.securitySchemes.apiKey = { type: 'apiKey', in: 'header', name: 'X-Key' }), [N('security-scheme-added')], '(document)'),
  pair('a scope description reworded', (s) => (s.components.securitySchemes.oauth.flows.clientCredentials.scopes.read = 'Read things.'), [], undefined, withOauth),
];

const withCallback = (s: any) =>
  (create(s).callbacks = { thingReady: { '{$request.body#/callback_url}': { post: { requestBody: { required: true, content: json({ $ref: '#/components/schemas/Thing' }) }, responses: { '204': { description: 'Received.' } } } } } });
const callback = 'POST /things callback thingReady {$request.body#/callback_url} POST';

const webhook = 'webhook thingArchived POST';
export const webhookPairs: Pair[] = [
  pair('a webhook removed', (s) => delete s.webhooks.thingArchived, [B('operation-removed')], webhook),
  pair('a webhook added', (s) => (s.webhooks.thingCreated = { post: { requestBody: { content: json({ type: 'object' }) }, responses: { '200': { description: 'ok' } } } }), [N('operation-added')], 'webhook thingCreated POST'),
  pair('a field removed from a webhook payload', (s) => delete s.components.schemas.Thing.properties.name, [B('response-field-removed')], webhook),
  pair('a payload enum widened', (s) => s.components.schemas.Thing.properties.status.enum.push('deleted'), [B('response-enum-widened')], webhook),
  pair('a callback removed', (s) => delete create(s).callbacks, [B('operation-removed')], callback, withCallback),
  pair('a field removed from a callback payload', (s) => delete s.components.schemas.Thing.properties.name, [B('response-field-removed')], callback, withCallback),
  pair('a webhook header made optional', (s) => (hook(s).parameters[0].required = false), [B('parameter-made-optional')], webhook),
  pair('a webhook header made required', (s) => (hook(s).parameters[0].required = true), [N('parameter-made-required')], webhook, (s) => (hook(s).parameters[0].required = false)),
  pair('a webhook header added as required', (s) => hook(s).parameters.push({ name: 'Webhook-Id', in: 'header', required: true, schema: { type: 'string' } }), [N('parameter-added')], webhook),
  pair('a webhook payload made optional', (s) => (hook(s).requestBody.required = false), [B('request-body-made-optional')], webhook),
  pair('a webhook payload made required', (s) => (hook(s).requestBody.required = true), [N('request-body-made-required')], webhook, (s) => (hook(s).requestBody.required = false)),
  pair('a webhook payload added as required', (s) => (s.webhooks.thingArchived.post = { ...hook(s), requestBody: { required: true, content: json({ type: 'object' }) } }), [N('request-body-added-required')], webhook, (s) => delete hook(s).requestBody),
  pair('a header the API requires in webhook replies added', (s) => (hook(s).responses['200'].headers = { 'X-Ack': { required: true, schema: { type: 'string' } } }), [N('response-header-added')], webhook),
  pair('a header of webhook replies removed', (s) => delete hook(s).responses['200'].headers, [N('response-header-removed')], webhook, (s) => (hook(s).responses['200'].headers = { 'X-Ack': { schema: { type: 'string' } } })),
  pair('a header of webhook replies made optional', (s) => (hook(s).responses['200'].headers['X-Ack'].required = false), [N('response-header-made-optional')], webhook, (s) => (hook(s).responses['200'].headers = { 'X-Ack': { required: true, schema: { type: 'string' } } })),
  pair('a header of webhook replies made required', (s) => (hook(s).responses['200'].headers['X-Ack'].required = true), [B('response-header-made-required')], webhook, (s) => (hook(s).responses['200'].headers = { 'X-Ack': { schema: { type: 'string' } } })),
];

/** The spec as an OpenAPI 3.0 document: `nullable: true` for null, boolean exclusive bounds. */
function as30(s: any): void {
  s.openapi = '3.0.3';
  delete s.webhooks;
  s.components.schemas.Thing.properties.description = { type: 'string', nullable: true };
  s.components.schemas.CreateThing.properties.note = { type: 'string', nullable: true };
  s.components.schemas.CreateThing.properties.count = { type: 'integer', minimum: 0, exclusiveMinimum: true };
}

const of30 = (name: string, mutate: (spec: any) => void, expect: string[], operation?: string): Pair => pair(name, mutate, expect, operation, as30);

export const openapi30Pairs: Pair[] = [
  // A 3.0 release against the same API written in 3.1: nothing changed.
  {
    ...pair('a 3.0 baseline against the same API in 3.1', () => {}, []),
    base: (() => {
      const s = baseSpec();
      as30(s);
      return s;
    })(),
    head: (() => {
      const s = baseSpec();
      delete s.webhooks;
      s.components.schemas.CreateThing.properties.count = { type: 'integer', exclusiveMinimum: 0 };
      return s;
    })(),
  },
  of30('nullable: true removed from a 3.0 request field', (s) => delete s.components.schemas.CreateThing.properties.note.nullable, [B('request-field-made-non-nullable')], 'POST /things'),
  of30('nullable: true added to a 3.0 response field', (s) => (s.components.schemas.Thing.properties.name.nullable = true), [B('response-field-made-nullable')], 'GET /things'),
  of30('a 3.0 exclusive minimum made inclusive', (s) => delete s.components.schemas.CreateThing.properties.count.exclusiveMinimum, [N('request-lower-bound-widened')], 'POST /things'),
];

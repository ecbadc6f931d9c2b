import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSandboxServer, type SandboxServer } from '../../sandbox/server.ts';

/** A resource the sandbox has no code for: added to a copy of the spec, it must work as the others do. */
function withWidgets(document: any): any {
  const copy = structuredClone(document);
  copy.components.schemas.Widget = {
    type: 'object',
    additionalProperties: false,
    required: ['object', 'id', 'name', 'status', 'shelf_id', 'created_at', 'updated_at'],
    properties: {
      object: { const: 'widget' },
      id: { type: 'string' },
      name: { type: 'string' },
      status: { type: 'string', enum: ['active', 'deleted'] },
      shelf_id: { type: 'string' },
      created_at: { type: 'string', format: 'date-time' },
      updated_at: { type: 'string', format: 'date-time' },
    },
  };
  const example = { object: 'widget', id: 'wdg_8hJkLmNpQrStUvWx', name: 'Sprocket', status: 'active', shelf_id: 'shf_2bCdEfGhJkLmNpQr', created_at: '2025-05-01T00:00:00.000Z', updated_at: '2025-05-02T00:00:00.000Z' };
  const one = { description: 'A widget.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' }, examples: { Widget: { value: example } } } } };
  const list = {
    description: 'Widgets.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: { object: { const: 'list' }, items: { type: 'array', items: { $ref: '#/components/schemas/Widget' } }, pagination: { $ref: '#/components/schemas/Pagination' } },
        },
      },
    },
  };
  const listParameters = document.paths['/provider-runs'].get.parameters.filter((p: { $ref: string }) => /Limit|After|Before|Cursor|Order/.test(p.$ref));
  copy.paths['/widgets'] = {
    get: { operationId: 'listWidgets', parameters: [...listParameters, { name: 'status', in: 'query', schema: { type: 'string' } }], responses: { 200: list } },
    post: {
      operationId: 'createWidget',
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' } } } } } },
      responses: { 200: one },
    },
  };
  copy.paths['/widgets/{widget_id}'] = {
    parameters: [{ name: 'widget_id', in: 'path', required: true, schema: { type: 'string' } }],
    get: { operationId: 'getWidget', responses: { 200: one } },
    delete: { operationId: 'deleteWidget', responses: { 200: one } },
  };
  copy.paths['/shelves/{shelf_id}/widgets'] = {
    parameters: [{ name: 'shelf_id', in: 'path', required: true, schema: { type: 'string' } }],
    get: { operationId: 'listShelfWidgets', parameters: listParameters, responses: { 200: list } },
  };
  return copy;
}

describe('a resource added to the spec needs no sandbox code', () => {
  let sandbox: SandboxServer;
  let url: string;
  beforeAll(async () => {
    sandbox = createSandboxServer({ document: withWidgets(JSON.parse(readFileSync(inject('specFile'), 'utf8'))), count: 45 });
    url = await sandbox.listen();
  });
  afterAll(() => sandbox?.close());
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: 'Bearer metorial_sk_widgets', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('seeds, pages, scopes, creates and soft-deletes widgets', async () => {
    const first = await call('GET', '/widgets?limit=20');
    expect(first.body.items).toHaveLength(20);
    expect(first.body.items.every((w: { id: string }) => /^wdg_/.test(w.id))).toBe(true);
    expect(first.body.pagination).toEqual({ has_more_before: false, has_more_after: true });
    const shelf = await call('GET', '/shelves/shf_2bCdEfGhJkLmNpQr/widgets?limit=100');
    expect(shelf.body.items.length).toBeGreaterThan(0);
    expect(shelf.body.items.every((w: { shelf_id: string }) => w.shelf_id === 'shf_2bCdEfGhJkLmNpQr')).toBe(true);
    const created = await call('POST', '/widgets', { name: 'Cog' });
    expect(created.body).toMatchObject({ object: 'widget', name: 'Cog', status: 'active' });
    expect(created.body.id).toMatch(/^wdg_/);
    expect((await call('GET', `/widgets/${created.body.id}`)).body).toEqual(created.body);
    expect((await call('DELETE', `/widgets/${created.body.id}`)).body.status).toBe('deleted');
    const refused = await call('POST', '/widgets', { name: 7 });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ object: 'error', code: 'invalid_data' });
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { type Answer, Engine, StoredTexts } from '../../sandbox/engine.ts';
import { readModel, type RouteModel } from '../../sandbox/model.ts';
import { generateSeed } from '../../sandbox/seed.ts';

// The server sends `answer.text()` where the engine gives one (stored objects' text is kept): it must
// be JSON.stringify(answer.body) exactly, also after writes and while a run's lifecycle moves it.
const document = JSON.parse(readFileSync(inject('specFile'), 'utf8'));
const model = readModel(document);
const seed = generateSeed(model, { seed: 1, count: 100 });
const key = 'metorial_sk_text';

function route(operationId: string): RouteModel {
  const found = model.routes.find((r) => r.operationId === operationId);
  if (!found) throw new Error(`${operationId} is not in the spec`);
  return found;
}

function sameText(answer: Answer): void {
  expect(answer.text).toBeDefined();
  expect(answer.text?.()).toBe(JSON.stringify(answer.body));
}

describe('sandbox engine: the text of an answer', () => {
  it('is JSON.stringify of the body for every list and get, page after page', () => {
    const engine = new Engine(model, seed);
    for (const list of model.routes.filter((r) => r.kind === 'list' && !r.scopes.length)) {
      let after: string | undefined;
      for (let page = 0; page < 3; page++) {
        const answer = engine.handle({ route: list, apiKey: key, pathValues: {}, query: { limit: '7', ...(after ? { after } : {}) }, body: undefined });
        sameText(answer);
        sameText(engine.handle({ route: list, apiKey: key, pathValues: {}, query: { limit: '7', ...(after ? { after } : {}) }, body: undefined }));
        const items = (answer.body as { items: { id: string }[] }).items;
        const get = model.routes.find((r) => r.kind === 'get' && r.resource === list.resource && !r.scopes.length);
        if (get?.idParameter) for (const item of items) sameText(engine.handle({ route: get, apiKey: key, pathValues: { [get.idParameter]: item.id }, query: {}, body: undefined }));
        after = items.at(-1)?.id;
      }
    }
  });

  it('follows an update (the new object, not the kept text of the old one)', () => {
    const engine = new Engine(model, seed);
    const get = route('getSessionTemplateProvider');
    const list = route('listSessionTemplateProviders');
    const first = (engine.handle({ route: list, apiKey: key, pathValues: {}, query: { limit: '1' }, body: undefined }).body as { items: { id: string }[] }).items[0];
    if (!first) throw new Error('no session template provider seeded');
    const pathValues = { [get.idParameter ?? '']: first.id };
    const before = engine.handle({ route: get, apiKey: key, pathValues, query: {}, body: undefined });
    sameText(before);
    // The spec's example update (RestrictToolsToSearch).
    engine.handle({ route: route('updateSessionTemplateProvider'), apiKey: key, pathValues, query: {}, body: { tool_filters: { tool_keys: ['search_files'] } } });
    const after = engine.handle({ route: get, apiKey: key, pathValues, query: {}, body: undefined });
    sameText(after);
    expect(after.text?.()).not.toBe(before.text?.());
    const listed = engine.handle({ route: list, apiKey: key, pathValues: {}, query: { limit: '1' }, body: undefined });
    sameText(listed);
    expect(listed.text?.()).toBe(JSON.stringify({ ...(listed.body as object), items: [after.body] }));
    // Another key still sees the seed's object, with the seed's text.
    expect(engine.handle({ route: get, apiKey: `${key}_other`, pathValues, query: {}, body: undefined }).text?.()).toBe(before.text?.());
  });

  it('follows a created run through its lifecycle', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const engine = new Engine(model, seed, { now: () => now });
    const created = engine.handle({ route: route('createRun'), apiKey: key, pathValues: {}, query: {}, body: { agent_id: 'agent_Rm4Mnheq2bfEPhBhP7SY', content: 'Hi' } });
    const id = (created.body as { id: string }).id;
    const get = route('getRun');
    const statuses: string[] = [];
    for (const step of [0, 10_000, 10_000]) {
      now += step;
      const answer = engine.handle({ route: get, apiKey: key, pathValues: { [get.idParameter ?? '']: id }, query: {}, body: undefined });
      sameText(answer);
      statuses.push((answer.body as { status: string }).status);
      const listed = engine.handle({ route: route('listRuns'), apiKey: key, pathValues: {}, query: { order: 'desc', limit: '1' }, body: undefined });
      sameText(listed);
      expect(listed.text?.()).toContain(`"status":"${statuses.at(-1)}"`);
    }
    expect(statuses).toEqual(['running', 'success', 'success']);
  });

  it('keeps at most its limit of texts, and stays right past it', () => {
    const texts = new StoredTexts(2);
    const objects = [{ a: 1 }, { b: 2 }, { c: 3 }];
    for (let round = 0; round < 2; round++) for (const object of objects) expect(texts.of(object)).toBe(JSON.stringify(object));
  });
});

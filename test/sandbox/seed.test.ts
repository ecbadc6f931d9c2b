import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { readModel } from '../../sandbox/model.ts';
import { generateSeed } from '../../sandbox/seed.ts';
import { SpecValidator } from '../../src/spec-validator.ts';

const document = JSON.parse(readFileSync(inject('specFile'), 'utf8'));
const model = readModel(document);
const seed = generateSeed(model, { seed: 1, count: 100 });
const bodies = (name: string) => (seed.collections.get(name)?.items ?? []).map((item) => item.body) as Record<string, any>[];

describe('sandbox seed data', () => {
  it('derives the five resources, their prefixes and their routes from the spec', () => {
    expect(Object.fromEntries([...model.resources.values()].map((r) => [r.name, r.idPrefix]))).toEqual({
      Run: 'run_',
      ProviderRun: 'prn_',
      ServerRun: 'srun_',
      SessionTemplateProvider: 'stp_',
      SessionError: 'ser_',
    });
    expect(model.routes).toHaveLength(19);
    expect(model.routes.filter((r) => r.kind === 'list')).toHaveLength(7);
  });

  it('is deterministic: the same seed gives the same data, another seed other data', () => {
    const again = generateSeed(readModel(document), { seed: 1, count: 100 });
    const other = generateSeed(readModel(document), { seed: 2, count: 100 });
    for (const name of model.resources.keys()) {
      expect(again.collections.get(name)?.items.map((i) => i.body)).toEqual(bodies(name));
      expect(other.collections.get(name)?.items.map((i) => i.body)).not.toEqual(bodies(name));
    }
  });

  it('makes every object valid against its schema, with its prefix, and includes the spec\u2019s examples', () => {
    const validator = new SpecValidator(document);
    for (const resource of model.resources.values()) {
      const validate = validator.validatorAt(`/components/schemas/${resource.name}`);
      const objects = bodies(resource.name);
      expect(objects).toHaveLength(100);
      for (const object of objects) {
        expect(SpecValidator.problems(validate, object), `${resource.name} ${object.id}`).toEqual([]);
        if (!resource.examples.some((e) => e.id === object.id)) expect(object.id).toMatch(new RegExp(`^${resource.idPrefix}[A-Za-z0-9]{16,}$`));
      }
      expect(new Set(objects.map((o) => o.id)).size).toBe(objects.length);
      for (const example of resource.examples) expect(objects.map((o) => o.id)).toContain(example.id);
    }
    expect(bodies('ProviderRun').find((r) => r.id === 'prn_8hJkLmNpQrStUvWx')).toEqual(
      document.components.examples.ProviderRun.value,
    );
  });

  it('keeps relations consistent: a session error\u2019s provider run is of the same session', () => {
    const runs = new Map(bodies('ProviderRun').map((r) => [r.id, r]));
    let checked = 0;
    for (const error of bodies('SessionError')) {
      if (error.provider_run_id === null) continue;
      const run = runs.get(error.provider_run_id);
      expect(run, `${error.id} -> ${error.provider_run_id}`).toBeDefined();
      expect(run?.session_id).toBe(error.session_id);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
    for (const stp of bodies('SessionTemplateProvider')) expect(stp.deployment.provider_id).toBe(stp.provider_id);
  });

  it('orders timestamps (created <= started <= completed, created <= updated) and lists by created_at', () => {
    for (const name of model.resources.keys()) {
      const objects = bodies(name);
      for (const o of objects) {
        const at = (k: string) => (typeof o[k] === 'string' ? Date.parse(o[k]) : undefined);
        const created = at('created_at') as number;
        for (const later of ['started_at', 'completed_at', 'updated_at', 'stopped_at']) {
          if (at(later) !== undefined) expect(at(later), `${name} ${o.id} ${later}`).toBeGreaterThanOrEqual(created);
        }
        if (at('completed_at') !== undefined && at('started_at') !== undefined) expect(at('completed_at')).toBeGreaterThanOrEqual(at('started_at') as number);
      }
      const created = objects.map((o) => Date.parse(o.created_at));
      expect(created).toEqual([...created].sort((a, b) => a - b));
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { Change } from '../../scripts/lib/breaking/change.ts';
import { compareSpecs } from '../../scripts/lib/breaking/diff.ts';
import { ruleCatalogue } from '../../scripts/lib/breaking/rules.ts';
import { compositionPairs } from './composition-pairs.ts';
import { bodyAndResponsePairs, comparedAt, baseSpec, openapi30Pairs, operationPairs, parameterPairs, securityPairs, webhookPairs } from './document-pairs.ts';
import { type Pair, verdict } from './fixtures.ts';
import { keywordPairs, propertyPairs } from './schema-pairs.ts';

const groups: Record<string, Pair[]> = {
  operations: operationPairs,
  parameters: parameterPairs,
  'request bodies and responses': bodyAndResponsePairs,
  security: securityPairs,
  webhooks: webhookPairs,
  'OpenAPI 3.0 baselines': openapi30Pairs,
  'schema keywords': keywordPairs,
  'properties and nullability': propertyPairs,
  composition: compositionPairs,
};
const allPairs = Object.values(groups).flat();
const compare = (pair: Pair) => compareSpecs(pair.base, pair.head, { now: comparedAt });
const breakingVerdicts = (changes: Change[]) => [...new Set(changes.filter((c) => c.severity === 'breaking').map((c) => verdict(c.severity, c.rule)))].sort();

for (const [group, pairs] of Object.entries(groups)) {
  describe(group, () => {
    for (const pair of pairs) {
      it(pair.expect.length ? `${pair.name}: ${pair.expect.join(', ')}` : `${pair.name}: no change`, () => {
        const changes = compare(pair);
        if (!pair.expect.length) return expect(changes).toEqual([]);
        const where = pair.operation ? changes.filter((c) => c.operation === pair.operation) : changes;
        expect([...new Set(where.map((c) => verdict(c.severity, c.rule)))].sort()).toEqual([...new Set(pair.expect)].sort());
        // No false alarm: every breaking change reported is one the pair expects.
        expect(breakingVerdicts(changes)).toEqual(pair.expect.filter((e) => e.startsWith('breaking ')).sort());
      });
    }
  });
}

describe('the rule catalogue', () => {
  it('has a pair of specs for every rule', () => {
    const tested = new Set(allPairs.flatMap((pair) => pair.expect.map((e) => e.replace(/^(non-)?breaking /, ''))));
    expect(Object.keys(ruleCatalogue).filter((rule) => !tested.has(rule))).toEqual([]);
  });

  it('lists every rule the comparison reports', () => {
    const reported = new Set(allPairs.flatMap((pair) => compare(pair).map((c) => c.rule)));
    expect([...reported].filter((rule) => !(rule in ruleCatalogue))).toEqual([]);
  });
});

describe('reports', () => {
  it('name where each change is', () => {
    const head = baseSpec();
    delete head.components.schemas.Thing.properties.name;
    const [change] = compareSpecs(baseSpec(), head).filter((c) => c.operation === 'GET /things');
    expect(change).toMatchObject({ location: 'response 200 body items[] name', message: 'field name was removed' });
  });

  it('say why a deprecated operation could or could not be removed', () => {
    const [after] = compare(operationPairs.find((p) => p.name === 'a deprecated operation removed after its x-sunset')!);
    expect(after!.message).toBe('the operation was removed after its announced sunset date 2026-01-01 (it was deprecated)');
    const [before] = compare(operationPairs.find((p) => p.name === 'a deprecated operation removed before its x-sunset')!);
    expect(before!.message).toBe('the operation was removed before its sunset date 2027-01-01');
  });
});

describe('documents it cannot read', () => {
  it('refuses a Swagger 2.0 baseline, saying what to do', () => {
    expect(() => compareSpecs({ swagger: '2.0', paths: {} } as never, baseSpec())).toThrow(/base spec is Swagger 2.0.*Convert it to OpenAPI 3/);
  });

  it('refuses an OpenAPI version it does not know', () => {
    expect(() => compareSpecs(baseSpec(), { ...baseSpec(), openapi: '4.0.0' })).toThrow('The head spec has openapi: "4.0.0"; the breaking-change check reads OpenAPI 3.0.x and 3.1.x documents only.');
  });

  it('names a $ref that points nowhere', () => {
    const head = baseSpec();
    delete head.components.schemas.Error;
    expect(() => compareSpecs(baseSpec(), head)).toThrow('The spec has a $ref to #/components/schemas/Error, which does not exist');
  });
});

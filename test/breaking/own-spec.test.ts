import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareSpecs } from '../../scripts/lib/breaking/diff.ts';
import { bundleSpecSource } from '../../scripts/lib/bundle.ts';
import { type Edit, harmlessEdits, requestNarrowings, responseWidenings, splitIntoAllOf } from './own-spec-edits.ts';

let spec: any;
let breakingEdits: Edit[];
let harmless: Edit[];
beforeAll(async () => {
  spec = await bundleSpecSource();
  breakingEdits = [...responseWidenings(spec), ...requestNarrowings(spec)];
  harmless = harmlessEdits(spec);
});

const edited = (...edits: Edit[]) => {
  const head = structuredClone(spec);
  for (const edit of edits) edit.apply(head);
  return compareSpecs(spec, head);
};
// Runs per property; BREAKING_RUNS=500 for a longer search. fast-check prints the seed of a failure.
const runs = Number(process.env.BREAKING_RUNS ?? 40);
const breaking = (changes: ReturnType<typeof compareSpecs>) => changes.filter((c) => c.severity === 'breaking');

/** An edit of our spec and the verdicts it must get; the cases a maintainer tried in issue 13. */
const scenarios: Array<[string, (spec: any) => void, string[]]> = [
  ['RunCreatedAtFilter written in form style instead of deepObject', (s) => (s.components.parameters.RunCreatedAtFilter.style = 'form'), ['breaking parameter-style-changed']],
  ['SessionIdFilter no longer exploded', (s) => (s.components.parameters.SessionIdFilter.explode = false), ['breaking parameter-explode-changed']],
  ['the Order default changed from asc to desc', (s) => (s.components.parameters.Order.schema.default = 'desc'), ['breaking request-default-changed']],
  ['the Limit default changed from 20 to 100', (s) => (s.components.parameters.Limit.schema.default = 100), ['breaking request-default-changed']],
  ['Metadata limited to string values (in requests and responses)', (s) => (s.components.schemas.Metadata.additionalProperties = { type: 'string' }), ['breaking request-additional-properties-narrowed', 'non-breaking response-additional-properties-narrowed']],
  ['raw_inputs closed with additionalProperties: false', (s) => (s.components.schemas.CreateRunRequest.properties.raw_inputs.additionalProperties = false), ['breaking request-additional-properties-narrowed']],
  ['Actor refactored into allOf with the exact same shape', (s) => {
    const [first, ...others] = Object.keys(s.components.schemas.Actor.properties);
    s.components.schemas.Actor = splitIntoAllOf(s.components.schemas.Actor, [[first!], others]);
  }, []],
  ['a field removed inside an allOf member of Actor', (s) => {
    const [first, dropped, ...others] = Object.keys(s.components.schemas.Actor.properties);
    expect(dropped).toBe('name');
    s.components.schemas.Actor = splitIntoAllOf(s.components.schemas.Actor, [[first!], others]);
  }, ['breaking response-field-removed']],
];

describe('the changes a maintainer tried on our spec (issue 13)', () => {
  for (const [name, mutate, expected] of scenarios) {
    it(`${name}: ${expected.join(', ') || 'no change'}`, () => {
      const head = structuredClone(spec);
      mutate(head);
      const verdicts = [...new Set(compareSpecs(spec, head).map((c) => `${c.severity} ${c.rule}`))];
      expect(verdicts.sort()).toEqual(expected);
    });
  }

  it("sees a response map's value type change", () => {
    const [base, head] = [structuredClone(spec), structuredClone(spec)];
    base.components.schemas.NullableMetadata.additionalProperties = { type: 'string' };
    head.components.schemas.NullableMetadata.additionalProperties = { type: 'integer' };
    expect(breaking(compareSpecs(base, head)).map((c) => c.rule)).toContain('response-type-changed');
  });
});

/** Our spec written as OpenAPI 3.0 would: `nullable: true` instead of null in `type`, `enum: [x]` instead of `const`. */
function as30(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(as30);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, as30(value)]));
  if (Array.isArray(out.type) && out.type.includes('null') && out.type.length === 2) {
    out.type = out.type.find((t) => t !== 'null');
    out.nullable = true;
  }
  if ('const' in out && typeof out.const !== 'object') {
    out.enum = [out.const];
    delete out.const;
  }
  return out;
}

describe('an OpenAPI 3.0 baseline', () => {
  it('compares as the same API written in 3.1 does', () => {
    const head = structuredClone(spec);
    head.components.schemas.Actor.properties.name.type = ['string', 'null'];
    const base30 = { ...(as30(spec) as object), openapi: '3.0.3' } as any;
    expect(JSON.stringify(base30)).toContain('"nullable":true');
    const verdicts = (changes: ReturnType<typeof compareSpecs>) => changes.map((c) => `${c.severity} ${c.rule} ${c.operation} ${c.location}`).sort();
    const from30 = verdicts(compareSpecs(base30, head));
    expect(from30).toEqual(verdicts(compareSpecs(spec, head)));
    expect(from30).toContain('breaking response-field-made-nullable GET /runs response 200 body items[] attached_items[] actor name');
  });
});

describe('random edits of our own spec', () => {
  it('finds edits of every kind in the spec', () => {
    expect(responseWidenings(spec).length).toBeGreaterThan(50);
    expect(requestNarrowings(spec).length).toBeGreaterThan(30);
    expect(harmless.length).toBeGreaterThan(50);
  });

  // Over 700 edits in all: one of each rule every run, and a random sample of the rest.
  it('classifies an edit of every rule as breaking, under its rule', () => {
    const oneOfEachRule = [...new Map(breakingEdits.map((edit) => [edit.rule, edit])).values()];
    expect(oneOfEachRule.length).toBeGreaterThan(10);
    for (const edit of oneOfEachRule) expect(breaking(edited(edit)).map((c) => c.rule), edit.name).toContain(edit.rule);
  });

  it('classifies a response widening or a request narrowing as breaking, under its rule', () => {
    fc.assert(
      fc.property(fc.constantFrom(...breakingEdits), (edit) => {
        expect(breaking(edited(edit)).map((c) => c.rule), edit.name).toContain(edit.rule);
      }),
      { numRuns: runs },
    );
  });

  it('still sees the break among harmless edits', () => {
    fc.assert(
      fc.property(fc.constantFrom(...breakingEdits), fc.subarray(harmless, { maxLength: 4 }), (edit, extras) => {
        expect(breaking(edited(edit, ...extras)).map((c) => c.rule), `${edit.name} with ${extras.map((e) => e.name).join(', ')}`).toContain(edit.rule);
      }),
      { numRuns: Math.ceil(runs / 2) },
    );
  });

  it('reports no breaking change for harmless edits', () => {
    fc.assert(
      fc.property(fc.subarray(harmless, { minLength: 1, maxLength: 5 }), (edits) => {
        expect(breaking(edited(...edits)), edits.map((e) => e.name).join(', ')).toEqual([]);
      }),
      { numRuns: runs },
    );
  });
});

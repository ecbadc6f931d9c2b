import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareSpecs } from '../../scripts/lib/breaking/diff.ts';
import { bundleSpecSource } from '../../scripts/lib/bundle.ts';
import { type Edit, harmlessEdits, requestNarrowings, responseWidenings } from './own-spec-edits.ts';

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
const breaking = (changes: ReturnType<typeof compareSpecs>) => changes.filter((c) => c.severity === 'breaking');

describe('random edits of our own spec', () => {
  it('finds edits of every kind in the spec', () => {
    expect(responseWidenings(spec).length).toBeGreaterThan(50);
    expect(requestNarrowings(spec).length).toBeGreaterThan(30);
    expect(harmless.length).toBeGreaterThan(50);
  });

  it('classifies a response widening or a request narrowing as breaking, under its rule', () => {
    fc.assert(
      fc.property(fc.constantFrom(...breakingEdits), (edit) => {
        expect(breaking(edited(edit)).map((c) => c.rule), edit.name).toContain(edit.rule);
      }),
      { numRuns: 150 },
    );
  });

  it('still sees the break among harmless edits', () => {
    fc.assert(
      fc.property(fc.constantFrom(...breakingEdits), fc.subarray(harmless, { maxLength: 4 }), (edit, extras) => {
        expect(breaking(edited(edit, ...extras)).length, `${edit.name} with ${extras.map((e) => e.name).join(', ')}`).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  });

  it('reports no breaking change for harmless edits', () => {
    fc.assert(
      fc.property(fc.subarray(harmless, { minLength: 1, maxLength: 5 }), (edits) => {
        expect(breaking(edited(...edits)), edits.map((e) => e.name).join(', ')).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

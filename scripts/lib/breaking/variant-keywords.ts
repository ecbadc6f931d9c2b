import { type Relation, severityOf } from './change.ts';
import { canonical, emit, emitRelation, nested, type SchemaContext, show, valuesAddedAndRemoved } from './context.ts';
import { refTarget } from './deref.ts';
import { asSchema, effectiveSchema } from './effective.ts';
import type { EffectiveSchema, Schema } from './schema.ts';

type Discriminator = NonNullable<Schema['discriminator']>;

interface Branch {
  schema: Schema;
  effective: EffectiveSchema;
  /** The discriminator values that select this branch through `mapping`, or its component name without one (OpenAPI 3.1 §4.8.25). */
  mapped: string[];
  /** Every way the branch is told apart, strongest first. */
  keys: Array<string[]>;
}

const componentName = (ref: string | undefined) => ref?.split('/').at(-1);

function mappedValues(schema: Schema, discriminator: Discriminator | undefined): string[] {
  if (!discriminator) return [];
  const ref = schema[refTarget];
  const mapping = Object.entries(discriminator.mapping ?? {});
  const mapped = mapping.filter(([, target]) => ref !== undefined && (target === ref || target === componentName(ref))).map(([value]) => value);
  if (mapped.length || !ref) return mapped;
  return mapping.some(([, target]) => componentName(target) === componentName(ref)) ? [] : [componentName(ref)!];
}

/** The value each property is fixed to in a branch: its `const`, or an enum of one. */
function fixedValues(branch: EffectiveSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(branch.properties ?? {})) {
    const effective = effectiveSchema(property);
    if (effective.const !== undefined) out[name] = effective.const;
    else if (effective.enum?.length === 1) out[name] = effective.enum[0];
  }
  return out;
}

function branchOf(schema: Schema, discriminator: Discriminator | undefined): Branch {
  const effective = effectiveSchema(schema);
  const mapped = mappedValues(schema, discriminator);
  const fixed = fixedValues(effective);
  // A discriminator value is a string on the wire, as mapping keys are.
  const own = discriminator ? fixed[discriminator.propertyName] : undefined;
  const discriminated = own === undefined ? mapped : [...new Set([...mapped, String(own)])];
  const keys = [
    [`shape ${canonical(schema)}`],
    discriminated.map((value) => `discriminator ${value}`),
    (schema[refTarget] ?? schema.$ref) ? [`ref ${schema[refTarget] ?? schema.$ref}`] : [],
    effective.title ? [`title ${effective.title}`] : [],
    Object.keys(fixed).length ? [`const ${canonical(fixed)}`] : [],
    effective.types ? [`type ${effective.types.join('|')}`] : [],
  ];
  return { schema, effective, mapped, keys };
}

/** How a branch is named in a report: by its discriminator value, reference, title, fixed values or type. */
const label = (branch: Branch) => branch.keys.slice(1).flat()[0]?.replace(/^\w+ /, '') ?? 'unnamed';

/** How alike two branches look when nothing names them: shared property names and types. */
function likeness(a: Branch, b: Branch): number {
  const names = Object.keys(a.effective.properties ?? {});
  const shared = names.filter((name) => Object.hasOwn(b.effective.properties ?? {}, name)).length;
  const sameType = show(a.effective.types) === show(b.effective.types) ? 1 : 0;
  return shared * 2 + sameType;
}

/**
 * Pairs each old branch with the new one that is the same alternative: an identical branch first,
 * then by discriminator value, `$ref` target, title, fixed property values, type; what is left by likeness.
 */
function matchBranches(before: Branch[], after: Branch[]): Array<[Branch | undefined, Branch | undefined]> {
  const pairs: Array<[Branch, Branch]> = [];
  const free = new Set(after);
  const unmatched = new Set(before);
  const levels = before[0]?.keys.length ?? 0;
  for (let level = 0; level < levels; level++) {
    for (const branch of unmatched) {
      const own = branch.keys[level]!;
      if (!own.length) continue;
      const candidates = [...free].filter((other) => other.keys[level]!.some((key) => own.includes(key)));
      const rivals = [...unmatched].filter((other) => other.keys[level]!.some((key) => candidates.some((c) => c.keys[level]!.includes(key))));
      if (candidates.length === 1 && rivals.length === 1) {
        pairs.push([branch, candidates[0]!]);
        free.delete(candidates[0]!);
        unmatched.delete(branch);
      }
    }
  }
  for (const branch of unmatched) {
    const best = [...free].map((other) => [other, likeness(branch, other)] as const).sort((a, b) => b[1] - a[1])[0];
    if (best && (best[1] > 0 || (unmatched.size === 1 && free.size === 1))) {
      pairs.push([branch, best[0]]);
      free.delete(best[0]);
      unmatched.delete(branch);
    }
  }
  return [...pairs, ...[...unmatched].map((b) => [b, undefined] as [Branch, undefined]), ...[...free].map((b) => [undefined, b] as [undefined, Branch])];
}

function diffMappedValues(before: Branch, after: Branch, ctx: SchemaContext): void {
  const { added, removed } = valuesAddedAndRemoved(before.mapped, after.mapped);
  if (!added.length && !removed.length) return;
  const relation: Relation = added.length && removed.length ? 'changed' : removed.length ? 'narrowed' : 'widened';
  emitRelation(ctx, 'discriminator-mapping', relation, `discriminator values ${before.mapped.join(', ') || 'none'} → ${after.mapped.join(', ') || 'none'}`);
}

/**
 * `oneOf`/`anyOf` compared branch by branch. A branch removed from a request or added to a
 * response breaks callers. A side without alternatives counts as one branch, so wrapping a schema
 * in `oneOf` with a new alternative is seen as that alternative added.
 */
export function diffVariants(base: EffectiveSchema, head: EffectiveSchema, ctx: SchemaContext): void {
  const baseBranches = base.oneOf ?? base.anyOf;
  const headBranches = head.oneOf ?? head.anyOf;
  if (!baseBranches && !headBranches) return;
  if (base.discriminator && head.discriminator && base.discriminator.propertyName !== head.discriminator.propertyName) {
    emitRelation(ctx, 'discriminator', 'changed', `the discriminator property changed from ${base.discriminator.propertyName} to ${head.discriminator.propertyName}`);
  }
  const alone = (node: EffectiveSchema): Schema[] => [asSchema(node)];
  const before = (baseBranches ?? alone(base)).map((s) => branchOf(s, base.discriminator));
  const after = (headBranches ?? alone(head)).map((s) => branchOf(s, head.discriminator));
  for (const [old, next] of matchBranches(before, after)) {
    if (old && next) {
      const at = nested(ctx, `(${label(next)})`);
      // A discriminator added or removed only annotates the branches; their values are compared where both have one.
      if (base.discriminator && head.discriminator) diffMappedValues(old, next, at);
      ctx.recurse(old.schema, next.schema, at);
    } else if (old) {
      emit(ctx, severityOf(ctx.direction, 'narrowed'), `${ctx.direction}-variant-removed`, `the ${label(old)} alternative was removed`);
    } else if (next) {
      emit(ctx, severityOf(ctx.direction, 'widened'), `${ctx.direction}-variant-added`, `new ${label(next)} alternative`);
    }
  }
}

import { escapePointer, SpecValidator } from '../../../src/spec-validator.ts';
import type { SchemaNode } from '../schema-node.ts';

/**
 * A field an answer carried that the spec does not document: the API added it, or the spec missed it.
 * Never a reason for a client to fail (the spec's response objects are open, DECISIONS D6); always
 * worth the maintainer's attention.
 */
export interface UndocumentedField {
  /** Where, with array indices folded: `response.body.items[].server_session.mcp.transport`. */
  location: string;
  /** The field's name, such as `transport`. */
  field: string;
  /** The title of the schema that documents the object holding it, such as `McpConnection`. */
  schema: string | undefined;
  /** How many times the answer carried it (once per list item, say). */
  count: number;
}

/**
 * Which of the named shapes of a union (`oneOf`/`anyOf` whose branches have titles) a value took,
 * such as a provider run in the reference page's shape or in the newer one (DECISIONS S7).
 */
export interface ShapeSeen {
  /** Where, with array indices folded: `response.body.items[]`. */
  location: string;
  /** The title of the union, such as `ProviderRun`. */
  union: string | undefined;
  /** The titles of the branches the value is valid against: one, or several when it fits more. */
  shapes: string[];
  count: number;
}

export interface DriftFindings {
  undocumented: UndocumentedField[];
  shapes: ShapeSeen[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Compares JSON values with the schemas of a bundled OpenAPI 3.1 document and reports what validation
 * cannot: the fields the schemas do not list and, at each union with named branches, which branch the
 * value took. Valid or not, a value is walked as far as its schema goes; validation is another job.
 *
 * An object schema with `properties` and no `additionalProperties` lists the fields the API documents:
 * any other field is undocumented. `additionalProperties: true` (or a schema) marks a map whose keys
 * are free (`metadata`, `data`, `capabilities`): its keys are never undocumented. An object schema
 * without `properties` says nothing about its fields, so none of them is reported.
 */
export class DriftDetector {
  private readonly validator: SpecValidator;

  constructor(readonly document: { paths?: Record<string, unknown> } & Record<string, unknown>, validator?: SpecValidator) {
    this.validator = validator ?? new SpecValidator(document);
  }

  /**
   * The drift of one answer's JSON body against the response the operation documents for its status;
   * nothing when the status or its JSON body is undocumented (that is a violation, reported elsewhere).
   */
  responseDrift(method: string, pathTemplate: string, status: number | string, body: unknown): DriftFindings {
    const pointer = this.validator.responseSchemaPointer(method, pathTemplate, status);
    if (pointer === undefined || this.schemaAt(pointer) === undefined) return { undocumented: [], shapes: [] };
    return this.drift(pointer, body, 'response.body');
  }

  /**
   * The drift of a value against the schema at a JSON pointer (`/components/schemas/ServerRun`). An
   * `allOf` is read as one object with the properties of all its members.
   */
  drift(pointer: string, value: unknown, location = '(root)'): DriftFindings {
    const undocumented = new Map<string, UndocumentedField>();
    const shapes = new Map<string, ShapeSeen>();
    // `alsoDocumented`: fields that another valid branch of the union being walked documents.
    const walk = (at: string, node: unknown, where: string, depth: number, alsoDocumented = new Set<string>()): void => {
      const schema = this.schemaAt(at);
      if (!schema || depth > 64) return;
      if (schema.$ref?.startsWith('#/')) return walk(schema.$ref.slice(1), node, where, depth + 1, alsoDocumented);
      const union = schema.oneOf ? 'oneOf' : schema.anyOf ? 'anyOf' : undefined;
      if (union) {
        const branches = (schema[union] ?? []).map((_, i) => `${at}/${union}/${i}`);
        const valid = branches.filter((branch) => this.validator.validatorAt(branch)(node));
        const titles = valid.map((branch) => this.titleOf(branch)).filter((t): t is string => t !== undefined);
        // Named shapes: two or more titled branches (`[X, {type: 'null'}]` is a nullable X, not a choice of shapes).
        if (isObject(node) && titles.length > 0 && branches.filter((b) => this.titleOf(b)).length > 1) {
          const key = `${where} ${titles.join('|')}`;
          const seen = shapes.get(key) ?? { location: where, union: this.titleOf(at), shapes: titles, count: 0 };
          seen.count += 1;
          shapes.set(key, seen);
        }
        // A value that fits no branch is invalid; its fields are still compared with the branch it comes
        // closest to (fewest errors). One that fits several is walked along the first, with the fields
        // the others document.
        const documented = new Set(valid.slice(1).flatMap((branch) => [...this.propertiesOf(branch).keys()]));
        walk(valid[0] ?? this.closestBranch(branches, node), node, where, depth + 1, documented);
      }
      if (Array.isArray(node) && schema.items) {
        for (const item of node) walk(`${at}/items`, item, `${where}[]`, depth + 1);
      }
      if (!isObject(node)) return;
      const properties = this.propertiesOf(at);
      for (const [field, fieldValue] of Object.entries(node)) {
        const documentedAt = properties.get(field);
        if (documentedAt) walk(documentedAt, fieldValue, `${where}.${field}`, depth + 1);
        else if (isObject(schema.additionalProperties)) walk(`${at}/additionalProperties`, fieldValue, `${where}.${field}`, depth + 1);
        else if (schema.additionalProperties === undefined && properties.size > 0 && !union && !alsoDocumented.has(field)) {
          const location = `${where}.${field}`;
          const found = undocumented.get(location) ?? { location, field, schema: this.titleOf(at), count: 0 };
          found.count += 1;
          undocumented.set(location, found);
        }
      }
    };
    walk(pointer, value, location, 0);
    const byLocation = (a: UndocumentedField, b: UndocumentedField) => (a.location < b.location ? -1 : a.location > b.location ? 1 : 0);
    return { undocumented: [...undocumented.values()].sort(byLocation), shapes: [...shapes.values()] };
  }

  private closestBranch(branches: string[], value: unknown): string {
    const errorsOf = (branch: string) => {
      const validate = this.validator.validatorAt(branch);
      validate(value);
      return validate.errors?.length ?? 0;
    };
    return branches.reduce((best, branch) => (errorsOf(branch) < errorsOf(best) ? branch : best));
  }

  /** The properties a schema lists, its own and its `allOf` members', by name, as JSON pointers. */
  private propertiesOf(at: string): Map<string, string> {
    const found = new Map<string, string>();
    const schema = this.schemaAt(at);
    if (!schema) return found;
    if (schema.$ref?.startsWith('#/')) return this.propertiesOf(schema.$ref.slice(1));
    for (const name of Object.keys(schema.properties ?? {})) found.set(name, `${at}/properties/${escapePointer(name)}`);
    for (const [i] of (schema.allOf ?? []).entries()) {
      for (const [name, pointer] of this.propertiesOf(`${at}/allOf/${i}`)) if (!found.has(name)) found.set(name, pointer);
    }
    return found;
  }

  private titleOf(at: string): string | undefined {
    const schema = this.schemaAt(at);
    if (!schema) return undefined;
    return schema.title ?? (schema.$ref?.startsWith('#/') ? this.titleOf(schema.$ref.slice(1)) : undefined);
  }

  private schemaAt(pointer: string): SchemaNode | undefined {
    let node: unknown = this.document;
    for (const segment of pointer.split('/').slice(1)) {
      if (!isObject(node) && !Array.isArray(node)) return undefined;
      node = (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return isObject(node) ? (node as SchemaNode) : undefined;
  }
}

/** One line per undocumented field and per shape seen, for a report under an operation's row. */
export function formatDrift(findings: DriftFindings): string[] {
  return [
    ...findings.undocumented.map(
      (f) => `undocumented field ${f.field} at ${f.location}${f.schema ? ` (not in ${f.schema})` : ''}${f.count > 1 ? `, ${f.count} times` : ''}`,
    ),
    ...findings.shapes.map(
      (s) => `shape at ${s.location}: ${s.shapes.join(' and ')}${s.union ? ` (of ${s.union})` : ''}${s.count > 1 ? `, ${s.count} times` : ''}`,
    ),
  ];
}

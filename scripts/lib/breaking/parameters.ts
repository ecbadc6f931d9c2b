import { type Severity, withinComponent } from './change.ts';
import { diffContent } from './content.ts';
import { effectiveSchema } from './effective.ts';
import { explodeObjectParameters } from './exploded-objects.ts';
import { type OperationScope, type Parameter, reportAt } from './openapi.ts';
import { diffSchema } from './schema-diff.ts';

/* Parameters (OpenAPI 3.1 §4.8.12): matched by location and name, compared for presence, requiredness, serialization and schema. */

/**
 * Path parameters by their position in the path template (a rename is not a change for callers),
 * header names case-insensitively (RFC 9110 §5.1), others by location and name.
 */
function identify(parameters: Parameter[], path: string): Map<string, Parameter> {
  const template = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  const out = new Map<string, Parameter>();
  for (const parameter of parameters) {
    const id =
      parameter.in === 'path' ? `path #${template.indexOf(parameter.name)}` : parameter.in === 'header' ? `header ${parameter.name.toLowerCase()}` : `${parameter.in} ${parameter.name}`;
    out.set(id, parameter);
  }
  return out;
}

/** The default style is form for query and cookie, simple for path and header (OpenAPI 3.1 §4.8.12.4). */
const styleOf = (p: Parameter) => p.style ?? (p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple');
const explodeOf = (p: Parameter) => p.explode ?? styleOf(p) === 'form';
/** Style and explode only change how arrays and objects are written; a primitive is written alike. */
const isPrimitive = (p: Parameter) => {
  const types = effectiveSchema(p.schema).types;
  return Boolean(types?.length) && types!.every((t) => t !== 'array' && t !== 'object');
};
const delimitedStyles = ['form', 'spaceDelimited', 'pipeDelimited'];

/**
 * A scalar query parameter that becomes an array sent as `name=a&name=b` (form, exploded) still
 * accepts what a caller sent before: `name=a` is an array of one.
 */
function becameExplodedArray(base: Parameter, head: Parameter): boolean {
  if (base.in !== 'query' || !isPrimitive(base) || styleOf(head) !== 'form' || !explodeOf(head)) return false;
  const after = effectiveSchema(head.schema);
  return after.types?.length === 1 && after.types[0] === 'array';
}

class ParameterComparison {
  constructor(
    private readonly scope: OperationScope,
    /** The base and head path templates, which place path parameters. */
    private readonly paths: [string, string],
  ) {}

  private readonly clientSends = () => this.scope.requestDirection === 'request';

  private report(severity: Severity, rule: string, location: string, message: string): void {
    reportAt(this.scope, severity, rule, location, message);
  }

  /** Requiredness: a caller must now send it (breaking), or for a webhook the API may now leave it out (breaking). */
  private required(base: Parameter, head: Parameter, location: string): void {
    if (Boolean(base.required) === Boolean(head.required)) return;
    const breaking = this.clientSends() === Boolean(head.required);
    this.report(breaking ? 'breaking' : 'non-breaking', head.required ? 'parameter-made-required' : 'parameter-made-optional', location, `the ${location} is now ${head.required ? 'required' : 'optional'}`);
  }

  /**
   * How the value is written on the wire: style, explode, allowReserved, or schema versus content.
   * @returns whether both versions describe the value the same way, so their schemas can be compared.
   */
  private serialization(base: Parameter, head: Parameter, location: string): boolean {
    if (Boolean(base.content) !== Boolean(head.content)) {
      this.report('breaking', 'parameter-serialization-changed', location, `the ${location} is now described by ${head.content ? 'content (a media type)' : 'a schema and style'} instead`);
      return false;
    }
    if (base.content) return true;
    const primitive = isPrimitive(base) && isPrimitive(head);
    const [styleBefore, styleAfter] = [styleOf(base), styleOf(head)];
    if (styleBefore !== styleAfter && !(primitive && delimitedStyles.includes(styleBefore) && delimitedStyles.includes(styleAfter))) {
      this.report('breaking', 'parameter-style-changed', location, `style ${styleBefore} → ${styleAfter}: the value is written differently`);
    }
    if (explodeOf(base) !== explodeOf(head) && !primitive && !becameExplodedArray(base, head)) {
      this.report('breaking', 'parameter-explode-changed', location, `explode ${explodeOf(base)} → ${explodeOf(head)}: arrays and objects are written differently`);
    }
    if (Boolean(base.allowReserved) !== Boolean(head.allowReserved)) {
      const breaking = this.clientSends() === Boolean(base.allowReserved);
      this.report(breaking ? 'breaking' : 'non-breaking', head.allowReserved ? 'parameter-allow-reserved-added' : 'parameter-allow-reserved-removed', location,
        head.allowReserved ? 'reserved characters may now be sent unencoded' : 'reserved characters must now be percent-encoded');
    }
    return true;
  }

  private schema(base: Parameter, head: Parameter, location: string): void {
    const where = { direction: this.scope.requestDirection, operation: this.scope.operation, location, report: this.scope.report, parameter: true };
    if (base.content && head.content) return diffContent(this.scope, location, this.scope.requestDirection, base.content, head.content);
    if (this.clientSends() && becameExplodedArray(base, head)) {
      this.report('non-breaking', 'parameter-became-array', location, `the ${location} now takes several values (${head.name}=a&${head.name}=b); one value is still accepted`);
      const items = effectiveSchema(head.schema).items;
      return diffSchema(base.schema, typeof items === 'object' ? items : {}, where);
    }
    diffSchema(base.schema, head.schema, where);
  }

  private compare(base: Parameter, head: Parameter, location: string): void {
    this.required(base, head, location);
    if (this.serialization(base, head, location)) this.schema(base, head, location);
  }

  run(base: Parameter[], head: Parameter[]): void {
    const before = identify(explodeObjectParameters(base, head), this.paths[0]);
    const after = identify(explodeObjectParameters(head, base), this.paths[1]);
    for (const [id, parameter] of before) {
      const location = `${parameter.in} parameter ${parameter.name}`;
      const next = after.get(id);
      if (!next) {
        this.report('breaking', 'parameter-removed', location, `the ${location} was removed`);
        continue;
      }
      // A change inside a shared parameter (components/parameters) is reported as that component's.
      new ParameterComparison({ ...this.scope, report: withinComponent(this.scope.report, parameter, next, location) }, this.paths).compare(parameter, next, location);
    }
    for (const [id, parameter] of after) {
      if (before.has(id)) continue;
      const location = `${parameter.in} parameter ${parameter.name}`;
      if (parameter.required && this.clientSends()) this.report('breaking', 'parameter-added-required', location, `new required ${location}`);
      else this.report('non-breaking', 'parameter-added', location, `new ${parameter.required ? 'required' : 'optional'} ${location}`);
    }
  }
}

/** Header parameters OpenAPI ignores: these headers are described elsewhere (OpenAPI 3.1 §4.8.12.1). */
const ignoredHeaders = new Set(['accept', 'content-type', 'authorization']);
const isIgnored = (p: Parameter) => p.in === 'header' && ignoredHeaders.has(p.name.toLowerCase());

/** Operation-level parameters override path-level ones with the same location and name (OpenAPI 3.1 §4.8.10.1). */
export function effectiveParameters(pathLevel: Parameter[] = [], operationLevel: Parameter[] = []): Parameter[] {
  const key = (p: Parameter) => `${p.in} ${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
  const overridden = new Set(operationLevel.map(key));
  return [...pathLevel.filter((p) => !overridden.has(key(p))), ...operationLevel].filter((p) => !isIgnored(p));
}

/** Every parameter change of one operation; `paths` are its base and head path templates. */
export function diffParameters(scope: OperationScope, paths: [string, string], base: Parameter[], head: Parameter[]): void {
  new ParameterComparison(scope, paths).run(base, head);
}

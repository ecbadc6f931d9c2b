/*
 * Edits of our own spec whose verdict is known from the direction data flows, for the property
 * test: response widenings and request narrowings break callers; the harmless edits do not.
 * Each edit is found in the bundled spec (a site), so every generated edit is valid there.
 */

export interface Edit {
  name: string;
  /** The rule the edit must be reported under, for breaking edits. */
  rule?: string;
  apply(spec: any): void;
}

const refsIn = (node: unknown, out = new Set<string>()): Set<string> => {
  if (Array.isArray(node)) for (const item of node) refsIn(item, out);
  else if (node && typeof node === 'object') {
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') out.add(ref);
    for (const value of Object.values(node)) refsIn(value, out);
  }
  return out;
};

const lookup = (spec: any, ref: string) => ref.slice(2).split('/').reduce((node: any, key) => node?.[key], spec);

function reachable(spec: any, roots: unknown[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...refsIn(roots)];
  while (todo.length) {
    const ref = todo.pop()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    todo.push(...refsIn(lookup(spec, ref)));
  }
  return seen;
}

const operationsOf = (spec: any) =>
  Object.values(spec.paths).flatMap((item: any) => ['get', 'post', 'put', 'patch', 'delete'].filter((m) => item[m]).map((m) => item[m]));


/** `schema` with its properties moved into `allOf` members, one per group of property names (each with its share of `required`). */
export function splitIntoAllOf(schema: any, groups: string[][]): any {
  const { properties, required = [], ...rest } = schema;
  const member = (names: string[]) => ({ properties: Object.fromEntries(names.map((n) => [n, properties[n]])), required: required.filter((r: string) => names.includes(r)) });
  return { ...rest, allOf: groups.map(member) };
}

/** Component schemas only requests use, and those only responses use. */
export function schemasBySide(spec: any): { requestOnly: string[]; responseOnly: string[] } {
  const operations = operationsOf(spec);
  const request = reachable(spec, operations.flatMap((o: any) => [o.requestBody, o.parameters]));
  const response = reachable(spec, operations.map((o: any) => o.responses));
  const names = (refs: string[]) => refs.filter((r) => r.startsWith('#/components/schemas/')).map((r) => r.split('/').at(-1)!);
  return { requestOnly: names([...request].filter((r) => !response.has(r))), responseOnly: names([...response].filter((r) => !request.has(r))) };
}

/** Inline property schemas (not $refs) of a component schema, by name. */
function inlineProperties(spec: any, schema: string): Array<[string, any]> {
  return Object.entries(spec.components.schemas[schema]?.properties ?? {}).filter(([, p]: [string, any]) => !p.$ref) as Array<[string, any]>;
}

const typeList = (p: any): string[] => [p.type ?? []].flat();
const property = (spec: any, schema: string, name: string) => spec.components.schemas[schema].properties[name];

/** Response widenings: more values, fewer guarantees. */
export function responseWidenings(spec: any): Edit[] {
  const edits: Edit[] = [];
  for (const schema of schemasBySide(spec).responseOnly) {
    const required: string[] = spec.components.schemas[schema].required ?? [];
    for (const [name, p] of inlineProperties(spec, schema)) {
      const at = `${schema}.${name}`;
      edits.push({ name: `remove response field ${at}`, rule: 'response-field-removed', apply: (s) => {
        delete s.components.schemas[schema].properties[name];
        const list = s.components.schemas[schema].required;
        if (list) s.components.schemas[schema].required = list.filter((r: string) => r !== name);
      } });
      if (required.includes(name)) {
        edits.push({ name: `make response field ${at} optional`, rule: 'response-field-made-optional', apply: (s) => (s.components.schemas[schema].required = s.components.schemas[schema].required.filter((r: string) => r !== name)) });
      }
      if (Array.isArray(p.enum)) edits.push({ name: `add a value to the response enum ${at}`, rule: 'response-enum-widened', apply: (s) => property(s, schema, name).enum.push('zz_new_value') });
      const types = typeList(p);
      if (types.length === 1 && types[0] !== 'null') {
        edits.push({ name: `make response field ${at} nullable`, rule: 'response-field-made-nullable', apply: (s) => (property(s, schema, name).type = [types[0], 'null']) });
        const other = types[0] === 'boolean' ? 'string' : 'boolean';
        edits.push({ name: `widen the type of response field ${at}`, rule: 'response-type-widened', apply: (s) => (property(s, schema, name).type = [types[0], other]) });
      }
      if (typeof p.minimum === 'number') edits.push({ name: `lower the minimum of ${at}`, rule: 'response-lower-bound-widened', apply: (s) => (property(s, schema, name).minimum = p.minimum - 1) });
      if (typeof p.maxLength === 'number') edits.push({ name: `raise the maxLength of ${at}`, rule: 'response-max-length-widened', apply: (s) => (property(s, schema, name).maxLength = p.maxLength + 1) });
    }
  }
  return edits;
}

/** Request narrowings: fewer values accepted, more demanded. */
export function requestNarrowings(spec: any): Edit[] {
  const edits: Edit[] = [];
  for (const schema of schemasBySide(spec).requestOnly) {
    const required: string[] = spec.components.schemas[schema].required ?? [];
    for (const [name, p] of inlineProperties(spec, schema)) {
      const at = `${schema}.${name}`;
      if (!required.includes(name)) {
        edits.push({ name: `make request field ${at} required`, rule: 'request-field-made-required', apply: (s) => (s.components.schemas[schema].required = [...(s.components.schemas[schema].required ?? []), name]) });
      }
      if (Array.isArray(p.enum) && p.enum.length > 1) edits.push({ name: `remove a value from the request enum ${at}`, rule: 'request-enum-narrowed', apply: (s) => property(s, schema, name).enum.pop() });
      const types = typeList(p);
      if (types.includes('null') && types.length > 1) {
        edits.push({ name: `make request field ${at} non-nullable`, rule: 'request-field-made-non-nullable', apply: (s) => (property(s, schema, name).type = types.filter((t) => t !== 'null')) });
      }
      if (types.includes('string') && !p.enum && !p.pattern) {
        edits.push({ name: `add a pattern to request field ${at}`, rule: 'request-pattern-narrowed', apply: (s) => (property(s, schema, name).pattern = '^[a-z]+$') });
      }
      if (types.includes('string') && !p.enum) {
        edits.push({ name: `lower the maxLength of request field ${at}`, rule: 'request-max-length-narrowed', apply: (s) => (property(s, schema, name).maxLength = Math.max(1, (p.maxLength ?? 1000) - 1)) });
      }
      if (types.includes('object') && (p.additionalProperties === true || p.additionalProperties === undefined)) {
        edits.push({ name: `close the request object ${at}`, rule: 'request-additional-properties-narrowed', apply: (s) => (property(s, schema, name).additionalProperties = false) });
      }
    }
  }
  for (const [component, parameter] of Object.entries(spec.components.parameters ?? {}) as Array<[string, any]>) {
    if (parameter.in === 'path') continue;
    if (!parameter.required) edits.push({ name: `make parameter ${component} required`, rule: 'parameter-made-required', apply: (s) => (s.components.parameters[component].required = true) });
    const schema = parameter.schema ?? {};
    if (Array.isArray(schema.enum) && schema.enum.length > 1) edits.push({ name: `narrow the enum of parameter ${component}`, rule: 'request-enum-narrowed', apply: (s) => s.components.parameters[component].schema.enum.pop() });
    if (typeof schema.maximum === 'number') edits.push({ name: `lower the maximum of parameter ${component}`, rule: 'request-upper-bound-narrowed', apply: (s) => (s.components.parameters[component].schema.maximum = schema.maximum - 1) });
    if (schema.default !== undefined && Array.isArray(schema.enum) && schema.enum.length > 1) {
      edits.push({ name: `change the default of parameter ${component}`, rule: 'request-default-changed', apply: (s) => (s.components.parameters[component].schema.default = schema.enum.find((v: unknown) => v !== schema.default)) });
    }
    if (typeof schema.default === 'number') edits.push({ name: `change the default of parameter ${component}`, rule: 'request-default-changed', apply: (s) => (s.components.parameters[component].schema.default = schema.default + 1) });
    if (parameter.style === 'deepObject') edits.push({ name: `write parameter ${component} in form style`, rule: 'parameter-style-changed', apply: (s) => (s.components.parameters[component].style = 'form') });
    if (parameter.explode === true && schema.$ref) edits.push({ name: `stop exploding parameter ${component}`, rule: 'parameter-explode-changed', apply: (s) => (s.components.parameters[component].explode = false) });
  }
  return edits;
}

/** Edits that change no caller's outcome: words, additions, and other spellings of the same schema. */
export function harmlessEdits(spec: any): Edit[] {
  const edits: Edit[] = [];
  const { requestOnly, responseOnly } = schemasBySide(spec);
  for (const name of Object.keys(spec.components.schemas)) {
    edits.push({ name: `reword the description of ${name}`, apply: (s) => (s.components.schemas[name].description = 'Reworded.') });
    const schema = spec.components.schemas[name];
    const names = Object.keys(schema.properties ?? {});
    if (names.length >= 2 && !schema.allOf) {
      edits.push({ name: `refactor ${name} into allOf with the same shape`, apply: (s) => {
        const current = s.components.schemas[name];
        if (!current.properties || current.allOf) return;
        const keys = Object.keys(current.properties);
        const half = Math.ceil(keys.length / 2);
        s.components.schemas[name] = splitIntoAllOf(current, [keys.slice(0, half), keys.slice(half)]);
      } });
    }
    if (Array.isArray(schema.oneOf) && schema.oneOf.length > 1) edits.push({ name: `reorder the oneOf branches of ${name}`, apply: (s) => s.components.schemas[name].oneOf?.reverse() });
  }
  for (const name of [...requestOnly, ...responseOnly]) {
    if (spec.components.schemas[name].type === 'object') {
      edits.push({ name: `add an optional field to ${name}`, apply: (s) => {
        const target = s.components.schemas[name];
        (target.properties ??= {}).zz_optional_extra = { type: 'string' };
      } });
    }
    for (const [field, p] of inlineProperties(spec, name)) {
      const types = typeList(p);
      if (types.length === 2 && types.includes('null') && !p.enum) {
        const other = types.find((t) => t !== 'null');
        edits.push({ name: `spell the nullability of ${name}.${field} as anyOf`, apply: (s) => {
          const current = s.components.schemas[name].properties?.[field];
          if (!current || [current.type ?? []].flat().length !== 2) return;
          const { description, type: _, ...rest } = current;
          s.components.schemas[name].properties[field] = { ...(description ? { description } : {}), anyOf: [{ ...rest, type: other }, { type: 'null' }] };
        } });
      }
      if (Array.isArray(p.enum) && requestOnly.includes(name)) edits.push({ name: `accept one more value in ${name}.${field}`, apply: (s) => s.components.schemas[name].properties?.[field]?.enum?.push('zz_accepted') });
      if (Array.isArray(p.enum) && p.enum.length > 1 && responseOnly.includes(name)) edits.push({ name: `return one value fewer in ${name}.${field}`, apply: (s) => s.components.schemas[name].properties?.[field]?.enum?.splice(0, 1) });
    }
  }
  for (const [component, parameter] of Object.entries(spec.components.parameters ?? {}) as Array<[string, any]>) {
    edits.push({ name: `reword parameter ${component}`, apply: (s) => (s.components.parameters[component].description = 'Reworded.') });
    if (parameter.in === 'query' && parameter.schema?.type === 'string' && !parameter.schema.enum) {
      edits.push({ name: `let parameter ${component} repeat (form, exploded)`, apply: (s) => {
        const p = s.components.parameters[component];
        if (p.schema?.type === 'string') p.schema = { type: 'array', items: p.schema };
      } });
    }
  }
  edits.push({ name: 'add an operation', apply: (s) => (s.paths['/zz-new'] = { get: { operationId: 'zzNew', responses: { '200': { description: 'ok' } } } }) });
  edits.push({ name: 'add an optional query parameter to every list', apply: (s) => {
    for (const operation of operationsOf(s)) if (operation.parameters) operation.parameters = [...operation.parameters, { name: 'zz_filter', in: 'query', schema: { type: 'string' } }];
  } });
  return edits;
}

import { B, both, inRequest, inResponse, N, type Pair } from './fixtures.ts';

/* One pair per schema keyword rule, in a request body and in a response body. */

const num = (extra: object) => ({ type: 'number', ...extra });
const str = (extra: object) => ({ type: 'string', ...extra });
const arr = (extra: object) => ({ type: 'array', ...extra });
const obj = (extra: object) => ({ type: 'object', ...extra });

export const keywordPairs: Pair[] = [
  // type
  ...both('a type narrowed to one of its types', { type: ['string', 'integer'] }, { type: 'string' }, [B('request-type-narrowed')], [N('response-type-narrowed')]),
  ...both('a type widened to a union', { type: 'string' }, { type: ['string', 'integer'] }, [N('request-type-widened')], [B('response-type-widened')]),
  ...both('integer widened to number', { type: 'integer' }, { type: 'number' }, [N('request-type-widened')], [B('response-type-widened')]),
  ...both('a type changed', { type: 'string' }, { type: 'boolean' }, [B('request-type-changed')], [B('response-type-changed')]),

  // numeric bounds
  ...both('minimum raised', num({ minimum: 0 }), num({ minimum: 1 }), [B('request-lower-bound-narrowed')], [N('response-lower-bound-narrowed')]),
  ...both('minimum lowered', num({ minimum: 1 }), num({ minimum: 0 }), [N('request-lower-bound-widened')], [B('response-lower-bound-widened')]),
  ...both('minimum made exclusive', num({ minimum: 0 }), num({ exclusiveMinimum: 0 }), [B('request-lower-bound-narrowed')], [N('response-lower-bound-narrowed')]),
  ...both('exclusiveMinimum lowered', num({ exclusiveMinimum: 5 }), num({ exclusiveMinimum: 2 }), [N('request-lower-bound-widened')], [B('response-lower-bound-widened')]),
  ...both('maximum lowered', num({ maximum: 100 }), num({ maximum: 50 }), [B('request-upper-bound-narrowed')], [N('response-upper-bound-narrowed')]),
  ...both('maximum removed', num({ maximum: 100 }), num({}), [N('request-upper-bound-widened')], [B('response-upper-bound-widened')]),
  ...both('exclusiveMaximum added under the maximum', num({ maximum: 10 }), num({ maximum: 10, exclusiveMaximum: 10 }), [B('request-upper-bound-narrowed')], [N('response-upper-bound-narrowed')]),
  ...both('an integer minimum written as exclusiveMinimum (same values)', { type: 'integer', minimum: 1 }, { type: 'integer', exclusiveMinimum: 0 }, [], []),
  ...both('multipleOf made stricter', num({ multipleOf: 2 }), num({ multipleOf: 4 }), [B('request-multiple-of-narrowed')], [N('response-multiple-of-narrowed')]),
  ...both('multipleOf loosened', num({ multipleOf: 4 }), num({ multipleOf: 2 }), [N('request-multiple-of-widened')], [B('response-multiple-of-widened')]),
  ...both('multipleOf changed', num({ multipleOf: 2 }), num({ multipleOf: 3 }), [B('request-multiple-of-changed')], [B('response-multiple-of-changed')]),

  // lengths and counts
  ...both('minLength raised', str({ minLength: 1 }), str({ minLength: 3 }), [B('request-min-length-narrowed')], [N('response-min-length-narrowed')]),
  ...both('minLength lowered', str({ minLength: 3 }), str({ minLength: 1 }), [N('request-min-length-widened')], [B('response-min-length-widened')]),
  ...both('maxLength lowered', str({ maxLength: 10 }), str({ maxLength: 5 }), [B('request-max-length-narrowed')], [N('response-max-length-narrowed')]),
  ...both('maxLength removed', str({ maxLength: 10 }), str({}), [N('request-max-length-widened')], [B('response-max-length-widened')]),
  ...both('minItems raised', arr({ minItems: 0 }), arr({ minItems: 1 }), [B('request-min-items-narrowed')], [N('response-min-items-narrowed')]),
  ...both('minItems removed', arr({ minItems: 2 }), arr({}), [N('request-min-items-widened')], [B('response-min-items-widened')]),
  ...both('maxItems lowered', arr({ maxItems: 10 }), arr({ maxItems: 5 }), [B('request-max-items-narrowed')], [N('response-max-items-narrowed')]),
  ...both('maxItems raised', arr({ maxItems: 5 }), arr({ maxItems: 10 }), [N('request-max-items-widened')], [B('response-max-items-widened')]),
  ...both('minProperties raised', obj({ minProperties: 1 }), obj({ minProperties: 2 }), [B('request-min-properties-narrowed')], [N('response-min-properties-narrowed')]),
  ...both('minProperties lowered', obj({ minProperties: 2 }), obj({ minProperties: 1 }), [N('request-min-properties-widened')], [B('response-min-properties-widened')]),
  ...both('maxProperties lowered', obj({ maxProperties: 5 }), obj({ maxProperties: 2 }), [B('request-max-properties-narrowed')], [N('response-max-properties-narrowed')]),
  ...both('maxProperties raised', obj({ maxProperties: 2 }), obj({ maxProperties: 5 }), [N('request-max-properties-widened')], [B('response-max-properties-widened')]),
  ...both('minContains raised', arr({ contains: { type: 'string' }, minContains: 1 }), arr({ contains: { type: 'string' }, minContains: 2 }), [B('request-min-contains-narrowed')], [N('response-min-contains-narrowed')]),
  ...both('minContains lowered', arr({ contains: { type: 'string' }, minContains: 2 }), arr({ contains: { type: 'string' }, minContains: 1 }), [N('request-min-contains-widened')], [B('response-min-contains-widened')]),
  ...both('maxContains lowered', arr({ contains: { type: 'string' }, maxContains: 3 }), arr({ contains: { type: 'string' }, maxContains: 2 }), [B('request-max-contains-narrowed')], [N('response-max-contains-narrowed')]),
  ...both('maxContains raised', arr({ contains: { type: 'string' }, maxContains: 2 }), arr({ contains: { type: 'string' }, maxContains: 3 }), [N('request-max-contains-widened')], [B('response-max-contains-widened')]),
  ...both('uniqueItems added', arr({}), arr({ uniqueItems: true }), [B('request-unique-items-narrowed')], [N('response-unique-items-narrowed')]),
  ...both('uniqueItems removed', arr({ uniqueItems: true }), arr({ uniqueItems: false }), [N('request-unique-items-widened')], [B('response-unique-items-widened')]),

  // pattern and format
  ...both('a pattern added', str({}), str({ pattern: '^[a-z]+$' }), [B('request-pattern-narrowed')], [N('response-pattern-narrowed')]),
  ...both('a pattern removed', str({ pattern: '^[a-z]+$' }), str({}), [N('request-pattern-widened')], [B('response-pattern-widened')]),
  ...both('a pattern changed', str({ pattern: '^[a-z]+$' }), str({ pattern: '^[0-9]+$' }), [B('request-pattern-changed')], [B('response-pattern-changed')]),
  ...both('a format added', str({}), str({ format: 'date-time' }), [B('request-format-narrowed')], [N('response-format-narrowed')]),
  ...both('a format removed', str({ format: 'uuid' }), str({}), [N('request-format-widened')], [B('response-format-widened')]),
  ...both('an integer format narrower than the range', { type: 'integer', minimum: 1 }, { type: 'integer', minimum: 1, format: 'int32' }, [B('request-format-narrowed')], [N('response-format-narrowed')]),
  ...both('an integer format that admits the whole range (1-100 as int32)', { type: 'integer', minimum: 1, maximum: 100 }, { type: 'integer', minimum: 1, maximum: 100, format: 'int32' }, [], []),
  ...both('int32 widened to int64', { type: 'integer', format: 'int32' }, { type: 'integer', format: 'int64' }, [N('request-format-widened')], [B('response-format-widened')]),
  ...both('a format changed', str({ format: 'date' }), str({ format: 'date-time' }), [B('request-format-changed')], [B('response-format-changed')]),

  // enum and const
  ...both('an enum value removed', str({ enum: ['a', 'b'] }), str({ enum: ['a'] }), [B('request-enum-narrowed')], [N('response-enum-narrowed')]),
  ...both('a value became an enum', str({}), str({ enum: ['a'] }), [B('request-enum-narrowed')], [N('response-enum-narrowed')]),
  ...both('an enum value added', str({ enum: ['a'] }), str({ enum: ['a', 'b'] }), [N('request-enum-widened')], [B('response-enum-widened')]),
  ...both('an enum value replaced', str({ enum: ['a', 'b'] }), str({ enum: ['a', 'c'] }), [B('request-enum-changed')], [B('response-enum-changed')]),
  ...both('an x-extensible-enum value removed', str({ 'x-extensible-enum': ['a', 'b'] }), str({ 'x-extensible-enum': ['a'] }), [B('request-extensible-enum-narrowed')], [N('response-extensible-enum-changed')]),
  ...both('an x-extensible-enum value added', str({ 'x-extensible-enum': ['a'] }), str({ 'x-extensible-enum': ['a', 'b'] }), [N('request-extensible-enum-widened')], [N('response-extensible-enum-changed')]),
  ...both('a const added', str({}), str({ const: 'thing' }), [B('request-const-narrowed')], [N('response-const-narrowed')]),
  ...both('a const removed', str({ const: 'thing' }), str({}), [N('request-const-widened')], [B('response-const-widened')]),
  ...both('a const changed', { const: 'thing' }, { const: 'item' }, [B('request-const-changed')], [B('response-const-changed')]),
  ...both('a const written as an enum of one', str({ const: 'thing' }), str({ enum: ['thing'] }), [], []),

  // default
  inRequest('a default changed', str({ enum: ['asc', 'desc'], default: 'asc' }), str({ enum: ['asc', 'desc'], default: 'desc' }), [B('request-default-changed')]),
  inRequest('a default added', num({}), num({ default: 20 }), [N('request-default-added')]),
  inRequest('a default removed', num({ default: 20 }), num({}), [N('request-default-removed')]),
  inResponse('a default changed', num({ default: 20 }), num({ default: 100 }), [N('response-default-changed')]),

  // content
  ...both('contentMediaType changed', str({ contentMediaType: 'image/png' }), str({ contentMediaType: 'image/jpeg' }), [B('request-content-media-type-changed')], [B('response-content-media-type-changed')]),
  ...both('contentEncoding added', str({}), str({ contentEncoding: 'base64' }), [B('request-content-encoding-changed')], [B('response-content-encoding-changed')]),

  // dependentRequired
  ...both('a dependentRequired added', obj({ properties: { a: {}, b: {} } }), obj({ properties: { a: {}, b: {} }, dependentRequired: { a: ['b'] } }), [B('request-dependent-required-narrowed')], [N('response-dependent-required-narrowed')]),
  ...both('a dependentRequired removed', obj({ dependentRequired: { a: ['b'] } }), obj({}), [N('request-dependent-required-widened')], [B('response-dependent-required-widened')]),
  ...both('a dependentRequired changed', obj({ dependentRequired: { a: ['b'] } }), obj({ dependentRequired: { a: ['c'] } }), [B('request-dependent-required-changed')], [B('response-dependent-required-changed')]),

  // additionalProperties and unevaluatedProperties
  ...both('a free map limited to string values', obj({ additionalProperties: true }), obj({ additionalProperties: { type: 'string' } }), [B('request-additional-properties-narrowed')], [N('response-additional-properties-narrowed')]),
  ...both('a string map opened to any value', obj({ additionalProperties: { type: 'string' } }), obj({ additionalProperties: true }), [N('request-additional-properties-widened')], [B('response-additional-properties-widened')]),
  ...both("a map's value type changed", obj({ additionalProperties: { type: 'string' } }), obj({ additionalProperties: { type: 'integer' } }), [B('request-type-changed')], [B('response-type-changed')]),
  inRequest('an open object closed', obj({ properties: { a: { type: 'string' } } }), obj({ properties: { a: { type: 'string' } }, additionalProperties: false }), [B('request-additional-properties-narrowed')]),
  inRequest('a closed object opened', obj({ additionalProperties: false }), obj({}), [N('request-additional-properties-widened')]),
  inResponse('a closed object opened', obj({ additionalProperties: false }), obj({ additionalProperties: true }), [N('response-additional-properties-opened')]),
  inResponse('an open object closed', obj({}), obj({ additionalProperties: false }), [N('response-additional-properties-narrowed')]),
  ...both('unevaluatedProperties closed', obj({}), obj({ unevaluatedProperties: false }), [B('request-unevaluated-properties-narrowed')], [N('response-unevaluated-properties-narrowed')]),
  ...both('unevaluatedProperties opened from a schema', obj({ unevaluatedProperties: { type: 'string' } }), obj({}), [N('request-unevaluated-properties-widened')], [B('response-unevaluated-properties-widened')]),
  inResponse('unevaluatedProperties: false opened', obj({ unevaluatedProperties: false }), obj({}), [N('response-unevaluated-properties-opened')]),
  ...both('additionalProperties: true written as {}', obj({ additionalProperties: true }), obj({ additionalProperties: {} }), [], []),

  // patternProperties, propertyNames, dependentSchemas
  ...both('a patternProperties entry added', obj({}), obj({ patternProperties: { '^x-': { type: 'string' } } }), [B('request-pattern-properties-narrowed')], [N('response-pattern-properties-narrowed')]),
  ...both('a patternProperties entry removed', obj({ patternProperties: { '^x-': { type: 'string' } } }), obj({}), [N('request-pattern-properties-widened')], [B('response-pattern-properties-widened')]),
  ...both("a patternProperties entry's values loosened", obj({ patternProperties: { '^x-': { type: 'string', maxLength: 5 } } }), obj({ patternProperties: { '^x-': { type: 'string' } } }), [N('request-max-length-widened')], [B('response-max-length-widened')]),
  ...both('propertyNames added', obj({}), obj({ propertyNames: { pattern: '^[a-z]+$' } }), [B('request-property-names-narrowed')], [N('response-property-names-narrowed')]),
  ...both('propertyNames removed', obj({ propertyNames: { maxLength: 3 } }), obj({}), [N('request-property-names-widened')], [B('response-property-names-widened')]),
  ...both('propertyNames tightened', obj({ propertyNames: { maxLength: 8 } }), obj({ propertyNames: { maxLength: 3 } }), [B('request-max-length-narrowed')], [N('response-max-length-narrowed')]),
  ...both('a dependentSchemas entry added', obj({}), obj({ dependentSchemas: { a: { required: ['b'] } } }), [B('request-dependent-schemas-narrowed')], [N('response-dependent-schemas-narrowed')]),
  ...both('a dependentSchemas entry removed', obj({ dependentSchemas: { a: { required: ['b'] } } }), obj({}), [N('request-dependent-schemas-widened')], [B('response-dependent-schemas-widened')]),

  // if / then / else, not
  ...both('an if/then added', obj({}), obj({ if: { properties: { kind: { const: 'a' } } }, then: { required: ['a'] } }), [B('request-conditional-narrowed')], [N('response-conditional-narrowed')]),
  ...both('an if/else removed', obj({ if: { properties: { kind: { const: 'a' } } }, else: { required: ['b'] } }), obj({}), [N('request-conditional-widened')], [B('response-conditional-widened')]),
  ...both('an if condition changed', obj({ if: { properties: { kind: { const: 'a' } } }, then: { required: ['a'] } }), obj({ if: { properties: { kind: { const: 'b' } } }, then: { required: ['a'] } }), [B('request-conditional-changed')], [B('response-conditional-changed')]),
  ...both('a then branch tightened', obj({ if: { required: ['a'] }, then: { properties: { a: { maxLength: 9 } } } }), obj({ if: { required: ['a'] }, then: { properties: { a: { maxLength: 3 } } } }), [B('request-max-length-narrowed')], [N('response-max-length-narrowed')]),
  ...both('a not added', str({}), str({ not: { const: '' } }), [B('request-not-narrowed')], [N('response-not-narrowed')]),
  ...both('a not removed', str({ not: { const: '' } }), str({}), [N('request-not-widened')], [B('response-not-widened')]),
  ...both('an if condition written in another key order', obj({ if: { type: 'object', required: ['a'] }, then: { required: ['b'] } }), obj({ if: { required: ['a'], type: 'object' }, then: { required: ['b'] } }), [], []),
  ...both('a not changed', str({ not: { const: '' } }), str({ not: { const: '-' } }), [B('request-not-changed')], [B('response-not-changed')]),

  // arrays
  ...both('items given a schema', arr({}), arr({ items: { type: 'string' } }), [B('request-items-narrowed')], [N('response-items-narrowed')]),
  ...both('items schema removed', arr({ items: { type: 'string' } }), arr({}), [N('request-items-widened')], [B('response-items-widened')]),
  ...both("items' type widened", arr({ items: { type: 'string' } }), arr({ items: { type: ['string', 'integer'] } }), [N('request-type-widened')], [B('response-type-widened')]),
  ...both('a prefixItems position added', arr({ prefixItems: [{ type: 'string' }] }), arr({ prefixItems: [{ type: 'string' }, { type: 'integer' }] }), [B('request-prefix-items-narrowed')], [N('response-prefix-items-narrowed')]),
  ...both('a prefixItems position removed', arr({ prefixItems: [{ type: 'string' }, { type: 'integer' }] }), arr({ prefixItems: [{ type: 'string' }] }), [N('request-prefix-items-widened')], [B('response-prefix-items-widened')]),
  ...both('a prefixItems position changed type', arr({ prefixItems: [{ type: 'string' }] }), arr({ prefixItems: [{ type: 'integer' }] }), [B('request-type-changed')], [B('response-type-changed')]),
  ...both('contains added', arr({}), arr({ contains: { const: 'admin' } }), [B('request-contains-narrowed')], [N('response-contains-narrowed')]),
  ...both('contains removed', arr({ contains: { const: 'admin' } }), arr({}), [N('request-contains-widened')], [B('response-contains-widened')]),
  ...both('unevaluatedItems closed', arr({ prefixItems: [{ type: 'string' }] }), arr({ prefixItems: [{ type: 'string' }], unevaluatedItems: false }), [B('request-unevaluated-items-narrowed')], [N('response-unevaluated-items-narrowed')]),
  ...both('unevaluatedItems opened', arr({ unevaluatedItems: false }), arr({}), [N('request-unevaluated-items-widened')], [B('response-unevaluated-items-widened')]),
];

/* properties, required, nullability, readOnly/writeOnly */

const thing = (properties: object, required: string[] = [], closed = true) => ({ type: 'object', ...(closed ? { additionalProperties: false } : {}), required, properties });

export const propertyPairs: Pair[] = [
  inRequest('a field removed from a closed object', thing({ a: { type: 'string' }, b: { type: 'string' } }), thing({ a: { type: 'string' } }), [B('request-field-removed')]),
  inRequest('a field removed from an open object', thing({ a: { type: 'string' }, b: { type: 'string' } }, [], false), thing({ a: { type: 'string' } }, [], false), [N('request-field-removed')]),
  inRequest('an optional field added', thing({ a: { type: 'string' } }), thing({ a: { type: 'string' }, b: { type: 'string' } }), [N('request-field-added')]),
  inRequest('a required field added', thing({ a: { type: 'string' } }), thing({ a: { type: 'string' }, b: { type: 'string' } }, ['b']), [B('request-field-added-required')]),
  inRequest('a field made required', thing({ a: { type: 'string' } }), thing({ a: { type: 'string' } }, ['a']), [B('request-field-made-required')]),
  inRequest('a field made optional', thing({ a: { type: 'string' } }, ['a']), thing({ a: { type: 'string' } }), [N('request-field-made-optional')]),
  inRequest('a readOnly field listed as required (required in responses only)', thing({ a: { type: 'string' }, id: { type: 'string', readOnly: true } }), thing({ a: { type: 'string' }, id: { type: 'string', readOnly: true } }, ['id']), []),
  inRequest('a field made readOnly leaves the request', thing({ a: { type: 'string' }, b: { type: 'string' } }), thing({ a: { type: 'string' }, b: { type: 'string', readOnly: true } }), [B('request-field-removed')]),
  inResponse('a field removed', thing({ a: { type: 'string' }, b: { type: 'string' } }, ['a', 'b']), thing({ a: { type: 'string' } }, ['a']), [B('response-field-removed')]),
  inResponse('a field made writeOnly leaves the response', thing({ a: { type: 'string' }, b: { type: 'string' } }), thing({ a: { type: 'string' }, b: { type: 'string', writeOnly: true } }), [B('response-field-removed')]),
  inResponse('a field added', thing({ a: { type: 'string' } }, ['a']), thing({ a: { type: 'string' }, b: { type: 'string' } }, ['a', 'b']), [N('response-field-added')]),
  inResponse('a field made optional', thing({ a: { type: 'string' } }, ['a']), thing({ a: { type: 'string' } }), [B('response-field-made-optional')]),
  inResponse('a field made required', thing({ a: { type: 'string' } }), thing({ a: { type: 'string' } }, ['a']), [N('response-field-made-required')]),
  ...both('null removed from a type', { type: ['string', 'null'] }, { type: 'string' }, [B('request-field-made-non-nullable')], [N('response-field-made-non-nullable')]),
  ...both('null added to a type', { type: 'string' }, { type: ['string', 'null'] }, [N('request-field-made-nullable')], [B('response-field-made-nullable')]),
  ...both('nullability written as oneOf [X, {type: null}]', { type: 'string', maxLength: 5 }, { oneOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] }, [N('request-field-made-nullable')], [B('response-field-made-nullable')]),
  ...both('nullability written as anyOf [{$ref}, {type: null}] instead of a type list', { type: ['string', 'null'], maxLength: 5 }, { anyOf: [{ $ref: '#/components/schemas/Name' }, { type: 'null' }] }, [], [], [{}, { Name: { type: 'string', maxLength: 5 } }]),
  ...both('null added to the enum of a typed schema', { type: 'string', enum: ['a'] }, { type: 'string', enum: ['a', null] }, [N('request-field-made-nullable')], [B('response-field-made-nullable')]),
  ...both('null added to the type of an enum', { type: 'string', enum: ['a'] }, { type: ['string', 'null'], enum: ['a'] }, [N('request-field-made-nullable')], [B('response-field-made-nullable')]),
  ...both('null allowed through the enum of an untyped schema', { enum: ['a'] }, { enum: ['a', null] }, [N('request-field-made-nullable')], [B('response-field-made-nullable')]),
  ...both('null named in the enum of a nullable type too', { type: ['string', 'null'], enum: ['a'] }, { type: ['string', 'null'], enum: ['a', null] }, [], []),
  ...both('a nullable enum written with null in the type and the enum, or as anyOf', { type: ['string', 'null'], enum: ['a', null] }, { anyOf: [{ type: 'string', enum: ['a'] }, { type: 'null' }] }, [], []),
];

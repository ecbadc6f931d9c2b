import { refTarget } from './deref.ts';

/**
 * A JSON Schema 2020-12 node as OpenAPI 3.1 uses it, with every keyword the comparison reads.
 * `refTarget` holds the `$ref` the node was reached through, once dereferenced.
 */
export interface Schema {
  $ref?: string;
  [refTarget]?: string;
  title?: string;
  type?: string | string[];
  enum?: unknown[];
  /** Values documented as known today, with more to come (a Zalando guideline): clients must accept others. */
  'x-extensible-enum'?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minContains?: number;
  maxContains?: number;
  minProperties?: number;
  maxProperties?: number;
  contentMediaType?: string;
  contentEncoding?: string;
  items?: Schema | boolean;
  prefixItems?: Schema[];
  contains?: Schema;
  unevaluatedItems?: Schema | boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  unevaluatedProperties?: Schema | boolean;
  patternProperties?: Record<string, Schema>;
  propertyNames?: Schema;
  dependentRequired?: Record<string, string[]>;
  dependentSchemas?: Record<string, Schema>;
  if?: Schema;
  then?: Schema;
  else?: Schema;
  not?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  readOnly?: boolean;
  writeOnly?: boolean;
  deprecated?: boolean;
  /** OpenAPI 3.0 only; a 3.0 document is converted before comparison (openapi-version.ts). */
  nullable?: boolean;
}

/**
 * A schema with `allOf` merged and nullability read out: `types` are the non-null JSON types it
 * allows (undefined: any), `nullable` whether `null` is allowed when types are given.
 */
export interface EffectiveSchema extends Omit<Schema, 'type' | 'allOf' | 'nullable'> {
  types?: string[];
  nullable?: boolean;
}

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Keywords of an OpenAPI document that are not JSON Schema, so ajv in strict mode accepts the document. */
const openApiKeywords = [
  'openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags',
  'externalDocs', 'discriminator', 'xml', 'example', 'x-codeSamples',
];

/** The `x-` keywords a document uses (such as `x-extensible-enum`): annotations that ajv, strict, must be told of. */
function extensionKeywords(document: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-') && !openApiKeywords.includes(key)) found.add(key);
      if (key !== 'example' && key !== 'examples') visit(value); // Example values are data, not keywords.
    }
  };
  visit(document);
  return [...found];
}

export const escapePointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

interface OperationObject {
  operationId?: string;
  responses?: Record<string, { $ref?: string }>;
}

/**
 * Compiles the schemas of one bundled OpenAPI 3.1 document with ajv (draft 2020-12, formats on),
 * addressed by JSON pointer into the document, so `$ref`s resolve as in the spec.
 */
export class SpecValidator {
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(readonly document: { paths?: Record<string, unknown> } & Record<string, unknown>) {
    this.ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv);
    this.ajv.addVocabulary([...openApiKeywords, ...extensionKeywords(document)]);
    this.ajv.addSchema(document, 'openapi');
  }

  operationAt(method: string, pathTemplate: string): OperationObject | undefined {
    const item = this.document.paths?.[pathTemplate] as Record<string, OperationObject> | undefined;
    return item?.[method.toLowerCase()];
  }

  /** The validator of one documented response's JSON body, or undefined when it documents none. */
  responseValidator(method: string, pathTemplate: string, status: number | string): ValidateFunction | undefined {
    const pointer = this.responseSchemaPointer(method, pathTemplate, status);
    return pointer === undefined ? undefined : this.validatorAt(pointer);
  }

  /**
   * The JSON pointer of one documented response's JSON body schema (through a `$ref` to a shared
   * response, and the `default` response when the status has none), or undefined when it documents none.
   */
  responseSchemaPointer(method: string, pathTemplate: string, status: number | string): string | undefined {
    const responses = this.operationAt(method, pathTemplate)?.responses;
    const response = responses?.[String(status)] ?? responses?.default;
    if (!response) return undefined;
    const key = responses?.[String(status)] ? String(status) : 'default';
    const base = response.$ref
      ? response.$ref.slice(1)
      : `/paths/${escapePointer(pathTemplate)}/${method.toLowerCase()}/responses/${key}`;
    return `${base}/content/application~1json/schema`;
  }

  validatorAt(pointer: string): ValidateFunction {
    let validate = this.cache.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi#${pointer}` });
      this.cache.set(pointer, validate);
    }
    return validate;
  }

  /** ajv's findings as `path message` lines; empty when the value is valid. */
  static problems(validate: ValidateFunction, value: unknown): string[] {
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`);
  }
}

import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenAPI3 } from 'openapi-typescript';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface SpecOperation {
  operationId: string;
  method: HttpMethod;
  path: string;
  statuses: string[];
}

/** Keywords of an OpenAPI document that are not JSON Schema, so ajv in strict mode accepts the document. */
const openApiKeywords = [
  'openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags',
  'externalDocs', 'discriminator', 'xml', 'example',
];

const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** Validates bodies against the schemas of one bundled OpenAPI document (ajv, draft 2020-12, formats on). */
export class Contract {
  readonly document: OpenAPI3;
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(specFile: string) {
    this.document = JSON.parse(readFileSync(specFile, 'utf8')) as OpenAPI3;
    this.ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv);
    this.ajv.addVocabulary(openApiKeywords);
    this.ajv.addSchema(this.document as object, 'openapi');
  }

  operations(): SpecOperation[] {
    const found: SpecOperation[] = [];
    for (const [path, item] of Object.entries(this.document.paths ?? {})) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const operation = (item as Record<string, { operationId: string; responses: Record<string, unknown> }>)[method];
        if (operation) found.push({ operationId: operation.operationId, method, path, statuses: Object.keys(operation.responses) });
      }
    }
    return found;
  }

  operation(operationId: string): SpecOperation {
    const found = this.operations().find((op) => op.operationId === operationId);
    if (!found) throw new Error(`No operation ${operationId} in the spec`);
    return found;
  }

  /** The validator of a response body, following a `$ref` to a shared response. */
  responseValidator(operationId: string, status: string | number): ValidateFunction {
    const { path, method } = this.operation(operationId);
    let pointer = `/paths/${escapePointer(path)}/${method}/responses/${status}`;
    const response = this.resolvePointer(pointer) as { $ref?: string } | undefined;
    if (!response) throw new Error(`${operationId} documents no ${status} response`);
    if (response.$ref) pointer = response.$ref.slice(1);
    return this.validator(`${pointer}/content/application~1json/schema`);
  }

  requestBodyValidator(operationId: string): ValidateFunction {
    const { path, method } = this.operation(operationId);
    return this.validator(`/paths/${escapePointer(path)}/${method}/requestBody/content/application~1json/schema`);
  }

  schemaValidator(name: string): ValidateFunction {
    return this.validator(`/components/schemas/${escapePointer(name)}`);
  }

  /** Validates and, on failure, returns ajv's errors as readable lines (empty when valid). */
  problems(validate: ValidateFunction, value: unknown): string[] {
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.cache.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi#${pointer}` });
      this.cache.set(pointer, validate);
    }
    return validate;
  }

  private resolvePointer(pointer: string): unknown {
    return pointer
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], this.document);
  }
}

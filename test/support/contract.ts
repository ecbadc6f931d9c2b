import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { OpenAPI3 } from 'openapi-typescript';
import { DriftDetector } from '../../scripts/lib/drift/drift.ts';
import { escapePointer, SpecValidator } from '../../src/spec-validator.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface SpecOperation {
  operationId: string;
  method: HttpMethod;
  path: string;
  statuses: string[];
}

/**
 * The bundled spec the suite tests, with validators of its bodies by operation id. The schemas are
 * compiled by the client's own SpecValidator (ajv, draft 2020-12, formats on).
 */
export class Contract {
  readonly document: OpenAPI3;
  private readonly validator: SpecValidator;
  private drift: DriftDetector | undefined;

  constructor(specFile: string) {
    this.document = JSON.parse(readFileSync(specFile, 'utf8')) as OpenAPI3;
    this.validator = new SpecValidator(this.document as never);
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
    if (!this.operation(operationId).statuses.includes(String(status))) throw new Error(`${operationId} documents no ${status} response`);
    return this.validator.responseValidator(method, path, status)!;
  }

  requestBodyValidator(operationId: string): ValidateFunction {
    const { path, method } = this.operation(operationId);
    return this.validator.validatorAt(`/paths/${escapePointer(path)}/${method}/requestBody/content/application~1json/schema`);
  }

  schemaValidator(name: string): ValidateFunction {
    return this.validator.validatorAt(`/components/schemas/${escapePointer(name)}`);
  }

  /**
   * The fields of an answer the spec does not document, as `undocumented <field> at <location> (not in
   * <schema>)` lines: drift, which the suite reports against the mock and the sandbox, whose answers
   * come from the spec and so must document every field they carry.
   */
  undocumentedFields(operationId: string, status: string | number, body: unknown): string[] {
    const { path, method } = this.operation(operationId);
    this.drift ??= new DriftDetector(this.document as never, this.validator);
    return this.drift
      .responseDrift(method, path, status, body)
      .undocumented.map((u) => `undocumented ${u.field} at ${u.location}${u.schema ? ` (not in ${u.schema})` : ''}`);
  }

  /** Validates and, on failure, returns ajv's errors as readable lines (empty when valid). */
  problems(validate: ValidateFunction, value: unknown): string[] {
    return SpecValidator.problems(validate, value);
  }
}

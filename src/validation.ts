/**
 * The package's `/validation` entry point: response validation against the spec (ajv and the
 * bundled spec), kept out of the main entry so that only code that turns it on loads them.
 */
export { responseValidation } from './response-validation.ts';
export type { ResponseValidation } from './response-validation-option.ts';
export { ResponseValidationError } from './errors.ts';

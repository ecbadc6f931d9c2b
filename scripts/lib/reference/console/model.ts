/**
 * What the try-it console knows of the API, computed from the spec at build time and embedded in
 * the page as JSON: shared by the build (console-data.ts) and the browser code (main.ts).
 */

/** How a parameter is entered, from its schema: one field, a choice, several values, or one field per key. */
export type ParameterKind =
  | { type: 'text' }
  | { type: 'number'; integer: boolean; minimum?: number | undefined; maximum?: number | undefined }
  | { type: 'choice'; values: string[] }
  | { type: 'list' }
  | { type: 'object'; keys: string[] };

export interface ConsoleParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description: string;
  /** OpenAPI's serialization (`form`, `deepObject`); the console encodes as the spec says. */
  style?: string;
  explode?: boolean;
  kind: ParameterKind;
  /** The documented example, as typed in the field (a list comma-separated, an object as JSON). */
  example?: string | undefined;
}

export interface ConsoleExample {
  name: string;
  summary: string;
  value: unknown;
}

export interface ConsoleOperation {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  parameters: ConsoleParameter[];
  /** The JSON request body's named examples (the first is prefilled); absent when the operation takes none. */
  body?: { required: boolean; examples: ConsoleExample[] };
}

export interface ConsoleServer {
  url: string;
  description: string;
}

export interface ConsoleData {
  /** The servers offered, the local sandbox first (the default), then the spec's `servers`. */
  servers: ConsoleServer[];
  operations: ConsoleOperation[];
}

/** The id of the `<script type="application/json">` that carries the data in the page. */
export const consoleDataElementId = 'metorial-console-data';

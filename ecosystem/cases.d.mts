// Types of cases.mjs, for the matrix's TypeScript (the cases themselves stay plain JavaScript every runtime loads as is).

/** The cases, in the order they run. */
export declare const caseNames: readonly string[];

/** `Deno 2.9.6`, `Bun 1.4.5`, `Node 20.20.2`, `Cloudflare-Workers`, `edge-runtime (...)`, or a browser's user agent. */
export declare function describeRuntime(): string;

export interface CasesReport {
  runtime: string;
  cases: Record<string, { ok: true } | { ok: false; error: string }>;
}

/** Runs the cases against baseUrl with apiKey; never rejects. */
export declare function runCases(options: {
  client: unknown;
  loadValidation: () => Promise<unknown>;
  baseUrl: string;
  apiKey: string;
  only?: readonly string[];
}): Promise<CasesReport>;

/** Options any single call accepts beside its parameters and body, in either call style. */
export interface RequestOptions {
  /** Overrides the client's timeout for this call, in milliseconds. */
  timeout?: number;
  /** Overrides the client's maxRetries for this call. */
  maxRetries?: number;
  /** Cancels the call; it then rejects with AbortedError. */
  signal?: AbortSignal;
  /** Extra headers for this call; they win over the client's. */
  headers?: Record<string, string>;
}

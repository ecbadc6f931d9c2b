/**
 * An AbortController made only when someone reads its signal. On Node 20 creating an AbortSignal
 * costs about a tenth of a call on a fast path (bench/client-throughput.ts), and a fetch that never
 * reads `init.signal` (a stub, a cache) does not need one. The standard fetch reads it at once.
 */
export class LazyAbortController {
  private controller: AbortController | undefined;
  private aborted = false;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort();
    }
    return this.controller.signal;
  }

  abort(): void {
    this.aborted = true;
    this.controller?.abort();
  }
}

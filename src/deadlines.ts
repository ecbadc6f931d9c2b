export interface Deadline {
  readonly at: number;
  readonly onExpire: () => void;
}

/**
 * The deadlines of a client's attempts in flight, watched by one timer. A setTimeout and clearTimeout
 * per request cost about a tenth of a call's time on a fast path (bench/client-throughput.ts); here
 * a request only adds itself to a set and removes itself. The timer always points at the earliest
 * deadline and is cleared as soon as nothing is in flight, so no timer outlives the requests.
 */
export class DeadlineWatch {
  private readonly pending = new Set<Deadline>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  /** Whether a timer is set: only while some deadline is pending. */
  get armed(): boolean {
    return this.timer !== undefined;
  }

  watch(timeoutMs: number, onExpire: () => void): Deadline {
    const deadline = { at: performance.now() + timeoutMs, onExpire };
    this.pending.add(deadline);
    if (deadline.at < this.timerAt) this.schedule(deadline.at);
    return deadline;
  }

  unwatch(deadline: Deadline): void {
    this.pending.delete(deadline);
    if (this.pending.size === 0) this.cancelTimer();
  }

  private schedule(at: number): void {
    this.cancelTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => this.expireDue(), Math.max(0, Math.ceil(at - performance.now())));
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private expireDue(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    // Timers may fire a fraction of a millisecond before the rounded-up delay they were given.
    const now = performance.now() + 1;
    let next = Number.POSITIVE_INFINITY;
    for (const deadline of this.pending) {
      if (deadline.at <= now) {
        this.pending.delete(deadline);
        deadline.onExpire();
      } else if (deadline.at < next) {
        next = deadline.at;
      }
    }
    if (next !== Number.POSITIVE_INFINITY && next < this.timerAt) this.schedule(next);
  }
}

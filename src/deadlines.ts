/**
 * Something with a deadline, such as an attempt in flight: linked into its watch's list while
 * pending (an intrusive list, so watching allocates nothing), and told when the deadline passes.
 */
export abstract class Deadline {
  at = Number.POSITIVE_INFINITY;
  pending = false;
  previous: Deadline | undefined;
  next: Deadline | undefined;

  /** Called once, when the deadline passes while still watched. */
  abstract expire(): void;
}

/**
 * The deadlines of a client's attempts in flight, watched by one timer. A setTimeout and clearTimeout
 * per request cost a few percent of a call's time on a fast path (bench/client-throughput.ts), and a
 * Set of pending deadlines about a tenth, as its table is reallocated while it fills and empties; here
 * an attempt links itself into a list and unlinks itself, allocating nothing. The timer always points
 * at the earliest deadline and is cleared as soon as nothing is in flight, so no timer outlives the
 * requests.
 */
export class DeadlineWatch {
  private first: Deadline | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  /** Whether a timer is set: only while some deadline is pending. */
  get armed(): boolean {
    return this.timer !== undefined;
  }

  watch(deadline: Deadline, timeoutMs: number): void {
    deadline.at = performance.now() + timeoutMs;
    deadline.pending = true;
    deadline.next = this.first;
    if (this.first) this.first.previous = deadline;
    this.first = deadline;
    if (deadline.at < this.timerAt) this.schedule(deadline.at);
  }

  /** Forgets a deadline; does nothing when it has expired or was unwatched already. */
  unwatch(deadline: Deadline): void {
    if (!deadline.pending) return;
    this.unlink(deadline);
    if (!this.first) this.cancelTimer();
  }

  private unlink(deadline: Deadline): void {
    deadline.pending = false;
    if (deadline.previous) deadline.previous.next = deadline.next;
    else this.first = deadline.next;
    if (deadline.next) deadline.next.previous = deadline.previous;
    deadline.previous = deadline.next = undefined;
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
    const due: Deadline[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (let deadline = this.first; deadline; deadline = deadline.next) {
      if (deadline.at <= now) due.push(deadline);
      else if (deadline.at < next) next = deadline.at;
    }
    // Unlinked before any expires: expiring one may watch or unwatch others.
    due.forEach((deadline) => this.unlink(deadline));
    if (next !== Number.POSITIVE_INFINITY) this.schedule(next);
    for (const deadline of due) deadline.expire();
  }
}

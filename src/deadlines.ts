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
 * The deadlines of a client's attempts in flight, watched by one timer that always points at the
 * earliest of them. On a fast path (bench/client-throughput.ts) a Set of pending deadlines took about a
 * tenth of a call, as its table is reallocated while it fills and empties, so an attempt links itself
 * into a list instead, allocating nothing. Setting and clearing a timer costs about 530 ns, unref and
 * ref about 25 ns (Node 20), and a client called one request at a time goes idle after every call; so
 * when the last attempt settles the timer is not cleared but unreferenced: it no longer holds the
 * process open or counts as an active handle, and if it fires with nothing pending it ends there. The
 * next attempt references it again; a new timer is set only for an earlier deadline.
 */
export class DeadlineWatch {
  private first: Deadline | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  /** Whether a timer holds the process open: only while some deadline is pending. */
  get armed(): boolean {
    return this.timer?.hasRef?.() ?? this.timer !== undefined;
  }

  watch(deadline: Deadline, timeoutMs: number): void {
    const wasIdle = this.first === undefined;
    deadline.at = performance.now() + timeoutMs;
    deadline.pending = true;
    deadline.next = this.first;
    if (this.first) this.first.previous = deadline;
    this.first = deadline;
    if (deadline.at < this.timerAt) this.schedule(deadline.at);
    else if (wasIdle) this.timer?.ref?.();
  }

  /**
   * Forgets a deadline, which then never expires, even when it fell due in the same pass as one whose
   * expiry unwatches it; does nothing when it has expired or was unwatched already.
   */
  unwatch(deadline: Deadline): void {
    if (!deadline.pending) return;
    this.unlink(deadline);
    if (this.first === undefined) this.timer?.unref?.();
  }

  private unlink(deadline: Deadline): void {
    deadline.pending = false;
    if (deadline.previous) deadline.previous.next = deadline.next;
    else this.first = deadline.next;
    if (deadline.next) deadline.next.previous = deadline.previous;
    deadline.previous = deadline.next = undefined;
  }

  private schedule(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.expireDue(), Math.max(0, Math.ceil(at - performance.now())));
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
    if (next !== Number.POSITIVE_INFINITY) this.schedule(next);
    // Each stays watched until its turn: expiring one may unwatch another due in this same pass.
    for (const deadline of due) {
      if (!deadline.pending) continue;
      this.unlink(deadline);
      deadline.expire();
    }
  }
}

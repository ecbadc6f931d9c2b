/**
 * One 'abort' listener per caller's signal, however many calls share it. Each call adding its own
 * listener makes Node print MaxListenersExceededWarning at the eleventh call on one signal, and
 * raising the limit needs `events.setMaxListeners`, which browsers lack. The listener is removed
 * when the last call following the signal lets go, so nothing stays attached to a long-lived signal.
 */

/** Told once when the signal it follows aborts. */
export interface AbortFollower {
  handleEvent(): void;
}

interface Followers {
  readonly listeners: Set<AbortFollower>;
  readonly onAbort: () => void;
}

const bySignal = new WeakMap<AbortSignal, Followers>();

/** Calls `listener.handleEvent()` once when `signal` aborts, unless unfollowed first. */
export function followAbort(signal: AbortSignal, listener: AbortFollower): void {
  let followers = bySignal.get(signal);
  if (!followers) {
    const listeners = new Set<AbortFollower>();
    const onAbort = () => {
      bySignal.delete(signal);
      for (const each of [...listeners]) each.handleEvent();
      listeners.clear();
    };
    followers = { listeners, onAbort };
    bySignal.set(signal, followers);
    signal.addEventListener('abort', onAbort, { once: true });
  }
  followers.listeners.add(listener);
}

/** Stops following; removes the signal's listener when no call follows it any more. */
export function unfollowAbort(signal: AbortSignal, listener: AbortFollower): void {
  const followers = bySignal.get(signal);
  if (!followers) return;
  followers.listeners.delete(listener);
  if (followers.listeners.size === 0) {
    bySignal.delete(signal);
    signal.removeEventListener('abort', followers.onAbort);
  }
}

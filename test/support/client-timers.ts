import { createHook } from 'node:async_hooks';
import { fileURLToPath } from 'node:url';

const clientSource = fileURLToPath(new URL('../../src/', import.meta.url));

interface Timer {
  hasRef(): boolean;
  /** Set once the timer has fired or been cleared; hasRef() alone stays true after a timer fires. */
  _destroyed: boolean;
}

/**
 * Records the timers that the client's own code (src/) creates, told apart by their creation stack,
 * so a test can check that none of them still holds the process open. Counting all active timers is
 * not enough: the test runner's own timers (its RPC calls to the main process) come and go at any time.
 */
export function trackClientTimers(): { held(): number; stop(): void } {
  const timers: Timer[] = [];
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type !== 'Timeout') return;
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 50;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      if (stack.includes(clientSource)) timers.push(resource as Timer);
    },
  });
  hook.enable();
  return {
    held: () => timers.filter((timer) => !timer._destroyed && timer.hasRef()).length,
    stop: () => hook.disable(),
  };
}

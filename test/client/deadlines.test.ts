import { afterEach, expect, it, onTestFinished } from 'vitest';
import { Deadline, DeadlineWatch } from '../../src/deadlines.ts';
import { trackClientTimers } from '../support/client-timers.ts';

/** A deadline that calls back when it passes. */
class Callback extends Deadline {
  constructor(readonly onExpire: () => void) {
    super();
  }

  expire(): void {
    this.onExpire();
  }
}

const watch = new DeadlineWatch();
const watched: Deadline[] = [];
afterEach(() => watched.splice(0).forEach((d) => watch.unwatch(d)));

function watchFor(timeoutMs: number, onExpire: () => void): Deadline {
  const deadline = new Callback(onExpire);
  watch.watch(deadline, timeoutMs);
  watched.push(deadline);
  return deadline;
}

function expiry(timeoutMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => watchFor(timeoutMs, () => resolve(performance.now() - started)));
}

it('fires a short deadline added after a long one on time, not when the long one is due', async () => {
  void expiry(10_000);
  const short = await expiry(40);
  expect(short).toBeGreaterThanOrEqual(39);
  expect(short).toBeLessThan(1_000);
  expect(watch.armed, 'a timer for the long deadline').toBe(true);
});

it('fires every due deadline, in one pass when they fall due together, and then holds no timer', async () => {
  const fired = await Promise.all([expiry(30), expiry(30), expiry(60)]);
  expect(fired.every((ms) => ms >= 29)).toBe(true);
  expect(fired[2]).toBeGreaterThanOrEqual(59);
  expect(watch.armed).toBe(false);
});

it('holds no timer once every deadline is unwatched before it is due, in any order', () => {
  const deadlines = [5_000, 50, 700].map((ms) => watchFor(ms, () => expect.fail('expired')));
  expect(watch.armed).toBe(true);
  watch.unwatch(deadlines[1]!);
  watch.unwatch(deadlines[1]!); // twice is harmless
  expect(watch.armed).toBe(true);
  watch.unwatch(deadlines[2]!);
  watch.unwatch(deadlines[0]!);
  expect(watch.armed).toBe(false);
});

it('lets an expiring deadline unwatch another, which then never fires', async () => {
  let fired = 0;
  const later = watchFor(40, () => fired++);
  await new Promise<void>((resolve) =>
    watchFor(20, () => {
      watch.unwatch(later);
      resolve();
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(fired).toBe(0);
  expect(watch.armed).toBe(false);
});

it('never fires a deadline unwatched by another that fell due in the same pass', async () => {
  let fired = 0;
  const later = watchFor(20, () => fired++);
  const earlier = new Promise<void>((resolve) =>
    watchFor(10, () => {
      watch.unwatch(later);
      resolve();
    }),
  );
  // A busy event loop (as on a loaded machine): both have passed by the time the timer can fire.
  const busyUntil = performance.now() + 40;
  while (performance.now() < busyUntil);
  await earlier;
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(fired).toBe(0);
  expect(watch.armed).toBe(false);
});

it('leaves no active timer once idle, and watches the next deadline on time with the timer it kept', async () => {
  const timers = trackClientTimers();
  onTestFinished(() => timers.stop());
  const early = watchFor(30, () => expect.fail('expired'));
  expect(watch.armed).toBe(true);
  expect(timers.held(), 'the watch\'s timer, seen by the tracker').toBe(1);
  watch.unwatch(early);
  expect(watch.armed, 'an idle watch holds no timer open').toBe(false);
  expect(timers.held(), 'an unreferenced timer holds nothing open').toBe(0);
  // Later than the kept timer: it is referenced again, fires first with nothing due, then sets the next.
  const late = await expiry(80);
  expect(late).toBeGreaterThanOrEqual(79);
  expect(late).toBeLessThan(1_000);
  expect(watch.armed).toBe(false);
  expect(timers.held()).toBe(0);
});

import { afterEach, expect, it } from 'vitest';
import { DeadlineWatch } from '../../src/deadlines.ts';

const watch = new DeadlineWatch();
const watched: ReturnType<DeadlineWatch['watch']>[] = [];
afterEach(() => watched.splice(0).forEach((d) => watch.unwatch(d)));

function expiry(timeoutMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => watched.push(watch.watch(timeoutMs, () => resolve(performance.now() - started))));
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

it('holds no timer once every deadline is unwatched before it is due', () => {
  const deadlines = [watch.watch(5_000, () => expect.fail('expired')), watch.watch(50, () => expect.fail('expired'))];
  expect(watch.armed).toBe(true);
  deadlines.forEach((d) => watch.unwatch(d));
  expect(watch.armed).toBe(false);
});

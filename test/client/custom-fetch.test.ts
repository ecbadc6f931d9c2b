import { expect, it } from 'vitest';
import { createClient, TimeoutError } from '../../src/index.ts';

const options = { apiKey: 'metorial_sk_custom_fetch_test', baseUrl: 'http://127.0.0.1:9', maxRetries: 0, timeout: 50 };

it('hands a custom fetch the attempt signal beside the request, and aborts it on timeout', async () => {
  const signals: AbortSignal[] = [];
  const requests: unknown[] = [];
  const client = createClient({
    ...options,
    fetch: (request, init) =>
      new Promise((_, reject) => {
        requests.push(request);
        signals.push(init.signal);
        init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true });
      }),
  });
  await expect(client.get('/runs')).rejects.toBeInstanceOf(TimeoutError);
  expect(signals).toHaveLength(1);
  expect(signals[0]!.aborted).toBe(true);
  expect(requests[0], 'a custom fetch is given a Request').toBeInstanceOf(Request);
  expect((requests[0] as Request).url).toBe('http://127.0.0.1:9/runs');
});

it('times out a custom fetch that ignores the signal', async () => {
  const client = createClient({ ...options, fetch: () => new Promise<Response>(() => {}) });
  await expect(client.get('/runs')).rejects.toBeInstanceOf(TimeoutError);
});

it('gives a signal read after the timeout already aborted', async () => {
  let late: AbortSignal | undefined;
  let readSignal: () => void = () => {};
  const client = createClient({
    ...options,
    fetch: (_request, init) => {
      readSignal = () => (late = init.signal);
      return new Promise<Response>(() => {});
    },
  });
  await expect(client.get('/runs')).rejects.toBeInstanceOf(TimeoutError);
  readSignal();
  expect(late?.aborted).toBe(true);
});

it('times out a short call on time while a call with a long timeout is in flight', async () => {
  const client = createClient({
    ...options,
    // Longer than the test's own timeout: were the short call to wait for this timer, the test would fail.
    timeout: 600_000,
    fetch: (_request, init) =>
      new Promise<Response>((_, reject) => {
        init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true });
      }),
  });
  const controller = new AbortController();
  const long = client.get('/runs', { signal: controller.signal }).catch((error: unknown) => error);
  await expect(client.get('/runs', { timeout: 50 })).rejects.toBeInstanceOf(TimeoutError);
  controller.abort();
  await long;
});

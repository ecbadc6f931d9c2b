import { describe, expect, inject, it } from 'vitest';
import { call, freshKey } from './support.ts';

const direct = () => inject('sandboxDirectUrl');

describe('the sandbox over HTTP', () => {
  it('answers HEAD as GET without a body, and another method on a known path with 405 and Allow', async () => {
    const key = freshKey();
    const headers = { Authorization: `Bearer ${key}` };
    const get = await fetch(`${direct()}/provider-runs?limit=2`, { headers });
    const head = await fetch(`${direct()}/provider-runs?limit=2`, { method: 'HEAD', headers });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(await get.text())));
    const put = await fetch(`${direct()}/provider-runs`, { method: 'PUT', headers });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await put.json()).toMatchObject({ object: 'error', status: 405 });
    const item = await fetch(`${direct()}/session-template-providers/stp_3cDeFgHjKlMnPqRs`, { method: 'POST', headers });
    expect(item.headers.get('allow')).toBe('GET, HEAD, PATCH, DELETE, OPTIONS');
    const unknown = await fetch(`${direct()}/no-such-path`, { headers });
    expect(unknown.status).toBe(404);
  });

  it('answers CORS preflights and lets a page opened from disk (Origin: null) read answers', async () => {
    const preflight = await fetch(`${direct()}/session-template-providers`, {
      method: 'OPTIONS',
      headers: { Origin: 'null', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    for (const base of [direct(), inject('sandboxUrl')]) {
      const answer = await fetch(`${base}/server-runs?limit=1`, { headers: { Origin: 'null', Authorization: `Bearer ${freshKey()}` } });
      expect(answer.headers.get('access-control-allow-origin'), base).toBe('*');
      expect(answer.headers.get('access-control-expose-headers'), base).toContain('metorial-req-id');
    }
  });

  it('makes faults on demand: 429 with Retry-After and RateLimit-*, 500, 503, and latency', async () => {
    const key = freshKey();
    const limited = await call(key, 'GET', '/runs', { headers: { 'X-Sandbox-Fault': '429; retry-after=7' } });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ object: 'error', status: 429, code: 'rate_limit_exceeded' });
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect((await call(key, 'GET', '/runs', { headers: { 'X-Sandbox-Fault': '500' } })).body).toMatchObject({ status: 500, code: 'internal_server_error' });
    const unavailable = await call(key, 'GET', '/runs', { headers: { 'X-Sandbox-Fault': '503' } });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('1');
    const bad = await call(key, 'GET', '/runs', { headers: { 'X-Sandbox-Fault': '418' }, direct: true });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('x-sandbox-fault takes 429, 500, 503');
    const started = performance.now();
    expect((await call(key, 'GET', '/runs?limit=1', { headers: { 'X-Sandbox-Latency-Ms': '300' }, direct: true })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('answers bad input with the API error body and stays up: no key, malformed JSON, a huge body', async () => {
    const noKey = await fetch(`${direct()}/runs`);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ object: 'error', code: 'unauthorized' });
    const key = freshKey();
    const malformed = await fetch(`${direct()}/runs`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: '{"agent_id":' });
    expect(malformed.status).toBe(400);
    const huge = await fetch(`${direct()}/runs`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: `{"content":"${'x'.repeat(2_000_000)}"}` });
    expect(huge.status).toBe(413);
    const invalid = await call(key, 'POST', '/runs', { body: { agent_id: 7, content: 'hi' }, direct: true });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'invalid_data', errors: [{ path: ['agent_id'] }] });
    expect((await call(key, 'GET', '/runs?limit=1', { direct: true })).status).toBe(200);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { call, freshKey, walk } from './support.ts';

const template = 'stm_2bCdEfGhJkLmNpQr';

/** The resident memory of a process, in bytes (Linux). */
function residentBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

/** `total` requests, `concurrency` at a time, each made by `request(i)`. */
async function drive(total: number, concurrency: number, request: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await request(next++);
  }));
}

// Straight to the sandbox (directUrl): these are its guarantees, not Prism's. Generous time limits:
// they catch a hang; on a loaded machine 10,000 requests take minutes.
describe('the sandbox under load', () => {
  it('32 concurrent writers: no lost update, no duplicate id', async () => {
    const key = freshKey('writers');
    const before = (await walk(key, '/session-template-providers', 100)).ids;
    const created: string[] = [];
    await Promise.all(
      Array.from({ length: 32 }, async (_, writer) => {
        for (let i = 0; i < 4; i++) {
          const answer = await call(key, 'POST', '/session-template-providers', { body: { session_template_id: template, tool_filters: { tool_keys: [`tool_${writer}_${i}`] } }, direct: true });
          expect(answer.status).toBe(200);
          created.push(answer.body.id);
        }
      }),
    );
    expect(new Set(created).size).toBe(128);
    const after = (await walk(key, '/session-template-providers', 100)).ids;
    expect(after).toEqual([...before, ...after.slice(before.length)]);
    expect(new Set(after.slice(before.length))).toEqual(new Set(created));
    // Each writer's own key is kept: the object says what that writer sent.
    const one = await call(key, 'GET', `/session-template-providers/${created[0]}`);
    expect(one.body.tool_filter.filters).toHaveLength(1);
    // 32 updates of one object at once: the last answer is what is stored, updated_at strictly increasing.
    const target = created[1] as string;
    const answers = await Promise.all(
      Array.from({ length: 32 }, (_, i) => call(key, 'PATCH', `/session-template-providers/${target}`, { body: { tool_filters: { tool_keys: [`patched_${i}`] } }, direct: true })),
    );
    const stamps = answers.map((a) => Date.parse(a.body.updated_at));
    expect(new Set(stamps).size).toBe(32);
    const latest = answers.reduce((a, b) => (Date.parse(a.body.updated_at) > Date.parse(b.body.updated_at) ? a : b));
    expect((await call(key, 'GET', `/session-template-providers/${target}`)).body).toEqual(latest.body);
  }, 300_000);

  it('serves 10,000 requests with its memory flat (directly, reads and updates)', async () => {
    const key = freshKey('soak');
    const base = inject('sandboxDirectUrl');
    const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
    const created = await call(key, 'POST', '/session-template-providers', { body: { session_template_id: template }, direct: true });
    const paths = ['/provider-runs?limit=20', '/runs?limit=5&status[eq]=success', `/sessions/ses_4dEfGhJkLmNpQrSt/errors?limit=10`, '/server-runs/srun_missing'];
    const request = async (i: number) => {
      const response =
        i % 5 === 4
          ? await fetch(`${base}/session-template-providers/${created.body.id}`, { method: 'PATCH', headers, body: JSON.stringify({ tool_filters: { tool_keys: [`k${i}`] } }) })
          : await fetch(`${base}${paths[i % 4]}`, { headers });
      await response.arrayBuffer();
      expect([200, 404]).toContain(response.status);
    };
    await drive(2_000, 16, request); // warm-up: code paths compiled, the key's copy made
    const pid = inject('sandboxPid');
    const warmed = residentBytes(pid);
    await drive(10_000, 16, request);
    const grown = residentBytes(pid) - warmed;
    expect(grown, `grew ${(grown / 1024 / 1024).toFixed(1)} MB over 10,000 requests`).toBeLessThan(40 * 1024 * 1024);
  }, 300_000);
});

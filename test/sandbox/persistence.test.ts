import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startSandbox } from '../../sandbox/start.ts';

const scratch = mkdtempSync(join(tmpdir(), 'metorial-sandbox-state-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const spec = inject('specFile');
const key = 'metorial_sk_persistence_test';
const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
const create = (url: string, i: number) =>
  fetch(`${url}/session-template-providers`, { method: 'POST', headers, body: JSON.stringify({ session_template_id: 'stm_2bCdEfGhJkLmNpQr', tool_filters: { tool_keys: [`t${i}`] } }) });

// Each test starts sandbox processes of its own (a minute or more each on a loaded machine).
describe('sandbox persistence (--data-file)', () => {
  it('keeps what a key wrote across a restart, and never writes the key itself', async () => {
    const dataFile = join(scratch, 'state.json');
    const first = await startSandbox({ spec, prism: false, dataFile, readyTimeoutMs: 180_000 });
    let id: string;
    try {
      id = ((await (await create(first.url, 0)).json()) as { id: string }).id;
      await fetch(`${first.url}/session-template-providers/stp_3cDeFgHjKlMnPqRs`, { method: 'DELETE', headers });
    } finally {
      await first.stop();
    }
    expect(readFileSync(dataFile, 'utf8')).not.toContain(key);
    const second = await startSandbox({ spec, prism: false, dataFile, readyTimeoutMs: 180_000 });
    try {
      const read = await fetch(`${second.url}/session-template-providers/${id}`, { headers });
      expect(read.status).toBe(200);
      const deleted = (await (await fetch(`${second.url}/session-template-providers/stp_3cDeFgHjKlMnPqRs`, { headers })).json()) as { status: string };
      expect(deleted.status).toBe('deleted');
      const other = await fetch(`${second.url}/session-template-providers/${id}`, { headers: { Authorization: 'Bearer metorial_sk_someone_else' } });
      expect(other.status).toBe(404);
    } finally {
      await second.stop();
    }
    await expect(startSandbox({ spec, prism: false, dataFile, seed: 2, readyTimeoutMs: 180_000 })).rejects.toThrow(/written with --seed 1 --count 100, not 2 and 100/);
  }, 300_000);

  it('leaves the old state or the new one when killed with SIGKILL in the middle of writing', async () => {
    const dataFile = join(scratch, 'killed.json');
    const sandbox = await startSandbox({ spec, prism: false, dataFile, readyTimeoutMs: 180_000 });
    // A stream of writes, 8 at a time; the kill comes once some are saved, while others are being written.
    const answered: { id: string }[] = [];
    let next = 0;
    const writers = Array.from({ length: 8 }, async () => {
      while (next < 2_000) {
        const i = next++;
        const answer = await create(sandbox.url, i).then((r) => r.json() as Promise<{ id: string }>).catch(() => undefined);
        if (!answer) return;
        answered.push(answer);
      }
    });
    const deadline = Date.now() + 120_000;
    while (!(existsSync(dataFile) && answered.length >= 20) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    process.kill(sandbox.pid, 'SIGKILL');
    await Promise.all(writers);
    await sandbox.stop();
    // Whatever moment the kill came at, the file is whole: the old state or a newer one, never half.
    const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as { keys: Record<string, Record<string, [string, unknown][]>> };
    const savedIds = Object.values(saved.keys).flatMap((collections) => (collections.SessionTemplateProvider ?? []).map(([id]) => id));
    expect(savedIds.length).toBeGreaterThan(0);
    expect(answered.length).toBeGreaterThan(0);
    // Every write whose answer came back before the last save is in it; none is there twice.
    expect(new Set(savedIds).size).toBe(savedIds.length);
    const restarted = await startSandbox({ spec, prism: false, dataFile, readyTimeoutMs: 180_000 });
    try {
      for (const id of savedIds.slice(-5)) expect((await fetch(`${restarted.url}/session-template-providers/${id}`, { headers })).status).toBe(200);
    } finally {
      await restarted.stop();
    }
  }, 300_000);
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { startPrism } from '../../scripts/lib/prism.ts';
import { call, freshKey } from './support.ts';

const scratch = mkdtempSync(join(tmpdir(), 'metorial-sandbox-violation-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('an answer of the sandbox that breaks the spec reaches no one as valid: Prism answers 500 and the suite\u2019s call() fails', async () => {
  // The same sandbox, behind a Prism whose spec says a server run's type can only be `hosted`:
  // the sandbox's seeded `external` runs now break "the spec", as a bug of ours would.
  const document = JSON.parse(readFileSync(inject('specFile'), 'utf8'));
  document.components.schemas.ServerRun.properties.type.enum = ['hosted'];
  const spec = join(scratch, 'narrowed.json');
  writeFileSync(spec, JSON.stringify(document));
  const prism = await startPrism({ spec, mode: 'proxy', upstream: inject('sandboxDirectUrl'), args: ['--errors', '--verboseLevel', 'silent'], readyTimeoutMs: 180_000 });
  try {
    const key = freshKey('violation');
    const answer = await fetch(`${prism.url}/server-runs?limit=100`, { headers: { Authorization: `Bearer ${key}` } });
    expect(answer.status).toBe(500);
    const violations = JSON.parse(answer.headers.get('sl-violations') ?? '[]') as { location: string[]; severity: string }[];
    expect(violations.some((v) => v.location[0] === 'response' && v.severity === 'Error')).toBe(true);
    // The suite's own helper turns such an answer into a failing test; the same call to the real spec's proxy passes.
    await expect(call(key, 'GET', '/server-runs?limit=100', { baseUrl: prism.url })).rejects.toThrow(/breaks the spec/);
    await expect(call(key, 'GET', '/server-runs?limit=100')).resolves.toMatchObject({ status: 200 });
  } finally {
    await prism.stop();
  }
}, 300_000);

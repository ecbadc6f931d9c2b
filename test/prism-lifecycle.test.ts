import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, inject, it } from 'vitest';
import { repoRoot } from '../scripts/lib/paths.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

/** What the holder prints once its Prism answers; its own error (on stderr) if it exits instead. */
async function firstReport(holder: ChildProcess): Promise<{ pid: number; url: string }> {
  const first = await Promise.race([
    once(holder.stdout!, 'data').then(([line]) => line as Buffer),
    once(holder, 'exit').then(([code]) => code as number | null),
  ]);
  if (!Buffer.isBuffer(first)) throw new Error(`the process holding Prism exited with ${first} before its Prism answered (its error is above)`);
  return JSON.parse(first.toString()) as { pid: number; url: string };
}

describe('a Prism started for tests never outlives the process that started it', () => {
  it.concurrent.for(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)('when that process gets %s', { timeout: 120_000 }, async (signal, { expect, onTestFinished }) => {
    const holder = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/fixtures/hold-prism.ts'), inject('specFile')], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Should the test fail or time out before it signals the holder, the holder still goes (and its Prism with it).
    onTestFinished(() => void holder.kill('SIGKILL'));
    const { pid, url } = await firstReport(holder);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(isAlive(pid)).toBe(true);
    holder.kill(signal);
    expect(await waitForExit(pid, 5_000)).toBe(true);
  });
});

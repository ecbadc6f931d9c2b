import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, vi } from 'vitest';
import { repoRoot } from '../scripts/lib/paths.ts';

/**
 * Issue 22, item 15: `npm run mock` stopped by killing npm's pid (what a process manager or a
 * script holding that pid does) stops Prism too, and frees the port. npm's shell is what dies, or
 * npm alone: neither signals the script, which watches for it (stopWhenLauncherGoes).
 */
const scratch = mkdtempSync(join(tmpdir(), 'metorial-mock-process-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every process below `pid`, from /proc. */
function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, of] of parentOf) if (of === parent) (found.push(child), queue.push(child));
  }
  return found;
}

/** Alive and not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const answers = (url: string) =>
  fetch(`${url}/runs`, { headers: { Authorization: 'Bearer metorial_sk_test' }, signal: AbortSignal.timeout(5_000) }).then(
    () => true,
    () => false,
  );

describe('npm run mock, stopped by killing npm', () => {
  it.concurrent.for(['SIGTERM', 'SIGKILL'] as const)('%s to npm stops the script and Prism, and frees the port', { timeout: 300_000 }, async (signal, { expect, onTestFinished }) => {
    const npm = spawn('npm', ['run', 'mock', '--', '--port', '0'], {
      cwd: repoRoot,
      env: { ...process.env, METORIAL_DIST_DIR: join(scratch, signal) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let below: number[] = [];
    onTestFinished(() => {
      for (const pid of [npm.pid!, ...below]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      npm.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const found = /Metorial API mock \(Prism\) at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (found) resolve(found[1]!);
      });
      npm.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      npm.once('exit', (code) => reject(new Error(`npm run mock exited (${code}) before it served:\n${output}`)));
    });
    below = descendantsOf(npm.pid!);
    expect(below.length, 'the shell, the script and Prism').toBeGreaterThanOrEqual(2);
    expect(await answers(url)).toBe(true);
    npm.kill(signal);
    await vi.waitFor(() => expect(below.filter(running), 'processes left running').toEqual([]), { timeout: 60_000, interval: 200 });
    expect(await answers(url)).toBe(false);
  });
});

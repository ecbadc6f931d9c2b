import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { spawnTiedChild } from '../../scripts/lib/tied-child.ts';
import type { Burst } from './client-round.ts';

const roundScript = join(repoRoot, 'bench', 'lib', 'client-round.ts');

/**
 * A contender warmed up in a process of its own (lib/client-round.ts), which runs bursts of calls on
 * request. Stopped with the bench, also when the bench is interrupted (spawnTiedChild). Its answers are
 * checked, so a stray line on its stdout (a library's log) fails the bench rather than shifting every
 * later burst onto the wrong cycle.
 */
export class BurstProcess {
  private readonly lines: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcess,
    /** Settles once the child has exited, however it ended; made at the start, so it cannot miss the event. */
    private readonly exited: Promise<unknown>,
    private readonly label: string,
  ) {
    this.lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  }

  /** Starts `client-round.ts <args>` on `node` and resolves once it has warmed up. */
  static async start(node: string, args: string[]): Promise<BurstProcess> {
    const child = spawnTiedChild(['--expose-gc', '--import', 'tsx', roundScript, ...args], 'capture', process.env, { node, input: 'pipe' });
    const label = `bench/lib/client-round.ts ${args.slice(0, 2).join(' ')}`;
    const exited = new Promise((resolve) => child.once('close', resolve));
    // A failed spawn, or a write to a child that has just died: reported by the next read instead.
    child.on('error', () => {});
    child.stdin!.on('error', () => {});
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk)); // not pipe(): each pipe adds listeners to stderr, and a set of contenders passes its limit
    const started = new BurstProcess(child, exited, label);
    const ready = await started.nextLine();
    if (ready !== '{"ready":true}') {
      await started.stop();
      throw new Error(`${label} printed ${JSON.stringify(ready.slice(0, 200))} where it should have said it was ready`);
    }
    return started;
  }

  /** Makes calls for `ms` milliseconds and resolves how many, with their wall and CPU time. */
  async run(ms: number): Promise<Burst> {
    this.child.stdin!.write(`${ms}\n`);
    const line = await this.nextLine();
    let burst: Partial<Burst> | undefined;
    try {
      burst = JSON.parse(line) as Partial<Burst>;
    } catch {
      burst = undefined;
    }
    if (typeof burst?.requests !== 'number' || typeof burst.wallUs !== 'number' || typeof burst.cpuUs !== 'number') {
      throw new Error(`${this.label} answered ${JSON.stringify(line.slice(0, 200))} where a burst's figures belong`);
    }
    return burst as Burst;
  }

  async stop(): Promise<void> {
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  private async nextLine(): Promise<string> {
    const { value, done } = await this.lines.next();
    if (done) {
      await this.exited;
      throw new Error(`${this.label} exited (${this.child.exitCode ?? this.child.signalCode}) before it answered`);
    }
    return value;
  }
}

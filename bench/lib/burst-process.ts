import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { spawnTiedChild } from '../../scripts/lib/tied-child.ts';
import type { Burst } from './client-round.ts';

const roundScript = join(repoRoot, 'bench', 'lib', 'client-round.ts');

/**
 * A contender warmed up in a process of its own (lib/client-round.ts), which runs bursts of calls on
 * request. Stopped with the bench, also when the bench is interrupted (spawnTiedChild).
 */
export class BurstProcess {
  private readonly lines: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcess,
    lines: Interface,
    private readonly label: string,
  ) {
    this.lines = lines[Symbol.asyncIterator]();
  }

  /** Starts `client-round.ts <args>` on `node` and resolves once it has warmed up. */
  static async start(node: string, args: string[]): Promise<BurstProcess> {
    const child = spawnTiedChild(['--expose-gc', '--import', 'tsx', roundScript, ...args], 'capture', process.env, { node, input: 'pipe' });
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk)); // not pipe(): each pipe adds listeners to stderr, and a set of contenders passes its limit
    const started = new BurstProcess(child, createInterface({ input: child.stdout! }), `client-round.ts ${args.slice(0, 2).join(' ')}`);
    await started.nextLine();
    return started;
  }

  /** Makes calls for `ms` milliseconds and resolves how many, with their wall and CPU time. */
  async run(ms: number): Promise<Burst> {
    this.child.stdin!.write(`${ms}\n`);
    return JSON.parse(await this.nextLine()) as Burst;
  }

  async stop(): Promise<void> {
    const exited = this.child.exitCode === null ? once(this.child, 'exit') : Promise.resolve();
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private async nextLine(): Promise<string> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`${this.label} exited (${this.child.exitCode ?? this.child.signalCode}) before it answered`);
    return value;
  }
}

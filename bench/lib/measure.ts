import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { repoRoot } from '../../scripts/lib/paths.ts';

export interface Measure {
  seconds: number;
  /** The largest resident set of any one process of the step (GNU time's %M). */
  processMiB: number;
  /** The largest sum of resident sets of the whole process tree at one moment (sampled from /proc every 20 ms). */
  treeMiB: number;
  /** User and system CPU seconds of the whole tree. */
  cpuSeconds: number;
  output: string;
}

const pageBytes = 4096;

function childrenOf(pid: number): number[] {
  try {
    // A child is listed under the thread that forked it, so every thread is read.
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return []; // the process has exited
  }
}

function residentBytes(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * pageBytes;
  } catch {
    return 0;
  }
}

/** The resident set of a process and all its descendants, now. */
export function treeResidentBytes(root: number): number {
  let total = 0;
  const pending = [root];
  while (pending.length) {
    const pid = pending.pop()!;
    total += residentBytes(pid);
    pending.push(...childrenOf(pid));
  }
  return total;
}

/** Runs a command to the end under GNU time, sampling its tree's memory; throws with its output if it fails. */
export function measure(command: string[], env: Record<string, string> = {}): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', ...command], {
      cwd: repoRoot,
      env: { ...process.env, ...env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    let treePeak = 0;
    const sampler = setInterval(() => (treePeak = Math.max(treePeak, treeResidentBytes(child.pid!))), 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`${command.join(' ')} exited ${code}:\n${output}`));
      const lines = output.trimEnd().split('\n');
      const [processKiB, user, system] = lines.pop()!.split(' ').map(Number);
      const processMiB = processKiB! / 1024;
      // GNU time's own few MiB are in the tree; a sample can miss a short peak the largest process had.
      resolve({ seconds, processMiB, treeMiB: Math.max(treePeak / 2 ** 20, processMiB), cpuSeconds: user! + system!, output: lines.join('\n') });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median time of several runs, and the largest memory any of them used. */
export function summarize(runs: Measure[]): Measure {
  return {
    seconds: median(runs.map((m) => m.seconds)),
    processMiB: Math.max(...runs.map((m) => m.processMiB)),
    treeMiB: Math.max(...runs.map((m) => m.treeMiB)),
    cpuSeconds: median(runs.map((m) => m.cpuSeconds)),
    output: runs.at(-1)!.output,
  };
}

/** Alternates ours and bare `rounds` times so the machine's noise hits both alike. */
export async function sideBySide(ours: () => Promise<Measure>, bare: () => Promise<Measure>, rounds: number): Promise<{ ours: Measure; bare: Measure }> {
  const runs = { ours: [] as Measure[], bare: [] as Measure[] };
  for (let i = 0; i < rounds; i++) {
    // Who goes first alternates too: a step run second can find files in the page cache.
    if (i % 2 === 0) {
      runs.ours.push(await ours());
      runs.bare.push(await bare());
    } else {
      runs.bare.push(await bare());
      runs.ours.push(await ours());
    }
  }
  return { ours: summarize(runs.ours), bare: summarize(runs.bare) };
}

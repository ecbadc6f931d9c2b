import { spawnTiedChild } from '../scripts/lib/tied-child.ts';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when it was killed for running past its time. */
  timedOut: boolean;
}

/**
 * Runs `program args` in `cwd` to its end, tied to this process (scripts/lib/tied-child.ts: it dies
 * with us, however we end), and kills it after `timeoutMs`. Never rejects on a failure exit: the
 * caller reads the code and output. Output is capped at the last 1 MB of each stream.
 */
export function runToEnd(program: string, args: string[], { cwd, env = process.env, timeoutMs = 120_000 }: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawnTiedChild(args, 'capture', env, { node: program, cwd });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(-1_000_000)));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-1_000_000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** The last line of `stdout` that parses as a JSON object, or undefined. */
export function lastJsonLine(stdout: string): unknown {
  for (const line of stdout.trim().split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line);
    } catch {
      // Not the report: keep looking.
    }
  }
  return undefined;
}

/** The end of a process's output, for a failure message: its last lines, at most `max` characters. */
export function tail(text: string, max = 1_500): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `…${trimmed.slice(-max)}` : trimmed;
}

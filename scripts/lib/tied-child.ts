import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { repoRoot } from './paths.ts';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export interface TiedChildOptions {
  /** The Node executable to run; default this process's own. */
  node?: string;
  /** `pipe` gives the caller the child's stdin, a number makes that open file descriptor its stdin; default the child reads nothing. */
  input?: 'ignore' | 'pipe' | number;
  /** The child's working directory; default the repository root. */
  cwd?: string;
}

/**
 * Starts `node <args>` (this Node, unless `options.node` names another) as a child that does not
 * outlive this process, whether it exits normally, by a signal, or is killed: an exit hook kills it,
 * and on Linux setpriv execs it in place (same pid) asking the kernel to SIGTERM it when we die,
 * which covers a SIGKILL of this process, when no exit hook can run. `output`: inherit our stdout
 * and stderr, or pipe them for the caller.
 */
export function spawnTiedChild(
  args: string[],
  output: 'inherit' | 'capture',
  env: NodeJS.ProcessEnv = process.env,
  { node = process.execPath, input = 'ignore', cwd = repoRoot }: TiedChildOptions = {},
): ChildProcess {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const child of running) child.kill('SIGKILL');
    });
  }
  const useSetpriv = process.platform === 'linux' && existsSync('/usr/bin/setpriv');
  const command = useSetpriv ? '/usr/bin/setpriv' : node;
  const commandArgs = useSetpriv ? ['--pdeathsig', 'TERM', '--', node, ...args] : args;
  const child = spawn(command, commandArgs, {
    cwd,
    stdio: [input, output === 'inherit' ? 'inherit' : 'pipe', output === 'inherit' ? 'inherit' : 'pipe'],
    env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** A process's parent pid and start time (in clock ticks since boot) from /proc, or undefined when it is gone. */
function procStat(pid: number): { ppid: number; started: string; command: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command is in parentheses and may hold spaces; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return { ppid: Number(fields[1]), started: fields[19] ?? '', command };
  } catch {
    return undefined;
  }
}

/**
 * The processes this one was launched through, nearest first: the parent, and when the parent is a
 * shell that npm started (`npm run mock` runs `sh -c node …`), the ancestors up to npm itself. Each
 * with its start time, so a pid reused by another process does not count as the launcher.
 */
function launchers(): Array<{ pid: number; started: string }> {
  const found: Array<{ pid: number; started: string }> = [];
  let pid = process.ppid;
  for (let depth = 0; depth < 4 && pid > 1; depth++) {
    const stat = procStat(pid);
    if (!stat) break;
    found.push({ pid, started: stat.started });
    const isNpm = /(^|\/)npm(-cli\.js)?\b|\bnpm-cli\.js\b/.test(stat.command);
    const isShell = /^(\/\S*\/)?(sh|bash|dash)\s/.test(stat.command);
    if (isNpm || !isShell || process.env.npm_lifecycle_event === undefined) break;
    pid = stat.ppid;
  }
  return found;
}

/**
 * Calls `stop` once the process that launched this one is gone: its parent, or, under `npm run`,
 * npm itself or the shell between (see launchers). Killing npm's pid does not reach its script's
 * process (npm's shell dies and the script is re-parented, or npm dies and the shell waits on), so
 * a long-running script such as `npm run mock` watches for it and shuts down, its tied children
 * with it. Linux only (it reads /proc); elsewhere it watches nothing. Returns a function that stops
 * watching. Polls every `intervalMs` on an unref'd timer, so it never keeps the process alive.
 */
export function stopWhenLauncherGoes(stop: () => void, intervalMs = 500): () => void {
  if (process.platform !== 'linux') return () => {};
  const watched = launchers();
  const parent = process.ppid;
  const timer = setInterval(() => {
    const gone = process.ppid !== parent || watched.some(({ pid, started }) => procStat(pid)?.started !== started);
    if (!gone) return;
    clearInterval(timer);
    stop();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { repoRoot } from './paths.ts';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export interface TiedChildOptions {
  /** The Node executable to run; default this process's own. */
  node?: string;
  /** `pipe` gives the caller the child's stdin, a number makes that open file descriptor its stdin; default the child reads nothing. */
  input?: 'ignore' | 'pipe' | number;
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
  { node = process.execPath, input = 'ignore' }: TiedChildOptions = {},
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
    cwd: repoRoot,
    stdio: [input, output === 'inherit' ? 'inherit' : 'pipe', output === 'inherit' ? 'inherit' : 'pipe'],
    env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

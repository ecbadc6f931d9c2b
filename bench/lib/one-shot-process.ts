import { once } from 'node:events';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { spawnTiedChild } from '../../scripts/lib/tied-child.ts';

/** Runs `client-round.ts <args>` on `node` to its end and resolves the JSON of its last line. */
export async function runInFreshProcess<T>(node: string, args: string[]): Promise<T> {
  const child = spawnTiedChild(['--expose-gc', '--import', 'tsx', join(repoRoot, 'bench', 'lib', 'client-round.ts'), ...args], 'capture', process.env, { node });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`bench/lib/client-round.ts ${args.slice(0, 2).join(' ')} exited ${code ?? signal}`);
  return JSON.parse(output.trim().split('\n').at(-1)!) as T;
}

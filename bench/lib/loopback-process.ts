import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../scripts/lib/paths.ts';
import { spawnTiedChild } from '../../scripts/lib/tied-child.ts';

/**
 * Starts lib/loopback-server.ts in a process of its own (this Node, so the server is the same whatever
 * Node the contenders run on); resolves its base URL and a function that stops it. `answerFile`: a
 * JSON file `{headers, body}` to answer with instead of the spec's example list.
 */
export async function startLoopbackServer(answerFile?: string): Promise<{ baseUrl: string; pid: number; stop: () => Promise<void> }> {
  const script = join(repoRoot, 'bench', 'lib', 'loopback-server.ts');
  const server = spawnTiedChild(['--import', 'tsx', script, ...(answerFile ? [answerFile] : [])], 'capture', process.env, { input: 'pipe' });
  server.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const exited = once(server, 'exit');
  const listening = once(createInterface({ input: server.stdout! }), 'line') as Promise<[string]>;
  const [line] = await Promise.race([
    listening,
    exited.then(() => {
      throw new Error('bench/lib/loopback-server.ts exited before it listened');
    }),
  ]);
  const { port } = JSON.parse(line) as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: server.pid ?? -1,
    stop: async () => {
      server.stdin!.end();
      const timer = setTimeout(() => server.kill(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

import type { ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { toolBins } from './paths.ts';
import { PipelineError } from './run-tool.ts';
import { spawnTiedChild } from './tied-child.ts';

export interface PrismOptions {
  /** The bundled spec to serve. */
  spec: string;
  /** 0 picks a free port. */
  port?: number;
  /** `mock` serves examples; `proxy` forwards to `upstream` and reports contract violations. */
  mode?: 'mock' | 'proxy';
  upstream?: string;
  /** Extra Prism flags, such as `--dynamic` or `--seed`. */
  args?: string[];
  /** `inherit` shows Prism's own request log; `capture` keeps it for error messages. */
  output?: 'inherit' | 'capture';
  /** How long Prism may take to answer once started. Default 180 s: on a loaded machine it has taken over 60. */
  readyTimeoutMs?: number;
}

export interface RunningPrism {
  url: string;
  port: number;
  pid: number;
  /** What Prism has printed so far, when its output is captured. */
  log(): string;
  stop(): Promise<void>;
}

/** Loopback only: servers started here are never reachable from another machine. */
const host = '127.0.0.1';

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Prism could not bind its port: another process took it between our check and Prism's bind. */
class PortTakenError extends PipelineError {}

/**
 * Whether process `pid` holds the listening socket of `port`. A port that answers may belong to
 * another server that took it first (tests start several Prisms at once); on Linux we ask /proc.
 */
function listensOn(pid: number | undefined, port: number): boolean {
  if (process.platform !== 'linux' || pid === undefined) return true;
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns[1]?.endsWith(hexPort) && columns[3] === '0A') inodes.add(`socket:[${columns[9]}]`);
    }
  }
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

async function waitUntilAnswering(url: string, port: number, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (log().includes('EADDRINUSE')) throw new PortTakenError(`Port ${port} was taken before Prism could bind it.`);
      throw new PipelineError(`Prism exited (${child.exitCode ?? child.signalCode}) before it answered:\n${log()}`);
    }
    try {
      await fetch(url, { signal: AbortSignal.timeout(500) });
      // Any HTTP answer, even a 404 or 401, means a server is up; it must also be ours.
      if (listensOn(child.pid, port)) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new PipelineError(`Prism did not answer on ${url} within ${timeoutMs} ms:\n${log()}`);
}

export async function startPrism(options: PrismOptions): Promise<RunningPrism> {
  if (!existsSync(options.spec)) {
    throw new PipelineError(`No spec at ${options.spec}: run \`npm run bundle\` first.`);
  }
  if ((options.mode ?? 'mock') === 'proxy' && !options.upstream) throw new PipelineError('Prism proxy mode needs an upstream URL.');
  // A free port can be taken by someone else before Prism binds it; then pick another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPrismOn(options.port || (await findFreePort()), options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || options.port || attempt === 3) throw error;
    }
  }
}

async function startPrismOn(port: number, options: PrismOptions): Promise<RunningPrism> {
  const mode = options.mode ?? 'mock';
  const positional = mode === 'proxy' ? [options.spec, options.upstream ?? ''] : [options.spec];
  const args = [toolBins.prism, mode, ...positional, '--host', host, '--port', String(port), ...(options.args ?? [])];
  const output = options.output ?? 'capture';

  const starting = performance.now();
  const child = spawnTiedChild(args, output);
  let captured = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (captured = (captured + chunk).slice(-20_000)));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (captured = (captured + chunk).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(forced);
  };

  const url = `http://${host}:${port}`;
  try {
    await waitUntilAnswering(url, port, child, options.readyTimeoutMs ?? 180_000, () => captured);
  } catch (error) {
    await stop();
    throw error;
  }
  // The scale benchmark measures how much of the suite's time goes to starting mocks: start and end, epoch ms.
  if (process.env.METORIAL_PRISM_TIMINGS) {
    appendFileSync(process.env.METORIAL_PRISM_TIMINGS, `${Math.round(performance.timeOrigin + starting)} ${Math.round(performance.timeOrigin + performance.now())}\n`);
  }
  return { url, port, pid: child.pid ?? -1, log: () => captured, stop };
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../scripts/lib/paths.ts';
import { findFreePort, type RunningPrism, startPrism } from '../scripts/lib/prism.ts';
import { PipelineError } from '../scripts/lib/run-tool.ts';
import { spawnTiedChild } from '../scripts/lib/tied-child.ts';
import type { FaultOptions } from './faults.ts';

export interface StartSandboxOptions {
  /** The bundled spec, as JSON (`dist/openapi.json`, or the suite's `specFile`). */
  spec: string;
  /** The port of the URL to call (Prism's); 0 or absent picks a free one. */
  port?: number;
  /** Seed of the generated data: the same seed gives the same data. Default 1. */
  seed?: number;
  /** Objects of each resource. Default 100. */
  count?: number;
  /** Latency and error answers on every request (per request: the X-Sandbox-* headers). */
  faults?: FaultOptions;
  /** Keeps state in this file across restarts (written atomically); in memory only when absent. */
  dataFile?: string;
  /** A created run's lifecycle in declared time times this (0.1: ten times faster). Default 1. */
  lifecycleScale?: number;
  /** Put Prism's validating proxy in front (default true); false serves the sandbox alone at `url`. */
  prism?: boolean;
  /** Extra Prism flags, such as `['--verboseLevel', 'info']`. Default warn level. */
  prismArgs?: string[];
  /** `inherit` shows both processes' output; `capture` (default) keeps it for errors and `log()`. */
  output?: 'inherit' | 'capture';
  /** How long the sandbox and Prism may take to start, ms. Default 60 s (a loaded machine). */
  readyTimeoutMs?: number;
}

export interface RunningSandbox {
  /** The URL to call: Prism's validating proxy (`prism proxy --errors`) in front of the sandbox. */
  url: string;
  /** The sandbox itself, without Prism (control routes, and what Prism would reject). */
  directUrl: string;
  /** The sandbox process's id (to read its memory). */
  pid: number;
  /** Prism's process id, when it runs. */
  prismPid: number | undefined;
  /** What the sandbox and Prism have printed, when captured. */
  log(): string;
  /** Stops both; safe to call twice. */
  stop(): Promise<void>;
}

/** The sandbox's own process (`sandbox/main.ts`, run with tsx), tied to this one so it never outlives it. */
async function startSandboxProcess(options: StartSandboxOptions, port: number): Promise<{ url: string; pid: number; log(): string; stop(): Promise<void> }> {
  const args = ['--import', 'tsx', join(repoRoot, 'sandbox', 'main.ts'), '--spec', options.spec, '--port', String(port)];
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  if (options.count !== undefined) args.push('--count', String(options.count));
  if (options.dataFile) args.push('--data-file', options.dataFile);
  if (options.lifecycleScale !== undefined) args.push('--lifecycle-scale', String(options.lifecycleScale));
  const faults = options.faults ?? {};
  if (faults.latencyMs !== undefined) args.push('--latency-ms', String(faults.latencyMs));
  if (faults.status !== undefined) args.push('--fault', String(faults.status));
  if (faults.rate !== undefined) args.push('--fault-rate', String(faults.rate));
  if (faults.retryAfterSeconds !== undefined) args.push('--retry-after', String(faults.retryAfterSeconds));
  const child = spawnTiedChild(args, 'capture');
  let captured = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    let pending = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (options.output === 'inherit') process.stdout.write(chunk);
      captured = (captured + chunk).slice(-20_000);
      pending += chunk;
      const line = /^\{"url":"([^"]+)"\}$/m.exec(pending);
      if (line?.[1]) resolve(line[1]);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (options.output === 'inherit') process.stderr.write(chunk);
      captured = (captured + chunk).slice(-20_000);
    });
    child.once('exit', (code, signal) => reject(new PipelineError(`The sandbox exited (${code ?? signal}) before it listened:\n${captured}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(forced);
  };
  try {
    const timeout = options.readyTimeoutMs ?? 60_000;
    const waited = new AbortController();
    const late = sleep(timeout, undefined, { signal: waited.signal }).then(() => Promise.reject(new PipelineError(`The sandbox did not listen within ${timeout} ms:\n${captured}`)));
    late.catch(() => undefined);
    try {
      const listening = await Promise.race([url, late]);
      return { url: listening, pid: child.pid ?? -1, log: () => captured, stop };
    } finally {
      waited.abort();
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts the sandbox (a process of its own, on 127.0.0.1) and Prism's validating proxy in front of
 * it (`prism proxy --errors`): every request is checked against the spec as by the mock, and every
 * answer of the sandbox too. Both are stopped by `stop()`, and with this process however it ends.
 * @throws PipelineError when the spec file is missing or either process does not start.
 */
export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  if (!existsSync(options.spec)) throw new PipelineError(`No spec at ${options.spec}: run \`npm run bundle\` first.`);
  const withPrism = options.prism ?? true;
  // The sandbox's port is picked first, so that Prism can start beside it instead of after it.
  for (let attempt = 1; ; attempt++) {
    const sandboxPort = withPrism ? await findFreePort() : (options.port ?? 0);
    const starting = startSandboxProcess(options, sandboxPort);
    const proxy: Promise<RunningPrism | undefined> = withPrism
      ? startPrism({
          spec: options.spec,
          mode: 'proxy',
          upstream: `http://127.0.0.1:${sandboxPort}`,
          args: ['--errors', ...(options.prismArgs ?? ['--verboseLevel', 'warn'])],
          output: options.output ?? 'capture',
          readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
          ...(options.port ? { port: options.port } : {}),
        })
      : Promise.resolve(undefined);
    const [sandbox, prism] = await Promise.allSettled([starting, proxy]);
    if (sandbox.status === 'fulfilled' && prism.status === 'fulfilled') {
      const stop = async () => {
        await Promise.all([sandbox.value.stop(), prism.value?.stop()]);
      };
      return {
        url: prism.value?.url ?? sandbox.value.url,
        directUrl: sandbox.value.url,
        pid: sandbox.value.pid,
        prismPid: prism.value?.pid,
        log: () => `${sandbox.value.log()}${prism.value ? `\n${prism.value.log()}` : ''}`,
        stop,
      };
    }
    if (sandbox.status === 'fulfilled') await sandbox.value.stop();
    if (prism.status === 'fulfilled') await prism.value?.stop();
    const failure = sandbox.status === 'rejected' ? sandbox.reason : prism.status === 'rejected' ? prism.reason : undefined;
    // Another process took the sandbox's port between our check and its bind: pick another.
    if (attempt < 3 && sandbox.status === 'rejected' && /EADDRINUSE/.test(String((failure as Error).message))) continue;
    throw failure;
  }
}

import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolBins } from './paths.ts';
import { spawnTiedChild } from './tied-child.ts';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The tool was stopped because it ran past `timeoutMs`. */
  timedOut?: boolean;
}

/** A tool failed in a way the user has to act on; the message says what to do. */
export class PipelineError extends Error {
  override name = 'PipelineError';
}

// Redocly CLI prints a boxed Node 20 end-of-life notice on every run; it is not about the spec.
const bannerLine = /^\s*[╔║╚].*$/;

export function withoutBanner(output: string): string {
  return output
    .split('\n')
    .filter((line) => !bannerLine.test(line))
    .join('\n')
    .trim();
}

/**
 * A file holding `input`, opened for reading, to be a child's standard input; `close` removes it.
 * A file rather than a pipe: a tool that reads its whole input with one synchronous read (Spectral
 * does) fails with EAGAIN on a pipe that has not filled yet, which a large spec on a busy machine hits.
 */
function inputFile(input: string): { fd: number; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'metorial-tool-input-'));
  const file = join(dir, 'input');
  writeFileSync(file, input);
  const fd = openSync(file, 'r');
  let open = true;
  return {
    fd,
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a tool's CLI with this Node, captures its output, and resolves with its exit code. The tool
 * does not outlive this process (spawnTiedChild).
 * `input`, when given, is the tool's standard input (for tools that read a document from it);
 * `timeoutMs`, when given, is how long it may run before it is killed (the result says `timedOut`).
 */
export function runTool(tool: keyof typeof toolBins, args: string[], input?: string, { timeoutMs }: { timeoutMs?: number | undefined } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const stdin = input === undefined ? undefined : inputFile(input);
    // Tied to this process: a build stopped midway (a test run interrupted, Ctrl-C) leaves no tool running.
    const child = spawnTiedChild([toolBins[tool], ...args], 'capture', { ...process.env, REDOCLY_TELEMETRY: 'off' }, { input: stdin?.fd ?? 'ignore' });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    // Both are 'pipe' above, so never null.
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      stdin?.close();
      reject(new PipelineError(`Could not start ${tool} (${error.message}). Run \`npm ci\` to install the toolchain.`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      stdin?.close();
      resolve({ code: code ?? 1, stdout, stderr, ...(timedOut ? { timedOut } : {}) });
    });
  });
}

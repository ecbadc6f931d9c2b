import { spawn } from 'node:child_process';
import { repoRoot, toolBins } from './paths.ts';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
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
 * Runs a tool's CLI with this Node, captures its output, and resolves with its exit code.
 * `input`, when given, is written to the tool's standard input (for tools that read a document from it).
 */
export function runTool(tool: keyof typeof toolBins, args: string[], input?: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [toolBins[tool], ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', REDOCLY_TELEMETRY: 'off' },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // Both are 'pipe' above, so never null.
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) =>
      reject(new PipelineError(`Could not start ${tool} (${error.message}). Run \`npm ci\` to install the toolchain.`)),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    // A tool that exits before reading all of its input closes the pipe: its exit code tells what went wrong.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
  });
}

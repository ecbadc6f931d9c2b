import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from './paths.ts';
import { runTool, withoutBanner } from './run-tool.ts';

export const workflowsFile = join(repoRoot, 'arazzo', 'metorial.arazzo.yaml');

export interface WorkflowsRun {
  passed: boolean;
  /** Respect's report, readable. */
  output: string;
  /** Per workflow: its id and whether every step and check passed. */
  workflows: { workflowId: string; passed: boolean }[];
}

interface RespectJson {
  files: Record<string, { executedWorkflows: { workflowId: string; status: string }[] }>;
}

/**
 * Runs Arazzo workflows with Redocly's `respect` against a server. Respect also checks every answer
 * against the spec (status, content type, schema) beside each step's own success criteria.
 */
export async function runWorkflows(options: { serverUrl: string; apiKey: string; file?: string }): Promise<WorkflowsRun> {
  const file = options.file ?? workflowsFile;
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-respect-'));
  const jsonFile = join(scratch, 'respect.json');
  try {
    const result = await runTool('redocly', [
      'respect',
      relative(repoRoot, file),
      '--server',
      `metorial=${options.serverUrl}`,
      '--input',
      `apiKey=${options.apiKey}`,
      '--json-output',
      jsonFile,
    ]);
    const output = withoutBanner(`${result.stdout}\n${result.stderr}`);
    let report: RespectJson | undefined;
    try {
      report = JSON.parse(readFileSync(jsonFile, 'utf8')) as RespectJson;
    } catch {
      // No report: respect stopped before running (a lint error in the workflow file); the output says why.
    }
    const workflows = Object.values(report?.files ?? {}).flatMap((f) =>
      f.executedWorkflows.map((w) => ({ workflowId: w.workflowId, passed: w.status === 'success' })),
    );
    return { passed: result.code === 0 && workflows.length > 0 && workflows.every((w) => w.passed), output, workflows };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

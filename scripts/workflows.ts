import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { bundleSpec } from './lib/bundle.ts';
import { type ArazzoDocument, workflowLinkProblems } from './lib/checks/workflow-links.ts';
import { runMain } from './lib/cli.ts';
import { type RunningSandbox, startSandbox } from '../sandbox/start.ts';
import { runWorkflows, workflowsFile } from './lib/respect.ts';
import { PipelineError } from './lib/run-tool.ts';

const usage = 'Usage: npm run workflows -- [--server https://api.example.com --key metorial_sk_...]';

/** Runs the Arazzo workflows against a server, or against a sandbox started for the run (they need state). */
runMain(async () => {
  const { values } = parseArgs({ options: { server: { type: 'string' }, key: { type: 'string' } } });
  const apiKey = values.key ?? process.env.METORIAL_API_KEY ?? (values.server ? undefined : 'metorial_sk_workflows');
  if (!apiKey) throw new PipelineError(`A server needs a key: pass --key or set METORIAL_API_KEY.\n${usage}`);
  if (values.server && !URL.canParse(values.server)) throw new PipelineError(`--server must be a URL, not "${values.server}".\n${usage}`);
  let sandbox: RunningSandbox | undefined;
  // A private bundle: Prism restarts when the file it serves changes, so it must not serve dist/.
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-workflows-'));
  try {
    const document = await bundleSpec(scratch);
    // The workflows are built on the spec's links (DECISIONS BC6): a hand-off no link declares is a mistake in one of the two.
    const problems = workflowLinkProblems(document, parse(readFileSync(workflowsFile, 'utf8')) as ArazzoDocument);
    if (problems.length) throw new PipelineError(`The workflows and the spec's links disagree:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    if (!values.server) sandbox = await startSandbox({ spec: join(scratch, 'openapi.json') });
    const run = await runWorkflows({ serverUrl: values.server ?? sandbox!.url, apiKey });
    console.log(run.output);
    if (!run.passed) throw new PipelineError('A workflow failed: the steps marked ✗ above say which check and why.');
  } finally {
    await sandbox?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});

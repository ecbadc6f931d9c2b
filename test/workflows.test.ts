import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { repoRoot } from '../scripts/lib/paths.ts';
import { runWorkflows, workflowsFile } from '../scripts/lib/respect.ts';

const sandboxUrl = inject('sandboxUrl');
/** A key of its own: the sandbox keeps each key's writes apart from every other test's. */
const apiKey = () => `metorial_sk_workflow_${randomUUID().replaceAll('-', '')}`;
const scratch = mkdtempSync(join(tmpdir(), 'metorial-workflows-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('runs every Arazzo workflow against the sandbox: what was created is what is read back', async () => {
  const run = await runWorkflows({ serverUrl: sandboxUrl, apiKey: apiKey() });
  expect(run.workflows, run.output).toEqual([
    { workflowId: 'manageSessionTemplateProvider', passed: true },
    { workflowId: 'inspectProviderRun', passed: true },
    { workflowId: 'runToCompletion', passed: true },
  ]);
  expect(run.passed, run.output).toBe(true);
}, 180_000);

it('fails the writing workflows against a server that keeps no state (the static mock), and names the check', async () => {
  const run = await runWorkflows({ serverUrl: inject('mockUrl'), apiKey: apiKey() });
  expect(run.passed).toBe(false);
  expect(run.workflows).toEqual([
    { workflowId: 'manageSessionTemplateProvider', passed: false },
    { workflowId: 'inspectProviderRun', passed: true },
    { workflowId: 'runToCompletion', passed: false },
  ]);
  expect(run.output).toContain("$response.body#/id != 'stp_3cDeFgHjKlMnPqRs'");
}, 180_000);

it('fails a workflow whose success criteria the server does not meet, and names it', async () => {
  const broken = readFileSync(workflowsFile, 'utf8')
    .replace('url: ../spec/openapi.yaml', `url: ${join(repoRoot, 'spec', 'openapi.yaml')}`)
    .replace("$response.body#/status == 'deleted'", "$response.body#/status == 'active'");
  const file = join(scratch, 'broken.arazzo.yaml');
  writeFileSync(file, broken);
  const run = await runWorkflows({ serverUrl: sandboxUrl, apiKey: apiKey(), file });
  expect(run.passed).toBe(false);
  expect(run.workflows).toEqual([
    { workflowId: 'manageSessionTemplateProvider', passed: false },
    { workflowId: 'inspectProviderRun', passed: true },
    { workflowId: 'runToCompletion', passed: true },
  ]);
  expect(run.output).toContain("$response.body#/status == 'active'");
}, 180_000);

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { repoRoot } from '../scripts/lib/paths.ts';
import { runWorkflows, workflowsFile } from '../scripts/lib/respect.ts';

const mockUrl = inject('mockUrl');
const apiKey = 'metorial_sk_workflow_test';
const scratch = mkdtempSync(join(tmpdir(), 'metorial-workflows-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('runs every Arazzo workflow against the mock, with each step and check passing', async () => {
  const run = await runWorkflows({ serverUrl: mockUrl, apiKey });
  expect(run.workflows).toEqual([
    { workflowId: 'manageSessionTemplateProvider', passed: true },
    { workflowId: 'inspectProviderRun', passed: true },
  ]);
  expect(run.passed, run.output).toBe(true);
});

it('fails a workflow whose success criteria the server does not meet, and names it', async () => {
  const broken = readFileSync(workflowsFile, 'utf8')
    .replace('url: ../spec/openapi.yaml', `url: ${join(repoRoot, 'spec', 'openapi.yaml')}`)
    .replace("$response.body#/status == 'deleted'", "$response.body#/status == 'active'");
  const file = join(scratch, 'broken.arazzo.yaml');
  writeFileSync(file, broken);
  const run = await runWorkflows({ serverUrl: mockUrl, apiKey, file });
  expect(run.passed).toBe(false);
  expect(run.workflows).toEqual([
    { workflowId: 'manageSessionTemplateProvider', passed: false },
    { workflowId: 'inspectProviderRun', passed: true },
  ]);
  expect(run.output).toContain("$response.body#/status == 'active'");
});

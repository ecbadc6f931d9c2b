import { readFileSync } from 'node:fs';
import type { OpenAPI3 } from 'openapi-typescript';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { type ArazzoDocument, workflowLinkProblems } from '../scripts/lib/checks/workflow-links.ts';
import { workflowsFile } from '../scripts/lib/respect.ts';

const document = JSON.parse(readFileSync(inject('specFile'), 'utf8')) as OpenAPI3;
const workflows = () => parse(readFileSync(workflowsFile, 'utf8')) as Required<ArazzoDocument>;
const stepsOf = (arazzo: Required<ArazzoDocument>, workflowId: string) => arazzo.workflows.find((w) => w.workflowId === workflowId)!.steps!;

describe('the Arazzo workflows, against the spec\'s links (DECISIONS BC6)', () => {
  it('hand every created id on along a declared link, and walk every link', () => {
    expect(workflowLinkProblems(document, workflows())).toEqual([]);
  });

  it('name a link no workflow walks', () => {
    const arazzo = workflows();
    const steps = stepsOf(arazzo, 'manageSessionTemplateProvider');
    steps.splice(steps.findIndex((s) => s.stepId === 'delete'), 1);
    expect(workflowLinkProblems(document, arazzo)).toEqual([expect.stringMatching(/^Link DeleteSessionTemplateProvider of createSessionTemplateProvider \(to deleteSessionTemplateProvider, session_template_provider_id = \$response\.body#\/id\) is walked by no Arazzo workflow/)]);
  });

  it('name a hand-off that follows no link: another operation, another parameter, or another value of the answer', () => {
    const arazzo = workflows();
    const [create, poll] = stepsOf(arazzo, 'runToCompletion');
    create!.outputs = { ...create!.outputs, agent: '$response.body#/agent_id' };
    poll!.parameters![0]!.value = '$steps.create.outputs.agent';
    const problems = workflowLinkProblems(document, arazzo);
    expect(problems).toContainEqual(expect.stringMatching(/^Workflow runToCompletion: step poll passes \$response\.body#\/agent_id of step create \(createRun\) to getRun's run_id, but createRun's response declares no link to getRun with run_id = \$response\.body#\/agent_id\./));
    // And the link the step no longer follows is now walked by none.
    expect(problems).toContainEqual(expect.stringMatching(/^Link GetRun of createRun/));
  });
});

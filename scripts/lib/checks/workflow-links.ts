import type { OpenAPI3 } from 'openapi-typescript';
import { type Creation, creationsOf } from './links.ts';

/** The parts of an Arazzo 1.0 document (https://spec.openapis.org/arazzo/v1.0.1) this check reads. */
export interface ArazzoDocument {
  workflows?: Array<{
    workflowId: string;
    steps?: Array<{
      stepId: string;
      /** `$sourceDescriptions.<name>.<operationId>` or a bare operationId. */
      operationId?: string;
      parameters?: Array<{ name: string; in?: string; value?: unknown }>;
      outputs?: Record<string, string>;
    }>;
  }>;
}

/** One step of a workflow calling an operation with a value another step's create answered. */
interface HandOff {
  workflowId: string;
  fromStep: string;
  create: Creation;
  /** The runtime expression the create's step output holds (`$response.body#/id`). */
  expression: string;
  toStep: string;
  operationId: string;
  parameter: string;
}

const operationIdOf = (reference: string | undefined) => reference?.split('.').at(-1);

function handOffsOf(creationList: Creation[], arazzo: ArazzoDocument): HandOff[] {
  const creations = new Map(creationList.map((c) => [c.create.operationId, c]));
  const handOffs: HandOff[] = [];
  for (const workflow of arazzo.workflows ?? []) {
    const steps = new Map((workflow.steps ?? []).map((step) => [step.stepId, step]));
    for (const step of workflow.steps ?? []) {
      for (const parameter of step.parameters ?? []) {
        const from = typeof parameter.value === 'string' ? /^\$steps\.([^.]+)\.outputs\.(.+)$/.exec(parameter.value) : null;
        const source = from && steps.get(from[1]!);
        const create = source && creations.get(operationIdOf(source.operationId) ?? '');
        const expression = source?.outputs?.[from![2]!];
        if (!create || !expression) continue;
        handOffs.push({ workflowId: workflow.workflowId, fromStep: source.stepId, create, expression, toStep: step.stepId, operationId: operationIdOf(step.operationId) ?? '', parameter: parameter.name });
      }
    }
  }
  return handOffs;
}

/**
 * Whether the Arazzo workflows are built on the spec's OpenAPI links (OpenAPI 3.1 §4.8.20): every hand-off of
 * a value a create answered to a later step must follow a link that create's response declares (same
 * operation, same parameter, same runtime expression), and every link a create declares must be walked by
 * some workflow. Returns one sentence per problem, naming the workflow, the steps and the fix; `[]` when
 * they agree. Only creates' links are compared: they are the only links the spec declares (DECISIONS BC6).
 */
export function workflowLinkProblems(document: OpenAPI3, arazzo: ArazzoDocument): string[] {
  const creations = creationsOf(document);
  const handOffs = handOffsOf(creations, arazzo);
  const follows = (h: HandOff, link: Creation['links'][number]) => link.operation.operationId === h.operationId && link.parameters[h.parameter] === h.expression;
  const problems = handOffs
    .filter((h) => !h.create.links.some((link) => follows(h, link)))
    .map(
      (h) =>
        `Workflow ${h.workflowId}: step ${h.toStep} passes ${h.expression} of step ${h.fromStep} (${h.create.create.operationId}) to ${h.operationId}'s ${h.parameter}, but ${h.create.create.operationId}'s response declares no link to ${h.operationId} with ${h.parameter} = ${h.expression}. Add that link in spec/components/links/ and reference it from the response, or make the step follow a declared link.`,
    );
  for (const creation of creations) {
    for (const link of creation.links) {
      if (handOffs.some((h) => h.create === creation && follows(h, link))) continue;
      const [parameter, expression] = Object.entries(link.parameters)[0] ?? ['?', '?'];
      problems.push(
        `Link ${link.name} of ${creation.create.operationId} (to ${link.operation.operationId}, ${parameter} = ${expression}) is walked by no Arazzo workflow. Add a step calling ${link.operation.operationId} with ${parameter} from a ${creation.create.operationId} step's output, in arazzo/metorial.arazzo.yaml.`,
      );
    }
  }
  return problems;
}

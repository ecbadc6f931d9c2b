import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { DriftDetector } from '../scripts/lib/drift/drift.ts';
import { repoRoot } from '../scripts/lib/paths.ts';
import { type SdkShapes, sdkShapesDir } from '../scripts/lib/sdk-shapes/extract.ts';
import { samplesOf } from '../scripts/lib/sdk-shapes/samples.ts';
import { Contract } from './support/contract.ts';

/**
 * Answers shaped like each vendor SDK release's types (test/fixtures/sdk-shapes/, written by
 * `npm run sdk:shapes`), with every field filled, with null wherever the SDK allows null, and with a
 * field no one documents, must validate against the spec: the spec must not reject what the API sends.
 * They may fail only where a reference page says otherwise; each such place is listed here with the
 * DECISIONS entry that names it. A new SDK release is checked by adding its shapes file.
 */
const contract = new Contract(inject('specFile'));
const drift = new DriftDetector(contract.document as never);
const decisions = readFileSync(join(repoRoot, 'spec', 'DECISIONS.md'), 'utf8');
const releases = readdirSync(sdkShapesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(sdkShapesDir, f), 'utf8')) as SdkShapes);

/**
 * What the SDK's types leave out because the SDK does not read it, though the API sends it (facts):
 * the `object` of the list envelope and of the error body. The error's `status` is a number in the
 * SDK; a sample's 1 is no HTTP status, so the error samples say 404.
 */
const completions = {
  list: { object: 'list' },
  error: { object: 'error', status: 404 },
};

/**
 * Where samples fail, because a reference page says otherwise: `<release> <operation>` and the
 * problems (array indices as `*`), each with the DECISIONS entry that names the place.
 */
const pagesSayOtherwise: Record<string, { decision: string; problems: string[] }> = {};
const missing = (at: string, fields: string[]) => fields.map((f) => `${at} must have required property '${f}' {"missingProperty":"${f}"}`);
const expectAt = (release: string, operations: string[], decision: string, problems: (at: string) => string[]) => {
  for (const operationId of operations) {
    pagesSayOtherwise[`${release} ${operationId}`] = { decision, problems: problems(operationId.startsWith('list') ? '/items/*' : '(root)') };
  }
};
// Page 003 lists status, tool_filter, deployment, config and auth_config; this snapshot's provider has none of them.
expectAt(
  'magnetar-2026-02-21',
  ['listSessionTemplateProviders', 'getSessionTemplateProvider', 'createSessionTemplateProvider', 'updateSessionTemplateProvider', 'deleteSessionTemplateProvider'],
  'S10',
  (at) => missing(at, ['auth_config', 'config', 'deployment', 'status', 'tool_filter']),
);
// Page 004 lists code, data, status, connection_id, group_id, similar_error_count, and a String message.
expectAt('magnetar-2026-02-21', ['listAllSessionErrors', 'listSessionErrors', 'getSessionError'], 'S11', (at) => [
  ...missing(at, ['code', 'connection_id', 'data', 'group_id', 'similar_error_count', 'status']),
  `${at === '(root)' ? '' : at}/message must be string {"type":"string"}`,
]);
// Page 004 lists status; this snapshot's session error has every other field of the page.
expectAt('magnetar-2026-02-22', ['listAllSessionErrors', 'listSessionErrors', 'getSessionError'], 'S12', (at) => missing(at, ['status']));

const normalise = (problem: string) => problem.replace(/\/\d+(?=\/|\s)/g, '/*');

function problemsOf(operationId: string, value: unknown): string[] {
  return [...new Set(contract.problems(contract.responseValidator(operationId, 200), value).map(normalise))].sort();
}

function withCompletions(schema: { properties?: Record<string, unknown> }, value: unknown): unknown {
  const isList = schema.properties?.items !== undefined && schema.properties?.pagination !== undefined;
  return isList && value && typeof value === 'object' ? { ...completions.list, ...value } : value;
}

it('there are shapes of the installed SDK and of the source snapshots', () => {
  const names = releases.map((r) => r.name);
  expect(names).toContain('installed-generated-1.0.0');
  expect(names.filter((n) => n.startsWith('magnetar-')).length).toBeGreaterThanOrEqual(3);
  const installed = JSON.parse(readFileSync(join(repoRoot, 'node_modules', '@metorial', 'generated', 'package.json'), 'utf8')) as { version: string };
  const recorded = releases.find((r) => r.name === 'installed-generated-1.0.0')!.source as { version: string };
  expect(recorded.version, 'the installed @metorial/generated changed: run npm run sdk:shapes for it and add its file').toBe(installed.version);
});

describe.each(releases.map((r) => [r.name, r] as const))('samples of %s', (name, release) => {
  const answers = Object.entries(release.answers);

  it.each(answers.map(([operationId, answer]) => [operationId, answer] as const))(
    '%s validates, but where a page says otherwise',
    (operationId, answer) => {
      const found = new Set<string>();
      for (const sample of samplesOf(answer.schema)) {
        for (const problem of problemsOf(operationId, withCompletions(answer.schema as never, sample.value))) found.add(problem);
      }
      const expected = pagesSayOtherwise[`${name} ${operationId}`];
      expect([...found].sort(), `${name} ${operationId}: problems not in pagesSayOtherwise`).toEqual([...(expected?.problems ?? [])].sort());
      if (expected) expect(decisions, `DECISIONS names ${expected.decision}`).toContain(`| ${expected.decision} |`);
    },
  );

  it.each(answers.map(([operationId, answer]) => [operationId, answer] as const))(
    '%s with a field no one documents validates as without it, and drift names the field',
    (operationId, answer) => {
      const sample = withCompletions(answer.schema as never, samplesOf(answer.schema)[0]!.value) as Record<string, unknown>;
      const extended = { ...sample, sdk_sample_unknown_field: 'x' };
      expect(problemsOf(operationId, extended)).toEqual(problemsOf(operationId, sample));
      const { path, method } = contract.operation(operationId);
      const undocumented = drift.responseDrift(method, path, 200, extended).undocumented.map((u) => u.location);
      expect(undocumented).toContain('response.body.sdk_sample_unknown_field');
    },
  );

  it.runIf(release.error)('its error body validates against ErrorBody, nulls and unknown fields too', () => {
    const validate = contract.schemaValidator('ErrorBody');
    for (const sample of samplesOf(release.error!.schema)) {
      const value = { ...(sample.value as object), ...completions.error, sdk_sample_unknown_field: 'x' };
      expect(contract.problems(validate, value), `${name} error ${sample.name}`).toEqual([]);
    }
  });

  it.each(Object.entries(release.queries).map(([operationId, query]) => [operationId, query] as const))(
    '%s takes every query parameter the SDK sends',
    (operationId, query) => {
      const { path, method } = contract.operation(operationId);
      const operation = (contract.document.paths as Record<string, Record<string, { parameters?: { $ref?: string; name?: string }[] }>>)[path]![method]!;
      const names = new Set(
        (operation.parameters ?? []).map((p) =>
          p.$ref ? (contract.document.components!.parameters as Record<string, { name: string }>)[p.$ref.split('/').pop()!]!.name : p.name,
        ),
      );
      expect(query.parameters.filter((p) => !names.has(p))).toEqual([]);
    },
  );
});

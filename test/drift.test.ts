import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { DriftDetector, formatDrift } from '../scripts/lib/drift/drift.ts';
import type { SchemaNode } from '../scripts/lib/schema-node.ts';

const document = JSON.parse(readFileSync(inject('specFile'), 'utf8')) as Record<string, any>;
const detector = new DriftDetector(document);
const example = (name: string) => structuredClone(document.components.examples[name].value);
const listOf = (...items: unknown[]) => ({ object: 'list', items, pagination: { has_more_before: false, has_more_after: false } });

describe('the policy on added response fields (DECISIONS D6)', () => {
  it('no schema an answer is validated with is closed to fields it does not list', () => {
    const closed: string[] = [];
    const seen = new Set<string>();
    const visit = (node: unknown, where: string): void => {
      if (node === null || typeof node !== 'object') return;
      const schema = node as SchemaNode & { unevaluatedProperties?: unknown };
      if (schema.$ref?.startsWith('#/')) {
        if (seen.has(schema.$ref)) return;
        seen.add(schema.$ref);
        const target = schema.$ref.slice(2).split('/').reduce<any>((n, k) => n?.[k], document);
        return visit(target, schema.$ref);
      }
      if (schema.additionalProperties === false || schema.unevaluatedProperties === false) closed.push(where);
      for (const [key, value] of Object.entries(schema)) {
        if (key === 'examples' || key === 'example') continue;
        if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${where}/${key}/${i}`));
        else if (typeof value === 'object') visit(value, `${where}/${key}`);
      }
    };
    for (const item of Object.values<Record<string, any>>(document.paths)) {
      for (const operation of Object.values<any>(item)) {
        for (const response of Object.values<any>(operation?.responses ?? {})) visit(response, 'response');
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(closed).toEqual([]);
  });

  it('request bodies stay closed: an unknown field in a request is the caller’s mistake', () => {
    for (const name of ['CreateRunRequest', 'CreateSessionTemplateProviderRequest', 'UpdateSessionTemplateProviderRequest']) {
      expect(document.components.schemas[name].additionalProperties, name).toBe(false);
    }
  });
});

describe('DriftDetector', () => {
  it('finds nothing in the spec’s own examples', () => {
    expect(detector.responseDrift('get', '/server-runs/{server_run_id}', 200, example('ServerRun')).undocumented).toEqual([]);
    expect(detector.responseDrift('get', '/server-runs/{server_run_id}', 200, example('ServerRunStarting')).undocumented).toEqual([]);
  });

  it('names each undocumented field by place and schema, folding list items into one line with a count', () => {
    const run = example('ServerRun');
    run.server_session.mcp.transport_id = 'trn_1';
    run.region = 'eu';
    const findings = detector.responseDrift('get', '/server-runs', 200, listOf(run, run, example('ServerRun')));
    expect(findings.undocumented).toEqual([
      { location: 'response.body.items[].region', field: 'region', schema: 'ServerRun', count: 2 },
      { location: 'response.body.items[].server_session.mcp.transport_id', field: 'transport_id', schema: 'McpConnection', count: 2 },
    ]);
    expect(formatDrift(findings)).toContain('undocumented field transport_id at response.body.items[].server_session.mcp.transport_id (not in McpConnection), 2 times');
  });

  it('never reports the keys of a free-form map (metadata, data, capabilities)', () => {
    const error = { ...example('SessionError'), data: { anything: 1 } };
    expect(detector.responseDrift('get', '/sessions/{session_id}/errors/{session_error_id}', 200, error).undocumented).toEqual([]);
  });

  it('names the shape each answer took, and counts a field documented by any shape it fits as documented', () => {
    const page = example('ProviderRun');
    const newer = example('ProviderRunOnConnection');
    const both = { ...page, connection_id: 'scn_1' };
    const findings = detector.responseDrift('get', '/provider-runs', 200, listOf(page, newer, both));
    expect(findings.undocumented).toEqual([]);
    expect(findings.shapes).toEqual([
      { location: 'response.body.items[]', union: 'ProviderRun', shapes: ['ProviderRunDetailed'], count: 1 },
      { location: 'response.body.items[]', union: 'ProviderRun', shapes: ['ProviderRunOnConnection'], count: 1 },
      { location: 'response.body.items[]', union: 'ProviderRun', shapes: ['ProviderRunDetailed', 'ProviderRunOnConnection'], count: 1 },
    ]);
    const filtered = detector.responseDrift('get', '/session-template-providers/{session_template_provider_id}', 200, example('SessionTemplateProviderFiltered'));
    expect(formatDrift(filtered)).toEqual([
      'shape at response.body.tool_filter: LayeredToolFilterAllowList (of ToolFilter)',
      'shape at response.body.tool_filter.filters[]: ToolKeysFilter (of ToolFilterEntry)',
      'shape at response.body.tool_filter.filters[]: ResourceRegexFilter (of ToolFilterEntry)',
    ]);
  });

  it('walks an invalid answer as far as its schema goes, and says nothing of an undocumented status', () => {
    const broken = { ...example('ProviderRunOnConnection'), connection_id: 5, added: true };
    expect(detector.responseDrift('get', '/provider-runs/{provider_run_id}', 200, broken).undocumented.map((u) => u.location)).toEqual(['response.body.added']);
    expect(detector.responseDrift('get', '/provider-runs/{provider_run_id}', 418, { added: true })).toEqual({ undocumented: [], shapes: [] });
  });
});

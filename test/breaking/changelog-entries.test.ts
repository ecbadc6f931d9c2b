import { describe, expect, it } from 'vitest';
import { compareSpecs } from '../../scripts/lib/breaking/diff.ts';
import { entriesMarkdown, presentChanges } from '../../scripts/lib/breaking/presentation.ts';
import { buildReport, machineReadable } from '../../scripts/lib/breaking/report.ts';

/*
 * How changes read in the changelog: an edit of shared components is one entry naming them and the
 * operations they reach; paths keep their parameter names; breaking first; then by tag, each
 * operation with its summary; each line says what users must do; the per-change list stays for tools.
 */

const limited = { description: 'Too many', headers: { 'RateLimit-Limit': { $ref: '#/components/headers/Limit' }, 'RateLimit-Reset': { $ref: '#/components/headers/Reset' } } };
const op = (operationId: string, summary: string, tag: string) => ({ operationId, summary, tags: [tag], responses: { '200': { description: 'ok' }, '429': { $ref: '#/components/responses/TooMany' } } });
const thingId = { name: 'thing_id', in: 'path', required: true, schema: { type: 'string' } };

function spec(format: string | undefined, paths: Record<string, object>) {
  const header = { schema: { type: 'integer', minimum: 0, ...(format ? { format } : {}) } };
  return { openapi: '3.1.0', info: { title: 'T', version: '1.0.0' }, paths, components: { responses: { TooMany: limited }, headers: { Limit: header, Reset: header } } };
}

const base = spec(undefined, {
  '/things': { get: op('listThings', 'List things', 'Things') },
  '/things/{thing_id}': { parameters: [thingId], get: op('getThing', 'Get a thing', 'Things') },
  '/widgets': { get: op('listWidgets', 'List widgets', 'Widgets') },
});
const head = spec('int64', {
  '/things': { get: op('listThings', 'List things', 'Things') },
  '/things/{thing_id}': { parameters: [thingId], get: op('getThing', 'Get a thing', 'Things') },
  '/things/{thing_id}/parts': { parameters: [thingId], get: op('listParts', 'List the parts of a thing', 'Things') },
});

describe('changelog entries', () => {
  const changes = compareSpecs(base, head);
  const entries = presentChanges(changes, { base, head });

  it('makes the edit of the shared headers one entry, naming them and the operations they reach', () => {
    const shared = entries.filter((e) => e.components.length);
    expect(shared).toHaveLength(1);
    expect(shared[0]!.components).toEqual(['#/components/headers/Limit', '#/components/headers/Reset']);
    expect(shared[0]!.operations.map((o) => o.display)).toEqual(['GET /things', 'GET /things/{thing_id}']);
    expect(shared[0]!.lines.map((l) => l.text)).toEqual(['format none → int64']);
    const markdown = entriesMarkdown(entries);
    expect(markdown).toContain('- The `Limit` and `Reset` headers, in 2 operations:');
    expect(markdown.split('format none → int64')).toHaveLength(2);
    expect(markdown).toContain('Operations: `GET /things` (List things), `GET /things/{thing_id}` (Get a thing).');
  });

  it('puts breaking entries first, then groups operations by tag with their path and summary, saying what to do', () => {
    expect(entries.map((e) => [e.severity, e.components.length ? 'shared' : e.operations[0]!.display])).toEqual([
      ['breaking', 'GET /widgets'],
      ['non-breaking', 'shared'],
      ['non-breaking', 'GET /things/{thing_id}/parts'],
    ]);
    const markdown = entriesMarkdown(entries);
    expect(markdown).toMatch(/## Breaking changes\n\n### Widgets\n\n- \*\*`GET \/widgets`\*\* — List widgets\n {2}- the operation was removed — Stop calling this operation\./);
    expect(markdown).toMatch(/## Other changes\n\n### Shared components\n[\s\S]*### Things\n\n- \*\*`GET \/things\/\{thing_id\}\/parts`\*\* — List the parts of a thing\n {2}- new operation — New: you can call it\./);
  });

  it('keeps one machine-readable record per change, with its operation, path and advice', () => {
    const records = machineReadable(buildReport(changes, { label: 'base', version: '1.0.0' }, { label: 'head', version: '1.0.0' }, { documents: { base, head } })) as Array<Record<string, unknown>>;
    expect(records).toHaveLength(changes.length);
    expect(records).toContainEqual(expect.objectContaining({ id: 'response-format-narrowed', level: 'info', method: 'GET', path: '/things/{thing_id}', operationId: 'getThing', component: '#/components/headers/Limit' }));
    expect(records).toContainEqual(expect.objectContaining({ id: 'operation-removed', level: 'error', path: '/widgets', advice: 'Stop calling this operation.' }));
  });
});

import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { writeFileAtomic } from '../scripts/lib/atomic-write.ts';
import { findStaleGeneratedFiles, staleMessage } from '../scripts/lib/generated.ts';
import { lintSpec } from '../scripts/lib/lint.ts';
import { repoRoot } from '../scripts/lib/paths.ts';
import { runTool } from '../scripts/lib/run-tool.ts';
import { addGetSession, addOptionalQueryParameter, removeServerVersionId } from './support/maintainer-edits.ts';
import type { OpenAPI3 } from 'openapi-typescript';
import { parse } from 'yaml';

const scratch = mkdtempSync(join(tmpdir(), 'metorial-pipeline-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const bundled = (): OpenAPI3 => JSON.parse(readFileSync(inject('specFile'), 'utf8')) as OpenAPI3;

describe('generated/', () => {
  it('is up to date with the spec', async () => {
    const stale = await findStaleGeneratedFiles(bundled());
    expect(stale, stale.length ? staleMessage(stale) : '').toEqual([]);
  });

  it('is reported stale, with the command that fixes it, when the spec changes', async () => {
    const changed = bundled();
    changed.info.description = `${changed.info.description ?? ''}\nA change.`;
    (changed.components!.schemas!.Pagination as { description?: string }).description = 'Changed';
    const stale = await findStaleGeneratedFiles(changed);
    expect(stale.sort()).toEqual(['generated/openapi.json', 'generated/schema.d.ts']);
    expect(staleMessage(stale)).toContain('npm run generate');
  });

  it('reports the resource surface stale when an operation changes or is added, as the client builds its methods from it', async () => {
    const changed = bundled() as any;
    changed.paths['/runs'].get.summary = 'List every run';
    expect((await findStaleGeneratedFiles(changed)).sort()).toEqual(['generated/openapi.json', 'generated/resources.d.ts', 'generated/schema.d.ts']);
    changed.paths['/runs/{run_id}/cancel'] = {
      post: { operationId: 'cancelRun', summary: 'Cancel a run', tags: ['Runs'], parameters: [{ name: 'run_id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } },
    };
    expect(await findStaleGeneratedFiles(changed)).toEqual(expect.arrayContaining(['generated/resources.d.ts', 'generated/resource-table.ts']));
  });

  it('fails `npm run check:generated` on a stale resource surface, naming the file and the fix', async () => {
    const generated = join(scratch, 'generated-stale');
    cpSync(join(repoRoot, 'generated'), generated, { recursive: true });
    const declarations = join(generated, 'resources.d.ts');
    writeFileSync(declarations, readFileSync(declarations, 'utf8').replace('Get a run', 'Get one run'));
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'scripts/generate.ts', '--check'], { cwd: repoRoot, env: { ...process.env, METORIAL_GENERATED_DIR: generated } }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/out of date: .*resources\.d\.ts/);
    expect(result.output).toContain('npm run generate');
  }, 120_000);

  it("reports the client package's version stale when info.version changes, as the package follows it", async () => {
    const changed = bundled();
    // The next major version, whatever the spec's version is now.
    changed.info.version = `${Number(changed.info.version.split('.')[0]) + 1}.0.0`;
    const stale = await findStaleGeneratedFiles(changed);
    expect(stale).toEqual(expect.arrayContaining(['client/package.json', 'generated/version.ts']));
  });

  it('refuses an info.version that is not SemVer, since the client package takes it as its version', async () => {
    const changed = bundled();
    changed.info.version = '2026-01';
    await expect(findStaleGeneratedFiles(changed)).rejects.toThrow(/info\.version "2026-01" .* is not a SemVer version/);
  });
});

describe.concurrent('lint', () => {
  const copyOfSpec = (name: string) => {
    const copy = join(scratch, name);
    cpSync(join(repoRoot, 'spec'), copy, { recursive: true });
    return copy;
  };
  const lintFailure = (specDir: string) =>
    lintSpec(join(specDir, 'openapi.yaml')).then(
      () => expect.fail('lint passed'),
      (error: Error) => error.message,
    );

  // The spec itself passing lint is checked by the build (test/publish/dist.test.ts), which lints first.
  // One copy of the spec breaks both linters' rules, so one run shows each tool reporting its own.
  it('fails on a convention break, an undeclared tag, new unbounded request values and an unreasoned waiver, each by tool, rule, file and line; an editor reports the same', { timeout: 600_000 }, async () => {
    const copy = copyOfSpec('spec-broken');
    const edit = (file: string, from: string, to: string) => {
      const path = join(copy, file);
      const text = readFileSync(path, 'utf8');
      expect(text).toContain(from);
      writeFileSync(path, text.replace(from, to));
    };
    // Redocly: an operation id that breaks our naming convention, and a tag no one declared.
    edit('paths/runs_{run_id}.yaml', 'operationId: getRun', 'operationId: Fetch_Run');
    edit('paths/runs_{run_id}.yaml', 'tags: [Runs]', 'tags: [Rnus]');
    // OWASP: a body field, a query parameter and a body array, each with no bound and no waiver.
    edit('components/schemas/CreateRunRequest.yaml', 'properties:\n', 'properties:\n  note:\n    type: string\n    description: A note.\n  tags:\n    type: array\n    description: Tags.\n    items:\n      type: string\n      enum: [a, b]\n');
    edit('paths/runs.yaml', '    - $ref: ../components/parameters/Limit.yaml\n', '    - $ref: ../components/parameters/Limit.yaml\n    - name: search\n      in: query\n      description: Search.\n      schema:\n        type: string\n');
    // A waiver must name a rule and give a reason.
    edit('components/schemas/Actor.yaml', 'x-lint-waivers:\n', 'x-lint-waivers:\n      owasp:api4:2023-strng-limit: a typo\n      owasp:api4:2023-array-limit: ""\n');

    const failure = await lintFailure(copy);
    const [redocly = '', spectral = ''] = failure.split(/^(?=Spectral, OWASP)/m);
    expect(redocly).toMatch(/^Redocly \(redocly\.yaml\)/m);
    expect(redocly).toMatch(/rule\/operation-id-lower-camel-verb-noun/);
    expect(redocly).toMatch(/operation-tag-defined/);
    expect(redocly).not.toMatch(/owasp:/);
    const finding = (rule: string, file: string, place: string) =>
      new RegExp(`^spectral +(error|warning) +${rule} +\\S*/spec-broken/${file.replace(/[.{}]/g, '\\$&')}:\\d+:\\d+ +${place.replace(/[.]/g, '\\.')}$`, 'm');
    expect(spectral).toMatch(finding('owasp:api4:2023-string-limit', 'components/schemas/CreateRunRequest.yaml', 'properties.note'));
    expect(spectral).toMatch(finding('owasp:api4:2023-string-restricted', 'components/schemas/CreateRunRequest.yaml', 'properties.note'));
    expect(spectral).toMatch(finding('owasp:api4:2023-array-limit', 'components/schemas/CreateRunRequest.yaml', 'properties.tags'));
    expect(spectral).toMatch(finding('owasp:api4:2023-string-limit', 'paths/runs.yaml', 'get.parameters.1.schema'));
    expect(spectral).toMatch(/lint-waiver-reasoned .*Actor\.yaml:\d+:\d+[^\n]*\n {4}No rule "owasp:api4:2023-strng-limit" to waive/);
    expect(spectral).toMatch(/The waiver of owasp:api4:2023-array-limit needs its reason/);
    expect(spectral).toContain('x-lint-waivers:\n        owasp:api4:2023-string-limit: <why the rule cannot be met here, and the source>');
    expect(spectral).toMatch(/Spectral, OWASP API Security ruleset \(\.spectral\.js\), 5 error\(s\) and 2 warning\(s\)/);
    expect(failure).toContain('npm run lint');

    // Spectral as an editor runs it: on the file open, with the ruleset it finds in the workspace.
    const editor = await runTool('spectral', ['lint', join(copy, 'openapi.yaml'), '--format', 'json', '--quiet']);
    const seen = (JSON.parse(editor.stdout) as Array<{ code: string; source: string; range: { start: { line: number } }; severity: number }>)
      .filter((f) => f.severity <= 1)
      .map((f) => `${f.code} ${relative(copy, f.source)}:${f.range.start.line + 1}`)
      .sort();
    const reported = [...spectral.matchAll(/^spectral +\S+ +(\S+) +\S*\/spec-broken\/(\S+):(\d+):\d+/gm)].map((m) => `${m[1]} ${m[2]}:${m[3]}`).sort();
    expect(seen).toEqual(reported);
  });

  // The build makes the reference, the types and the client package beside lint (issue 23: the whole build at scale),
  // so this checks that a lint failure still leaves every output as it was.
  it('npm run build of a spec that fails lint reports the findings and writes nothing: dist/, generated/ and the client package stay as they were', { timeout: 600_000 }, async () => {
    const copy = copyOfSpec('spec-build-lint-failure');
    const path = join(copy, 'paths', 'runs_{run_id}.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('operationId: getRun', 'operationId: Fetch_Run'));
    // And one for Spectral, which the build runs in a worker thread.
    const list = join(copy, 'paths', 'runs.yaml');
    const limit = '    - $ref: ../components/parameters/Limit.yaml\n';
    expect(readFileSync(list, 'utf8')).toContain(limit);
    writeFileSync(list, readFileSync(list, 'utf8').replace(limit, `${limit}    - name: search\n      in: query\n      description: Search.\n      schema:\n        type: string\n`));
    const out = join(scratch, 'build-lint-failure');
    const previous = { 'dist/index.html': 'previous reference', 'generated/schema.d.ts': 'previous types', 'client/package.json': '{"name":"previous"}', 'client/dist/index.js': 'previous client' };
    for (const [file, content] of Object.entries(previous)) {
      mkdirSync(join(out, file, '..'), { recursive: true });
      writeFileSync(join(out, file), content);
    }
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'build.ts')], {
        cwd: repoRoot,
        env: { ...process.env, METORIAL_SPEC_ROOT: join(copy, 'openapi.yaml'), METORIAL_DIST_DIR: join(out, 'dist'), METORIAL_GENERATED_DIR: join(out, 'generated'), METORIAL_CLIENT_DIR: join(out, 'client') },
      }, (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr })),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/rule\/operation-id-lower-camel-verb-noun/);
    expect(result.stderr).toMatch(/^spectral +error +owasp:api4:2023-string-limit +\S*paths\/runs\.yaml:\d+:\d+ +get\.parameters\.1\.schema$/m);
    const filesUnder = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [relative(out, join(dir, entry.name))]));
    expect(filesUnder(out).sort(), 'no new file, no staging folder left').toEqual(Object.keys(previous).sort());
    for (const [file, content] of Object.entries(previous)) expect(readFileSync(join(out, file), 'utf8'), file).toBe(content);
  });

  it('passes a new operation, a new optional parameter and a breaking change made in spec/ only, once its tag is declared and the waivers lint asks for sit beside their places', { timeout: 600_000 }, async () => {
    const undeclared = copyOfSpec('spec-new-operation-undeclared-tag');
    addGetSession(undeclared, { declareTag: false, waive: false });
    const failure = await lintFailure(undeclared);
    expect(failure).toMatch(/sessions_\{session_id\}\.yaml:\n\s+\d+:\d+\s+error\s+operation-tag-defined/);
    expect(failure).toMatch(/owasp:api4:2023-rate-limit +\S+sessions_\{session_id\}\.yaml:\d+:\d+ +get\.responses\.200\.headers/);

    const edited = copyOfSpec('spec-three-edits');
    addGetSession(edited);
    addOptionalQueryParameter(edited);
    removeServerVersionId(edited);
    await lintSpec(join(edited, 'openapi.yaml'));
  });

  it('uses every waiver in spec/: each waives a finding of its rule at its place', { timeout: 600_000 }, async () => {
    // The OWASP ruleset without our waivers, over the spec.
    const plain = join(scratch, 'plain-owasp.yaml');
    writeFileSync(plain, `extends:\n  - ${join(repoRoot, 'node_modules', '@stoplight', 'spectral-owasp-ruleset', 'dist', 'ruleset.js')}\n`);
    const result = await runTool('spectral', ['lint', join(repoRoot, 'spec', 'openapi.yaml'), '--ruleset', plain, '--format', 'json', '--quiet']);
    const findings = (JSON.parse(result.stdout) as Array<{ code: string; source: string; path: string[] }>).map((f) => ({ rule: f.code, file: relative(repoRoot, f.source), path: f.path.map(String) }));
    const waivers = specWaivers();
    expect(waivers.length).toBeGreaterThan(0);
    const unused = waivers.filter((w) => !findings.some((f) => f.rule === w.rule && f.file === w.file && w.path.every((segment, i) => f.path[i] === segment)));
    expect(unused.map((w) => `${w.file} ${w.path.join('.')} ${w.rule}`)).toEqual([]);
  });
});

/** Every `x-lint-waivers` entry of the spec's files: file (relative to the repository), path in the file, rule. */
function specWaivers(): Array<{ file: string; path: string[]; rule: string }> {
  const found: Array<{ file: string; path: string[]; rule: string }> = [];
  const walk = (node: unknown, path: string[], file: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-lint-waivers') for (const rule of Object.keys(value as object)) found.push({ file, path, rule });
      else walk(value, [...path, key], file);
    }
  };
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
  for (const file of files(join(repoRoot, 'spec'))) walk(parse(readFileSync(file, 'utf8')), [], relative(repoRoot, file));
  return found;
}

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file behind', () => {
    const target = join(scratch, 'nested', 'out.txt');
    writeFileAtomic(target, 'first');
    writeFileAtomic(target, 'second');
    expect(readFileSync(target, 'utf8')).toBe('second');
    expect(readdirSync(join(scratch, 'nested'))).toEqual(['out.txt']);
  });

  it('cleans up its temporary file when the final rename fails', () => {
    const folder = join(scratch, 'failing');
    const target = join(folder, 'occupied');
    mkdirSync(join(target, 'child'), { recursive: true }); // a non-empty directory cannot be renamed over
    expect(() => writeFileAtomic(target, 'new')).toThrow();
    expect(readdirSync(folder)).toEqual(['occupied']);
    expect(readdirSync(target)).toEqual(['child']);
  });
});

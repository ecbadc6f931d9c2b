import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleSpecSource } from '../scripts/lib/bundle.ts';
import { repoRoot } from '../scripts/lib/paths.ts';
import { loadRedoclyEngine } from '../scripts/lib/redocly-engine.ts';
import { runTool } from '../scripts/lib/run-tool.ts';
import { spawnTiedChild } from '../scripts/lib/tied-child.ts';
import { addGetSession } from './support/maintainer-edits.ts';

/*
 * `npm run dev` as a maintainer uses it, on a copy of spec/: a save that adds an operation reaches
 * the reference (its event stream and bundle) and the mock; a save that breaks lint is reported with
 * file, line and fix, while the last good spec stays served and the loop goes on. How fast is the
 * benchmark's business (bench/dev-loop.ts), not this test's.
 */

const scratch = mkdtempSync(join(tmpdir(), 'metorial-dev-test-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
});

const until = async <T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 400_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** The Server-Sent Events of the preview, as they arrive. */
function listen(url: string): { events: Array<{ type: string; data: { id: number; text?: string } }>; close(): void } {
  const events: Array<{ type: string; data: { id: number; text?: string } }> = [];
  const controller = new AbortController();
  void fetch(`${url}/events`, { signal: controller.signal })
    .then(async (response) => {
      let buffer = '';
      for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (type && data) events.push({ type, data: JSON.parse(data) });
        }
      }
    })
    .catch(() => undefined);
  return { events, close: () => controller.abort() };
}

describe('npm run dev', () => {
  it('serves each good save in the reference, the mock and the sandbox, and reports a lint failure with file, line and fix while the last good spec stays served', { timeout: 1_200_000 }, async () => {
    const spec = join(scratch, 'spec');
    cpSync(join(repoRoot, 'spec'), spec, { recursive: true });
    const env = {
      ...process.env,
      METORIAL_SPEC_ROOT: join(spec, 'openapi.yaml'),
      METORIAL_DIST_DIR: join(scratch, 'dist'),
      METORIAL_GENERATED_DIR: join(scratch, 'generated'),
      METORIAL_CLIENT_DIR: join(scratch, 'client'),
    };
    const child = spawnTiedChild(['--import', 'tsx', join(repoRoot, 'scripts', 'dev.ts'), '--port', '0', '--mock-port', '0', '--sandbox-port', '0', '--no-client'], 'capture', env);
    children.push(child);
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

    const [, previewUrl, mockUrl, sandboxUrl] = await until(
      'the dev loop to start',
      () => /reference +(http:\/\/127\.0\.0\.1:\d+)[\s\S]*mock +(http:\/\/127\.0\.0\.1:\d+)[\s\S]*sandbox +(http:\/\/127\.0\.0\.1:\d+)/.exec(output) ?? undefined,
    );
    const stream = listen(previewUrl!);
    try {
      const firstBuild = await until('the first build event', () => stream.events.find((e) => e.type === 'build'));
      const getSession = () => fetch(`${mockUrl}/sessions/ses_4dEfGhJkLmNpQrSt`, { headers: { Authorization: 'Bearer metorial_sk_test' } });
      expect((await getSession()).status).toBe(404);

      // A good save: a new operation, in spec/ only.
      addGetSession(spec);
      const built = await until('a build after the save', () => stream.events.find((e) => e.type === 'build' && e.data.id > firstBuild.data.id));
      expect(await (await fetch(`${previewUrl}/openapi.json`)).json()).toHaveProperty(['paths', '/sessions/{session_id}', 'get', 'operationId'], 'getSession');
      const answer = await getSession();
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ object: 'session', id: 'ses_4dEfGhJkLmNpQrSt' });
      // The sandbox too, from the spec alone.
      const fromSandbox = await fetch(`${sandboxUrl}/sessions/ses_4dEfGhJkLmNpQrSt`, { headers: { Authorization: 'Bearer metorial_sk_test' } });
      expect(fromSandbox.status).toBe(200);
      expect(await fromSandbox.json()).toMatchObject({ object: 'session', id: 'ses_4dEfGhJkLmNpQrSt' });
      expect(readFileSync(join(scratch, 'generated', 'schema.d.ts'), 'utf8')).toContain('getSession');
      expect(await (await fetch(previewUrl!)).text()).toContain('new EventSource');

      // A save that breaks lint: reported, nothing rebuilt, the loop goes on.
      const pathFile = join(spec, 'paths', 'sessions_{session_id}.yaml');
      const good = readFileSync(pathFile, 'utf8');
      writeFileSync(pathFile, good.replace('tags: [Sessions]', 'tags: [Sesions]'));
      const failed = await until('the lint failure event', () => stream.events.find((e) => e.type === 'lint-failed' && e.data.id > built.data.id));
      expect(failed.data.text).toMatch(/operation-tag-defined +\S*sessions_\{session_id\}\.yaml:5:\d+\n.*\n +Fix: /);
      expect(output).toMatch(/✖ .*lint failed .*the reference and the mock still serve the last spec that passed/);
      expect((await getSession()).status).toBe(200);
      expect((await fetch(`${previewUrl}/openapi.json`)).ok).toBe(true);
      expect(child.exitCode).toBeNull();

      // Fixed: served again.
      writeFileSync(pathFile, good.replace('summary: Get a session', 'summary: Get one session'));
      await until('a build after the fix', () => stream.events.find((e) => e.type === 'build' && e.data.id > failed.data.id));
      expect(await (await fetch(`${previewUrl}/openapi.json`)).json()).toHaveProperty(['paths', '/sessions/{session_id}', 'get', 'summary'], 'Get one session');
    } finally {
      stream.close();
      child.kill('SIGTERM');
    }
  });
});

describe.concurrent("the dev loop's Redocly (in process) and npm run lint's (the CLI)", () => {
  it('find the same problems, at the same file and line', { timeout: 600_000 }, async () => {
    const copy = join(scratch, 'spec-broken');
    cpSync(join(repoRoot, 'spec'), copy, { recursive: true });
    const edit = (file: string, from: string, to: string) => writeFileSync(join(copy, file), readFileSync(join(copy, file), 'utf8').replace(from, to));
    edit('paths/runs_{run_id}.yaml', 'operationId: getRun', 'operationId: Fetch_Run');
    edit('paths/runs_{run_id}.yaml', 'tags: [Runs]', 'tags: [Rnus]');
    edit('paths/runs.yaml', '  summary: List runs', '  summary: List the runs of your instance, with every filter the API has and more words');
    edit('components/schemas/Actor.yaml', 'description: Unique actor identifier.', 'description: ""');
    const engine = await loadRedoclyEngine();
    const inProcess = (await engine.lint(join(copy, 'openapi.yaml'))).map((f) => `${f.rule} ${relative(copy, resolve(repoRoot, f.file))}:${f.line}`).sort();
    const cli = await runTool('redocly', ['lint', join(copy, 'openapi.yaml'), '--format=json']);
    const report = JSON.parse(cli.stdout.slice(cli.stdout.indexOf('{'))) as { problems: Array<{ ruleId: string; location: Array<{ source: { ref: string }; pointer: string }> }> };
    expect(inProcess.length).toBeGreaterThanOrEqual(3);
    // The CLI's JSON gives places as pointers; the rules and files must match one for one.
    const byRuleAndFile = (list: string[]) => list.map((line) => line.replace(/:\d+$/, '')).sort();
    const fromCli = report.problems.map((p) => `${p.ruleId} ${p.location[0]!.source.ref.replace(/^.*spec-broken\//, '')}`);
    expect(byRuleAndFile(inProcess)).toEqual(fromCli.sort());
  });

  it('bundle the spec to the same document, written alike', { timeout: 600_000 }, async () => {
    const engine = await loadRedoclyEngine();
    const [inProcess, cli] = await Promise.all([engine.bundle(join(repoRoot, 'spec', 'openapi.yaml')), bundleSpecSource()]);
    expect(JSON.stringify(inProcess, null, 2)).toBe(JSON.stringify(cli, null, 2));
  });
});

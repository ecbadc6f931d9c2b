import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPI3 } from 'openapi-typescript';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { changelogEntries, changelogHtml, changelogMarkdown } from '../../scripts/lib/changelog.ts';
import { creationsOf } from '../../scripts/lib/checks/links.ts';
import { type SuiteBuildDirs, suiteBuild } from '../support/suite-build.ts';

const document = JSON.parse(readFileSync(inject('specFile'), 'utf8')) as OpenAPI3;
const scratch = mkdtempSync(join(tmpdir(), 'metorial-dist-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const fingerprint = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]));

const fingerprints = (dirs: SuiteBuildDirs) => ({ dist: fingerprint(dirs.dist), generated: fingerprint(dirs.generated), client: fingerprint(join(dirs.client, 'dist')) });

describe('the build', () => {
  it('writes a publishable dist/ and client package, and building again writes the same files', { timeout: 240_000 }, async () => {
    // The suite's build and a second one of the same sources (both started by the global setup; the
    // command users run), each into a folder of its own.
    const [first, again] = await Promise.all([suiteBuild(), suiteBuild('again')]);
    // The build lints first and writes nothing unless both linters find nothing.
    expect(first.output).toContain('✔ lint: no errors, no warnings (Redocly, OWASP ruleset)');
    const built = fingerprints(first);
    expect(Object.keys(built.dist).sort()).toEqual(['CHANGELOG.md', 'changelog.html', 'changelog.json', 'index.html', 'openapi.json', 'openapi.yaml']);
    // The client package too: ESM and CommonJS of each entry point, with their declarations.
    expect(Object.keys(built.client)).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'schema.d.ts', 'schema.d.cts', 'validation.js', 'validation.cjs']));
    expect(fingerprints(again)).toEqual(built);
  });

  it('links its pages to each other by relative paths only, so it works from disk and any host', async () => {
    const { dist } = await suiteBuild();
    const links = [...readFileSync(join(dist, 'changelog.html'), 'utf8').matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
    expect(links).toContain('index.html');
    expect(links.filter((link) => /^(?:[a-z]+:|\/)/i.test(link))).toEqual([]);
  });

  it('puts each create\'s links in the reference: the operation to call next and the value it takes', async () => {
    const { dist } = await suiteBuild();
    // Redoc renders the page from the spec it inlines; Link Objects it does not render, their description it does.
    const page = readFileSync(join(dist, 'index.html'), 'utf8');
    for (const creation of creationsOf(document)) {
      for (const link of creation.links) {
        expect(page).toContain(`[\`${link.operation.operationId}\`](#operation/${link.operation.operationId}) with \`${Object.keys(link.parameters)[0]}\` = \`$response.body#/id\``);
      }
    }
    expect(creationsOf(document).flatMap((c) => c.links.map((l) => l.operation.operationId)).sort()).toEqual([
      'deleteSessionTemplateProvider',
      'getRun',
      'getSessionTemplateProvider',
      'updateSessionTemplateProvider',
    ]);
  });
});

describe('the changelog', () => {
  const releases = join(scratch, 'releases');
  const spec = (version: string, paths: Record<string, unknown>) => ({ openapi: '3.1.0', info: { title: 'T', version }, paths });
  const list = { get: { responses: { '200': { description: 'ok' } } } };
  mkdirSync(releases, { recursive: true });
  writeFileSync(join(releases, '1.0.0.json'), JSON.stringify(spec('1.0.0', { '/a': list, '/b': list })));
  writeFileSync(join(releases, '1.1.0.json'), JSON.stringify(spec('1.1.0', { '/a': list, '/b': list, '/c': list })));
  writeFileSync(join(releases, '2.0.0.json'), JSON.stringify(spec('2.0.0', { '/a': list, '/c': list })));

  it('lists unreleased changes, then each release against the one before, newest first', () => {
    const entries = changelogEntries(spec('2.1.0', { '/a': list, '/c': list, '/d': list }) as never, releases);
    expect(entries.map((e) => e.title)).toEqual(['Unreleased', '2.0.0', '1.1.0', '1.0.0']);
    const markdown = changelogMarkdown(entries);
    expect(markdown).toMatch(/## 2\.0\.0\n\n### Breaking changes\n\n#### Other operations\n\n- \*\*`GET \/b`\*\*\n {2}- the operation was removed — Stop calling this operation\./);
    expect(markdown).toMatch(/## 1\.1\.0\n\n### Other changes\n\n#### Other operations\n\n- \*\*`GET \/c`\*\*/);
    expect(markdown).toMatch(/## Unreleased\n\n### Other changes\n\n#### Other operations\n\n- \*\*`GET \/d`\*\*/);
    expect(markdown).toContain('## 1.0.0\n\nThe first release recorded.');
  });

  it('renders as a page with no script and no request', () => {
    const html = changelogHtml(changelogMarkdown(changelogEntries(spec('2.0.0', { '/a': list }) as never, releases)));
    expect(html).not.toMatch(/<script|<link|<img/);
    expect(html).toContain('<h2>2.0.0</h2>');
  });
});

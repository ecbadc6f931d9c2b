import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../scripts/lib/paths.ts';
import { typeScriptExamples } from './support/consumer-project.ts';
import { typeCheckSnippets } from './support/typescript-check.ts';

// The repository's README and the package's (client/README.md), whose examples lead with the resource style.
const examples = [
  ...typeScriptExamples(join(repoRoot, 'README.md')).map((code, index) => ({ name: `readme-example-${index + 1}`, code })),
  ...typeScriptExamples(join(repoRoot, 'client', 'README.md')).map((code, index) => ({ name: `package-readme-example-${index + 1}`, code })),
];

describe('the README', () => {
  it('has TypeScript examples, in both READMEs', () => {
    expect(examples.filter((e) => e.name.startsWith('readme-')).length).toBeGreaterThanOrEqual(2);
    expect(examples.filter((e) => e.name.startsWith('package-readme-')).length).toBeGreaterThanOrEqual(2);
  });

  // One program: the examples, and one that does not compile, which shows the check can fail.
  it('has only examples that compile under strict against the real client; a wrong one would not', async () => {
    const broken = { name: 'broken', code: "import { createClient } from './src/index.ts';\nawait createClient().get('/no-such-path');\n" };
    const found = await typeCheckSnippets([...examples, broken]);
    expect(found.filter((line) => !line.startsWith('broken.ts:'))).toEqual([]);
    expect(found.join('\n')).toMatch(/^broken\.ts:\d+: /m);
  });

  describe('examples run against the sandbox', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'metorial-readme-run-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));
    const sandboxUrl = inject('sandboxUrl');
    // The package's names resolve to its sources; the mock's address in the text is the sandbox's here.
    const asPackage = {
      name: 'package-names',
      setup(esbuild: { onResolve: (o: { filter: RegExp }, f: (a: { path: string }) => { path: string }) => void }) {
        esbuild.onResolve({ filter: /^metorial-api-client(\/validation)?$/ }, (args) => ({ path: join(repoRoot, 'src', args.path.endsWith('/validation') ? 'validation.ts' : 'index.ts') }));
      },
    };
    it.concurrent.each(examples.map((e) => [e.name, e] as const))('%s runs to the end, as printed', async (name, example) => {
      const entry = join(scratch, `${name}.ts`);
      // As a reader would: the mock's address is the sandbox's here, and a placeholder key a real one.
      // The production address too (the package README's browser and bare openapi-fetch examples name it).
      writeFileSync(
        entry,
        example.code
          .replaceAll('http://127.0.0.1:4010', sandboxUrl)
          .replaceAll("'https://api.metorial.com'", JSON.stringify(sandboxUrl))
          .replaceAll("'metorial_sk_...'", 'process.env.METORIAL_API_KEY')
          .replaceAll("'Bearer metorial_sk_...'", '`Bearer ${process.env.METORIAL_API_KEY}`'),
      );
      const outfile = join(scratch, `${name}.mjs`);
      await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', plugins: [asPackage], nodePaths: [join(repoRoot, 'node_modules')], logLevel: 'silent' });
      const env = { ...process.env, METORIAL_API_KEY: `metorial_sk_readme_${randomUUID().replaceAll('-', '')}`, METORIAL_BASE_URL: sandboxUrl };
      const run = await promisify(execFile)(process.execPath, [outfile], { cwd: repoRoot, env, timeout: 150_000 }).catch((error: { stderr?: string; message: string }) =>
        expect.fail(`${name} failed against the sandbox:\n${error.stderr ?? error.message}`),
      );
      expect(run.stdout.length, `${name} printed nothing`).toBeGreaterThan(0);
    }, 240_000);
  });
});

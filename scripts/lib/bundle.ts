import type { OpenAPI3 } from 'openapi-typescript';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from './atomic-write.ts';
import { withCodeSamples } from './code-samples.ts';
import { waiversKey } from './lint-owasp.ts';
import { distDir, repoRoot, specRoot } from './paths.ts';
import { PipelineError, runTool, withoutBanner } from './run-tool.ts';
import { checkSpecSources, remoteRefsAllowed } from './spec-sources.ts';

/** With remote $refs allowed, Redocly fetches them itself, with no timeout of its own: the whole bundle gets one. */
const bundleTimeoutWithRemoteRefsMs = 120_000;

export type OpenApiDocument = OpenAPI3;

/**
 * Resolves the split spec into one document, in memory, as written. Nothing is written to the
 * repository. `sourcesChecked` is checkSpecSources of `spec`, when the caller has started it already.
 */
export async function bundleSpecSource(spec = specRoot, sourcesChecked: Promise<void> = checkSpecSources(spec)): Promise<OpenApiDocument> {
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-bundle-'));
  try {
    // JSON, not YAML: parsing the bundle back is 50 times faster (3 s against 60 ms at 1,000 operations).
    const output = join(scratch, 'openapi.json');
    // Redocly resolves every $ref it meets, files anywhere and URLs with no timeout: the sources are checked first.
    await sourcesChecked;
    const result = await runTool('redocly', ['bundle', relative(repoRoot, spec), '--output', output, '--ext', 'json'], undefined, {
      timeoutMs: remoteRefsAllowed() ? bundleTimeoutWithRemoteRefsMs : undefined,
    });
    if (result.code !== 0) {
      const unresolved = /can't resolve|ENOENT|no such file/i.test(result.stderr + result.stdout);
      throw new PipelineError(
        `Could not bundle ${relative(repoRoot, spec)}:\n${withoutBanner(result.stderr || result.stdout)}` +
          (result.timedOut ? `\nRedocly did not finish within ${bundleTimeoutWithRemoteRefsMs / 1000} s: a remote $ref that stopped answering?` : '') +
          (unresolved ? '\nA $ref points to something that cannot be resolved; fix the path it names.' : ''),
      );
    }
    return JSON.parse(readFileSync(output, 'utf8')) as OpenApiDocument;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A copy of `node` without the lint waivers (`x-lint-waivers`): they are about the spec's source, not the API. */
export function withoutLintWaivers<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutLintWaivers) as T;
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([key]) => key !== waiversKey).map(([key, value]) => [key, withoutLintWaivers(value)])) as T;
}

/** The bundled spec as it is published: with generated code samples on every operation, without lint waivers. */
export async function bundleSpecDocument(spec = specRoot, sourcesChecked?: Promise<void>): Promise<OpenApiDocument> {
  return withCodeSamples(withoutLintWaivers(await bundleSpecSource(spec, sourcesChecked)));
}

/** Writes a bundled document as `openapi.yaml` and `openapi.json` in the output folder, atomically. */
export function writeBundle(document: OpenApiDocument, outDir = distDir): void {
  writeFileAtomic(join(outDir, 'openapi.yaml'), stringify(document, { lineWidth: 0 }));
  writeFileAtomic(join(outDir, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
}

export async function bundleSpec(outDir = distDir, spec = specRoot): Promise<OpenApiDocument> {
  const document = await bundleSpecDocument(spec);
  writeBundle(document, outDir);
  return document;
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import type { OpenApiDocument } from './bundle.ts';
import { withLinksDescribed } from './link-descriptions.ts';
import { repoRoot } from './paths.ts';
import { bundleForBrowser } from './browser-bundle.ts';
import { consoleData } from './reference/console/console-data.ts';
import { consoleDataElementId } from './reference/console/model.ts';
import { displayDocument, redocOptions } from './reference/display-document.ts';
import { finishPage, pageStyles } from './reference/page.ts';
import { withContentSecurityPolicy } from './reference-csp.ts';
import { PipelineError, runTool, withoutBanner } from './run-tool.ts';

/**
 * Renders the reference as one HTML file with Redoc inlined (`--inlineBundle`), so it works offline
 * and from disk; without it the page loads Redoc from a CDN and shows no operations offline. Redoc
 * renders the display document (the published one with the version, changelog link and typed
 * constants), then the page is finished with our styles and the try-it console (scripts/lib/reference/).
 * The page runs no script but its own (withContentSecurityPolicy), whatever the spec's text holds.
 */
export async function renderReference(bundledSpec: string, outFile: string): Promise<void> {
  writeFileAtomic(outFile, await renderReferencePage(JSON.parse(readFileSync(bundledSpec, 'utf8')) as OpenApiDocument));
}

/** The reference page of a bundled document, as renderReference writes it. Nothing is written but scratch files. */
export async function renderReferencePage(document: OpenApiDocument): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-docs-'));
  try {
    const displayed = join(scratch, 'openapi.json');
    // Redoc renders no Link Objects: the page's copy of the spec has them written into the descriptions.
    writeFileSync(displayed, JSON.stringify(displayDocument(withLinksDescribed(document))));
    const scratchFile = join(scratch, 'index.html');
    const consoleScript = bundleForBrowser(join(repoRoot, 'scripts', 'lib', 'reference', 'console', 'main.ts'), { globalName: 'metorialConsole' });
    const [result, consoleBundle] = await Promise.all([runTool('redocly', [
      'build-docs',
      relative(repoRoot, displayed),
      '--inlineBundle',
      '--title',
      'Metorial API reference',
      '--openapi',
      JSON.stringify(redocOptions(document)),
      '--output',
      scratchFile,
    ]), consoleScript]);
    if (result.code !== 0) {
      throw new PipelineError(`Could not render the reference:\n${withoutBanner(result.stderr || result.stdout)}`);
    }
    const page = finishPage(readFileSync(scratchFile, 'utf8'), {
      styles: pageStyles(),
      scripts: [consoleBundle.code],
      data: [{ id: consoleDataElementId, value: consoleData(document) }],
    });
    return withContentSecurityPolicy(page);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

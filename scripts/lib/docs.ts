import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import { repoRoot } from './paths.ts';
import { PipelineError, runTool, withoutBanner } from './run-tool.ts';

/**
 * Renders the reference as one HTML file with Redoc inlined (`--inlineBundle`), so it works offline
 * and from disk; without it the page loads Redoc from a CDN and shows no operations offline.
 */
export async function renderReference(bundledSpec: string, outFile: string): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-docs-'));
  try {
    const scratchFile = join(scratch, 'index.html');
    const result = await runTool('redocly', [
      'build-docs',
      relative(repoRoot, bundledSpec),
      '--inlineBundle',
      '--title',
      'Metorial API reference',
      '--output',
      scratchFile,
    ]);
    if (result.code !== 0) {
      throw new PipelineError(`Could not render the reference:\n${withoutBanner(result.stderr || result.stdout)}`);
    }
    writeFileAtomic(outFile, readFileSync(scratchFile));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../scripts/lib/atomic-write.ts';
import { repoRoot } from '../../scripts/lib/paths.ts';

/**
 * Puts a benchmark's section into bench/RESULTS.md: replaces what lies between its markers
 * (`<!-- name:start -->` … `<!-- name:end -->`, which `section` itself must begin and end with), or
 * appends it when the file has none yet. Written atomically.
 */
export function writeResultsSection(name: string, section: string): void {
  if (!section.startsWith(`<!-- ${name}:start -->`) || !section.trimEnd().endsWith(`<!-- ${name}:end -->`)) {
    throw new Error(`A results section must begin with <!-- ${name}:start --> and end with <!-- ${name}:end -->.`);
  }
  const resultsFile = join(repoRoot, 'bench', 'RESULTS.md');
  const current = readFileSync(resultsFile, 'utf8');
  const marked = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  writeFileAtomic(resultsFile, marked.test(current) ? current.replace(marked, () => section.trimEnd()) : `${current.trimEnd()}\n\n${section.trimEnd()}\n`);
  console.log('\nbench/RESULTS.md updated.');
}

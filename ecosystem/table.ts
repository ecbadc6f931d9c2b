import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../scripts/lib/paths.ts';
import { caseNames } from './cases.mjs';
import { expectedFailures } from './expectations.ts';
import type { Target } from './targets.ts';

/** The package README's "Tested on" table sits between these markers; the matrix keeps it equal to what it runs. */
const start = '<!-- tested-on:start -->';
const end = '<!-- tested-on:end -->';
export const packageReadme = join(repoRoot, 'client', 'README.md');

/** A version for the table: the machine's Node and Debian's Chromium move with the machine, so they are named, not numbered. */
function shownVersion(target: Target): string {
  if (target.id.startsWith('node-') && target.version() === process.versions.node) return `${process.versions.node.split('.')[0]} (the machine's, >= 20.19)`;
  if (target.id.startsWith('chromium-')) return "Debian's `chromium`";
  return target.version();
}

/** What each row says is tested and what is known not to work, from the targets and expectations.ts. */
export function testedOnTable(targets: Target[]): string {
  const rows = targets.map((target) => {
    const known = Object.entries(expectedFailures[target.id] ?? {});
    const result =
      target.group === 'types'
        ? known.length
          ? `fails, as it must: ${known[0]![1].reason}`
          : 'passes'
        : known.length
          ? `all cases but ${known.map(([name, failure]) => `${name} (${failure.reason})`).join(', ')}`
          : `all cases (${caseNames.join(', ')})`;
    return `| ${target.name} | ${shownVersion(target)} | ${target.how} | ${result} |`;
  });
  return [start, '<!-- Written by `npm run test:runtimes -- --write-readme` from ecosystem/targets.ts and expectations.ts: do not edit. -->', '', '| runtime or compiler | version | how | what runs |', '|---|---|---|---|', ...rows, '', end].join('\n');
}

/** The table as the README has it now, or undefined without markers. */
export function readmeTable(readme = readFileSync(packageReadme, 'utf8')): string | undefined {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  return from === -1 || to === -1 ? undefined : readme.slice(from, to + end.length);
}

/** Rewrites the README's table (between its markers) with `table`. */
export function writeReadmeTable(table: string): void {
  const readme = readFileSync(packageReadme, 'utf8');
  const current = readmeTable(readme);
  if (current === undefined) throw new Error(`${packageReadme} has no tested-on markers to write the table between.`);
  writeFileSync(packageReadme, readme.replace(current, table));
}

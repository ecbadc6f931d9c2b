/**
 * The consumer type-check at 1x and 120x the size of our spec (`SCALES=1,60` for others): the same calls
 * type-checked by TypeScript 5 (`tsc`) through bare openapi-fetch, through our client's path style and
 * through its resource methods, in alternated rounds, medians kept. The target (issue 25): ours within
 * 1.5x of bare at every scale, in both styles. Rewrites its own section of bench/RESULTS.md. A few minutes;
 * run it on a quiet machine (`uptime` below 3), alone.
 *
 *   npm run bench:typecheck
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleSpecDocument } from '../scripts/lib/bundle.ts';
import { renderGeneratedFiles } from '../scripts/lib/generated.ts';
import { repoRoot } from '../scripts/lib/paths.ts';
import { writeConsumers } from './lib/consumer.ts';
import { type Measure, measure, median } from './lib/measure.ts';
import { writeResultsSection } from './lib/results-file.ts';
import { writeSyntheticSpec } from './lib/synthetic-spec.ts';

const scales = (process.env.SCALES ?? '1,120').split(',').map(Number);
const rounds = Number(process.env.ROUNDS ?? 3);
const contenders = ['bare', 'ours', 'oursResources'] as const;
const labels = { bare: 'bare openapi-fetch', ours: 'ours, path style', oursResources: 'ours, resource methods' } as const;
const scratch = mkdtempSync(join(tmpdir(), 'metorial-bench-typecheck-'));
const version = (name: string) => (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

/** The generated files of a synthetic spec, written where the consumer's copy of src/ reads them (../generated). */
async function generateAt(scale: number, dir: string): Promise<number> {
  const { root, operations } = writeSyntheticSpec(scale, join(dir, 'spec'));
  const document = await bundleSpecDocument(root);
  const files = await renderGeneratedFiles(document);
  mkdirSync(join(dir, 'generated'), { recursive: true });
  for (const [path, content] of files) {
    const name = path.split('/').pop()!;
    if (path.includes('/generated/')) writeFileSync(join(dir, 'generated', name), content);
  }
  return operations;
}

try {
  const loadBefore = loadavg()[0]!;
  const rows: string[] = [];
  const verdicts: string[] = [];
  for (const scale of scales) {
    const dir = join(scratch, `x${scale}`);
    console.log(`Scale ${scale}x: generating…`);
    const operations = await generateAt(scale, dir);
    const commands = writeConsumers(dir, scale);
    const times: Record<(typeof contenders)[number], Measure[]> = { bare: [], ours: [], oursResources: [] };
    for (let round = 0; round < rounds; round++) {
      // Alternated, in a rotated order, so a change in the machine's load hits every contender alike.
      for (let i = 0; i < contenders.length; i++) {
        const name = contenders[(i + round) % contenders.length]!;
        times[name].push(await measure(commands[name]));
      }
    }
    const seconds = (name: (typeof contenders)[number]) => median(times[name].map((m) => m.seconds));
    const memory = (name: (typeof contenders)[number]) => median(times[name].map((m) => m.processMiB));
    for (const name of contenders) {
      const ratio = seconds(name) / seconds('bare');
      rows.push(`| ${scale}x | ${operations} | ${labels[name]} | ${seconds(name).toFixed(2)} | ${ratio.toFixed(2)}× | ${Math.round(memory(name))} |`);
      if (name !== 'bare') verdicts.push(`| ${labels[name]} within 1.5× of bare at ${scale}x | ${ratio.toFixed(2)}× | ${ratio <= 1.5 ? '**met**' : '**not met**'} |`);
      console.log(`  ${labels[name]}: ${seconds(name).toFixed(2)} s (${ratio.toFixed(2)}× bare)`);
    }
  }
  const section = [
    '<!-- typecheck:start -->',
    '## Consumer type-check (`npm run bench:typecheck`)',
    '',
    `The same calls (a list, an iterated list, a create) type-checked by \`tsc\` (TypeScript ${version('typescript')}) with the repository's`,
    "compiler options, through bare openapi-fetch, through our client's path style and through its resource methods,",
    'against the generated types of our spec copied k times (the synthetic specs of `bench:scale`). Medians of',
    `${rounds} alternated rounds; ${new Date().toISOString().slice(0, 10)}, load average ${loadBefore.toFixed(1)} at the start.`,
    '',
    '| scale | operations | contender | seconds | vs bare | peak MiB |',
    '|---:|---:|---|---:|---:|---:|',
    ...rows,
    '',
    '| target (issue 25) | measured | |',
    '|---|---|---|',
    ...verdicts,
    '<!-- typecheck:end -->',
  ].join('\n');
  console.log(`\n${section}`);
  writeResultsSection('typecheck', section);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

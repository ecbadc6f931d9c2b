import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import { loadRelease, releasedVersions, releasesDir } from './breaking/baseline.ts';
import { type Document, compareSpecs } from './breaking/diff.ts';
import { type Acknowledgement, loadAcknowledgements } from './breaking/acknowledgements.ts';
import { type BreakingReport, buildReport, formatMarkdown, machineReadable } from './breaking/report.ts';

export interface ChangelogEntry {
  title: string;
  /** Undefined for the first release, which has nothing before it. */
  report: BreakingReport | undefined;
}

/**
 * The changelog, newest first: what is not released yet (the spec against the latest release),
 * then each release against the one before it. Every entry is a breaking-change report, grouped
 * for readers (shared components once, then by tag and operation), with the reason of each
 * acknowledged breaking change.
 */
export function changelogEntries(current: Document, dir = releasesDir, acknowledgements: readonly Acknowledgement[] = loadAcknowledgements()): ChangelogEntry[] {
  const versions = releasedVersions(dir);
  const entries: ChangelogEntry[] = [];
  const latest = versions.at(-1);
  const report = (base: Document, head: Document, labels: [BreakingReport['base'], BreakingReport['head']]) =>
    buildReport(compareSpecs(base, head), ...labels, { documents: { base, head }, acknowledgements });
  if (latest) {
    const base = loadRelease(latest, dir);
    entries.push({ title: 'Unreleased', report: report(base.document, current, [{ label: base.label, version: latest }, { label: 'spec/', version: current.info?.version }]) });
  }
  for (let i = versions.length - 1; i >= 0; i--) {
    const version = versions[i]!;
    const previous = versions[i - 1];
    entries.push({
      title: version,
      report: previous ? report(loadRelease(previous, dir).document, loadRelease(version, dir).document, [{ label: previous, version: previous }, { label: version, version }]) : undefined,
    });
  }
  return entries;
}

/** The changelog for tools: per release, one record per change (rule id, level, operation, path, advice, acknowledgement). */
export function changelogJson(entries: ChangelogEntry[], acknowledgements: readonly Acknowledgement[] = loadAcknowledgements()): string {
  const releases = entries.map((entry) => ({ release: entry.title, changes: entry.report ? machineReadable(entry.report, acknowledgements) : [] }));
  return `${JSON.stringify({ releases }, null, 2)}\n`;
}

export function changelogMarkdown(entries: ChangelogEntry[]): string {
  const out = ['# Metorial API changelog', '', 'Newest first. Breaking changes come first in each release; a change to a shared part of the API is listed once, with the operations it reaches. The same list for tools: [changelog.json](changelog.json).', ''];
  if (!entries.length) out.push('No release has been recorded yet (`npm run release` records one).', '');
  for (const entry of entries) {
    out.push(`## ${entry.title}`, '');
    out.push(entry.report ? formatMarkdown(entry.report, '###') : 'The first release recorded.\n');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The Markdown of the changelog as a small self-contained page: no script, no request, relative links only. */
export function changelogHtml(markdown: string): string {
  const body = markdown
    .split('\n')
    .map((line) => {
      const inline = escapeHtml(line).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
      if (line.startsWith('#### ')) return `<h4>${inline.slice(5)}</h4>`;
      if (line.startsWith('### ')) return `<h3>${inline.slice(4)}</h3>`;
      if (line.startsWith('## ')) return `<h2>${inline.slice(3)}</h2>`;
      if (line.startsWith('# ')) return `<h1>${inline.slice(2)}</h1>`;
      if (line.startsWith('  - ')) return `<li class="detail">${inline.slice(4)}</li>`;
      if (line.startsWith('- ')) return `<li>${inline.slice(2)}</li>`;
      return line.trim() ? `<p>${inline}</p>` : '';
    })
    .filter(Boolean)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Metorial API changelog</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
code { font: 14px ui-monospace, monospace; background: #f3f4f6; padding: 0 .25rem; border-radius: 3px; }
li { list-style: none; } li.detail { margin-left: 2rem; list-style: disc; }
nav a { color: #0044d4; }
</style>
</head>
<body>
<nav><a href="index.html">← API reference</a></nav>
${body}
</body>
</html>
`;
}

/** `CHANGELOG.md`, `changelog.html` and, for tools, `changelog.json` in `outDir`, beside the reference: path to content. */
export function renderChangelogFiles(current: Document, outDir: string): Map<string, string> {
  const entries = changelogEntries(current);
  const markdown = changelogMarkdown(entries);
  return new Map([
    [join(outDir, 'CHANGELOG.md'), markdown],
    [join(outDir, 'changelog.html'), changelogHtml(markdown)],
    [join(outDir, 'changelog.json'), changelogJson(entries)],
  ]);
}

/** Writes the changelog's files (renderChangelogFiles) into `outDir`, each atomically. */
export function writeChangelog(current: Document, outDir: string): void {
  for (const [path, content] of renderChangelogFiles(current, outDir)) writeFileAtomic(path, content);
}

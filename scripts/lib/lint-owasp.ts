import { relative } from 'node:path';
import { repoRoot, spectralRuleset } from './paths.ts';
import { PipelineError } from './run-tool.ts';
import { loadSpectralEngine, type SpectralEngine, type SpectralResult } from './spectral-engine.ts';

/** The extension that waives a rule of the ruleset for a node of the spec and everything inside it, with the reason. */
export const waiversKey = 'x-lint-waivers';

/** One finding, where the maintainer fixes it: the source file, line and column, and the place in that file. */
export interface OwaspFinding {
  rule: string;
  severity: 'error' | 'warning';
  /** The file that holds the place, relative to the repository when inside it. */
  file: string;
  /** 1-based, as editors count. */
  line: number;
  column: number;
  /** The place in that file: `properties.id`, `get.responses.200`. */
  path: string;
  message: string;
}

const shown = (file: string) => (relative(repoRoot, file).startsWith('..') ? file : relative(repoRoot, file));

/** A Spectral result as a finding (errors and warnings only; undefined for info and hints). */
export function toOwaspFinding(result: SpectralResult, specFile: string): OwaspFinding | undefined {
  if (result.severity > 1) return undefined;
  return {
    rule: String(result.code),
    severity: result.severity === 0 ? 'error' : 'warning',
    file: shown(result.source ?? specFile),
    line: result.range.start.line + 1,
    column: result.range.start.character + 1,
    path: result.path.join('.'),
    message: result.message,
  };
}

/**
 * Lints the split spec with Spectral and the ruleset (`.spectral.js`: the OWASP API Security Top 10
 * 2023 ruleset, which honours the `x-lint-waivers` beside each place), as an editor's Spectral does,
 * so both report the same. Resolves with every error and warning (empty when clean). `engine` is a
 * loaded one (the dev loop keeps one; spectralEngineInWorker runs it in a worker thread); otherwise
 * one is loaded for this run.
 * @throws PipelineError when Spectral itself fails (a broken ruleset, a spec it cannot read).
 */
export async function lintOwasp(specFile: string, engine?: SpectralEngine): Promise<OwaspFinding[]> {
  let results: SpectralResult[];
  try {
    results = await (engine ?? (await loadSpectralEngine())).lint(specFile);
  } catch (error) {
    throw new PipelineError(`Spectral could not lint ${shown(specFile)}: ${(error as Error).message}\nCheck ${shown(spectralRuleset)} and the file it names.`);
  }
  return results.flatMap((result) => toOwaspFinding(result, specFile) ?? []);
}

/** Where a waiver of a finding at `path` goes: the place itself, or the object holding a map of names (`headers`, `responses`), which takes no extension. */
const waiverPlace = (path: string) => path.replace(/(^|\.)(headers|responses)$/, '') || 'the top';

/** One block per finding: tool, severity, rule, file:line:column, the place, the message, and how to fix or waive it. */
export function formatOwaspFindings(findings: readonly OwaspFinding[]): string {
  return findings
    .map((f) =>
      [
        `spectral  ${f.severity.padEnd(7)} ${f.rule}  ${f.file}:${f.line}:${f.column}  ${f.path}`,
        `    ${f.message}`,
        f.rule.startsWith('owasp:')
          ? `    Fix: meet the rule there, or, where that would state something the API does not publish, waive it beside the place (${f.file}, at ${waiverPlace(f.path)}):\n` +
            `      ${waiversKey}:\n        ${f.rule}: <why the rule cannot be met here, and the source>`
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n');
}

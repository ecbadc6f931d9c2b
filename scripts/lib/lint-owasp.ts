import { relative } from 'node:path';
import { repoRoot, spectralRuleset } from './paths.ts';
import { PipelineError, runTool } from './run-tool.ts';

/** The extension that waives a rule of the ruleset for a node of the spec and everything inside it, with the reason. */
export const waiversKey = 'x-lint-waivers';

/** One finding of Spectral, as its `json` formatter prints it. Severity 0 is an error, 1 a warning, 2 info, 3 a hint. */
interface SpectralResult {
  code: string;
  message: string;
  path: Array<string | number>;
  severity: number;
  source?: string;
  range?: { start: { line: number; character: number } };
}

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

/**
 * Runs Spectral with the ruleset (`.spectral.js`: the OWASP API Security Top 10 2023 ruleset, which
 * honours the `x-lint-waivers` beside each place) over the split spec, as an editor's Spectral does,
 * so both report the same. Resolves with every error and warning (empty when clean); throws a
 * PipelineError when Spectral itself fails (a broken ruleset, say).
 */
export async function lintOwasp(specFile: string): Promise<OwaspFinding[]> {
  const result = await runTool('spectral', ['lint', specFile, '--ruleset', spectralRuleset, '--format', 'json', '--quiet']);
  let results: SpectralResult[];
  try {
    results = JSON.parse(result.stdout) as SpectralResult[];
  } catch {
    throw new PipelineError(`Spectral could not lint ${shown(specFile)} (exit code ${result.code}):\n${(result.stderr || result.stdout).trim()}\nCheck ${shown(spectralRuleset)}.`);
  }
  return results
    .filter((finding) => finding.severity <= 1)
    .map((finding) => ({
      rule: finding.code,
      severity: finding.severity === 0 ? 'error' : 'warning',
      file: shown(finding.source ?? specFile),
      line: (finding.range?.start.line ?? 0) + 1,
      column: (finding.range?.start.character ?? 0) + 1,
      path: finding.path.join('.'),
      message: finding.message,
    }));
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

import { relative } from 'node:path';
import { formatOwaspFindings, lintOwasp } from './lint-owasp.ts';
import { spectralEngineInWorker } from './spectral-engine.ts';
import { PipelineError, runTool, withoutBanner } from './run-tool.ts';
import { repoRoot, specRoot, spectralRuleset } from './paths.ts';
import { checkSpecSources } from './spec-sources.ts';

/** The findings of one linter. */
interface ToolReport {
  errors: number;
  warnings: number;
  output: string;
}

/** Redocly CLI with redocly.yaml (recommended-strict and our conventions) over the split source. */
async function lintWithRedocly(spec: string): Promise<ToolReport> {
  const result = await runTool('redocly', ['lint', relative(repoRoot, spec), '--format=stylish']);
  const output = withoutBanner(`${result.stdout}\n${result.stderr}`);
  const errors = Number(/(\d+) errors?/.exec(output)?.[1] ?? (result.code === 0 ? 0 : 1));
  const warnings = Number(/(\d+) warnings?/.exec(output)?.[1] ?? 0);
  return { errors, warnings, output };
}

/** Spectral with the OWASP API Security ruleset (.spectral.js), honouring the waivers beside each place, over the split source. */
async function lintWithOwaspRuleset(spec: string, inWorker: boolean): Promise<ToolReport> {
  const findings = await lintOwasp(spec, inWorker ? spectralEngineInWorker() : undefined);
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors, output: formatOwaspFindings(findings) };
}

export interface LintOptions {
  /** checkSpecSources of the spec, when the caller has started it already (the build, which bundles from the same sources). */
  sourcesChecked?: Promise<void>;
  /**
   * Run Spectral in a worker thread rather than on this one: for a caller with its own work to do
   * meanwhile (the build). Alone (`npm run lint`), the thread's start-up would only add to the time.
   */
  spectralInWorker?: boolean;
}

/**
 * Lints the split spec with Redocly (redocly.yaml) and with Spectral's OWASP API Security ruleset
 * (.spectral.js, which honours the `x-lint-waivers` beside each place), side by side: the same two
 * tools on the same files an editor lints, so both report the same. Zero errors and zero warnings
 * from both is the bar; anything else throws a PipelineError that lists each finding under the tool
 * that made it, with its rule, file, line and fix.
 */
export async function lintSpec(spec = specRoot, options: LintOptions = {}): Promise<void> {
  // Both tools resolve every $ref they meet (files anywhere, URLs with no timeout) and expand YAML
  // aliases, in their process or ours (Spectral): the sources are checked first, once.
  await (options.sourcesChecked ?? checkSpecSources(spec));
  const [redocly, owasp] = await Promise.all([lintWithRedocly(spec), lintWithOwaspRuleset(spec, options.spectralInWorker ?? false)]);
  const errors = redocly.errors + owasp.errors;
  const warnings = redocly.warnings + owasp.warnings;
  const sections: string[] = [];
  if (redocly.errors || redocly.warnings) {
    sections.push(
      `Redocly (redocly.yaml), ${redocly.errors} error(s) and ${redocly.warnings} warning(s):\n\n${redocly.output}\n\n` +
        'Fix each problem at the file and line shown (the rule name after the severity explains it: https://redocly.com/docs/cli/rules).',
    );
  }
  if (owasp.errors || owasp.warnings) {
    const ruleset = relative(repoRoot, spectralRuleset);
    sections.push(
      `Spectral, OWASP API Security ruleset (${ruleset}), ${owasp.errors} error(s) and ${owasp.warnings} warning(s):\n\n${owasp.output}\n\n` +
        'Fix each place at the file and line shown (the rules: https://github.com/stoplightio/spectral-owasp-ruleset). ' +
        'Where a fix would state something the API does not publish, waive the rule beside that place with `x-lint-waivers`, ' +
        'giving the reason and its source, as the waivers in spec/ do (spec/DECISIONS.md W1-W9).',
    );
  }
  if (sections.length) {
    throw new PipelineError(`Lint found ${errors} error(s) and ${warnings} warning(s) in the spec.\n\n${sections.join('\n\n')}\n\nThen run \`npm run lint\` again.`);
  }
}

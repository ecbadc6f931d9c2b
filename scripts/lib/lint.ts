import { relative } from 'node:path';
import { bundleSpecDocument, type OpenApiDocument } from './bundle.ts';
import { formatOwaspFindings, lintOwasp } from './lint-owasp.ts';
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
  // Redocly resolves every $ref it meets (files anywhere, URLs with no timeout) and expands YAML aliases: checked first.
  await checkSpecSources(spec);
  const result = await runTool('redocly', ['lint', relative(repoRoot, spec), '--format=stylish']);
  const output = withoutBanner(`${result.stdout}\n${result.stderr}`);
  const errors = Number(/(\d+) errors?/.exec(output)?.[1] ?? (result.code === 0 ? 0 : 1));
  const warnings = Number(/(\d+) warnings?/.exec(output)?.[1] ?? 0);
  return { errors, warnings, output };
}

/** Spectral with the OWASP API Security ruleset and our waivers (.spectral.yaml) over the bundle. */
async function lintWithOwaspRuleset(spec: string, bundle: Promise<OpenApiDocument>): Promise<ToolReport> {
  const findings = await lintOwasp(await bundle, spec);
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors, output: formatOwaspFindings(findings) };
}

/**
 * Lints the spec with Redocly (redocly.yaml, over the split source) and with Spectral's OWASP API
 * Security ruleset (.spectral.yaml, over the bundle), side by side. Zero errors and zero warnings
 * from both is the bar; anything else throws a PipelineError that lists each finding under the tool
 * that made it, with its rule and place. `bundle` is the spec's bundle when the caller already makes
 * one (the build); otherwise it is made here.
 */
export async function lintSpec(spec = specRoot, bundle: Promise<OpenApiDocument> = bundleSpecDocument(spec)): Promise<void> {
  const [redocly, owasp] = await Promise.all([lintWithRedocly(spec), lintWithOwaspRuleset(spec, bundle)]);
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
        'Fix each place in the source file shown (the rules: https://github.com/stoplightio/spectral-owasp-ruleset). ' +
        `Where a fix would state something the API does not publish, waive that rule for exactly that place in ${ruleset}, ` +
        'with the reason and its source, as the waivers there do.',
    );
  }
  if (sections.length) {
    throw new PipelineError(`Lint found ${errors} error(s) and ${warnings} warning(s) in the spec.\n\n${sections.join('\n\n')}\n\nThen run \`npm run lint\` again.`);
  }
}

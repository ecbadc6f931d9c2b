import { relative } from 'node:path';
import { PipelineError, runTool, withoutBanner } from './run-tool.ts';
import { repoRoot, specRoot } from './paths.ts';

export interface LintReport {
  errors: number;
  warnings: number;
  output: string;
}

/** Lints the spec with redocly.yaml. Zero errors and zero warnings is the bar; anything else throws. */
export async function lintSpec(spec = specRoot): Promise<LintReport> {
  const result = await runTool('redocly', ['lint', relative(repoRoot, spec), '--format=stylish']);
  const output = withoutBanner(`${result.stdout}\n${result.stderr}`);
  const errors = Number(/(\d+) errors?/.exec(output)?.[1] ?? (result.code === 0 ? 0 : 1));
  const warnings = Number(/(\d+) warnings?/.exec(output)?.[1] ?? 0);
  if (result.code !== 0 || errors > 0 || warnings > 0) {
    throw new PipelineError(
      `Lint found ${errors} error(s) and ${warnings} warning(s) in the spec:\n\n${output}\n\n` +
        'Fix each problem at the file and line shown (the rule name after the severity explains it: ' +
        'https://redocly.com/docs/cli/rules), then run `npm run lint` again.',
    );
  }
  return { errors, warnings, output };
}

import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { OpenApiDocument } from './bundle.ts';
import { repoRoot, spectralRuleset } from './paths.ts';
import { PipelineError, runTool } from './run-tool.ts';

/**
 * The name Spectral gives the bundle it reads from standard input, relative to the ruleset's folder
 * (where Spectral resolves the `files` of `overrides`). The waivers in `.spectral.yaml` match it, so
 * they apply to our lint and to `npx spectral lint dist/openapi.json` after a build alike.
 */
export const lintedBundleName = 'dist/openapi.json';

/** One finding of Spectral, as its `json` formatter prints it. Severity 0 is an error, 1 a warning, 2 info, 3 a hint. */
interface SpectralResult {
  code: string;
  message: string;
  path: Array<string | number>;
  severity: number;
}

/** One finding, located in the bundle and, where the spec's layout allows, in its source file. */
export interface OwaspFinding {
  rule: string;
  severity: 'error' | 'warning';
  /** A JSON Pointer into the bundle as a URI fragment (RFC 6901 §6), the form `overrides` take. */
  pointer: string;
  /** The source file that holds the place (the root document when no other): relative to the repository when inside it. */
  sourceFile: string;
  message: string;
}

/** Encodes a bundle path as Spectral does: RFC 6901 escapes, then percent-encoding for a URI fragment. */
function toPointer(path: ReadonlyArray<string | number>): string {
  return `#/${path.map((token) => encodeURIComponent(String(token).replaceAll('~', '~0').replaceAll('/', '~1'))).join('/')}`;
}

/**
 * The source file of a place in the bundle, from the layout of spec/README.md: components in
 * `components/<kind>/<Name>.yaml`, path items in `paths/<path, slashes as underscores>.yaml`.
 * Everything else (info, servers, tags) is in the root document.
 */
function sourceFileOf(path: ReadonlyArray<string | number>, specFile: string): string {
  const root = dirname(specFile);
  const [section, key, name] = path.map(String);
  const candidate =
    section === 'components' && key && name
      ? join(root, 'components', key, `${name}.yaml`)
      : section === 'paths' && key
        ? join(root, 'paths', `${key.replace(/^\//, '').replaceAll('/', '_')}.yaml`)
        : specFile;
  const file = existsSync(candidate) ? candidate : specFile;
  const inRepository = relative(repoRoot, file);
  return inRepository.startsWith('..') ? file : inRepository;
}

/**
 * Runs Spectral with `.spectral.yaml` (the OWASP API Security Top 10 2023 ruleset, with its waivers)
 * over the bundled spec, given on standard input. Resolves with every finding (empty when clean);
 * throws a PipelineError when Spectral itself fails (a broken ruleset, say).
 */
export async function lintOwasp(bundle: OpenApiDocument, specFile: string): Promise<OwaspFinding[]> {
  const args = ['lint', '--ruleset', spectralRuleset, '--format', 'json', '--quiet', '--stdin-filepath', join(dirname(spectralRuleset), lintedBundleName)];
  const result = await runTool('spectral', args, JSON.stringify(bundle));
  let results: SpectralResult[];
  try {
    results = JSON.parse(result.stdout) as SpectralResult[];
  } catch {
    throw new PipelineError(
      `Spectral could not lint the bundled spec (exit code ${result.code}):\n${(result.stderr || result.stdout).trim()}\n` +
        `Check ${relative(repoRoot, spectralRuleset)}: every waiver needs \`files\` of the form '${lintedBundleName}#/<pointer>' and \`rules\` set to off.`,
    );
  }
  return results.map((finding) => ({
    rule: finding.code,
    severity: finding.severity === 0 ? 'error' : 'warning',
    pointer: toPointer(finding.path),
    sourceFile: sourceFileOf(finding.path, specFile),
    message: finding.message,
  }));
}

/** One line per finding: tool, severity, rule, place in the bundle, source file, message. */
export function formatOwaspFindings(findings: readonly OwaspFinding[]): string {
  return findings
    .map((f) => `spectral  ${f.severity.padEnd(7)} ${f.rule}  ${lintedBundleName}${f.pointer} (${f.sourceFile})\n    ${f.message}`)
    .join('\n');
}

import { relative } from 'node:path';
import { bundle, getLineColLocation, lint, loadConfig } from '@redocly/openapi-core';
import type { OpenApiDocument } from './bundle.ts';
import { redoclyConfig, repoRoot } from './paths.ts';
import { PipelineError } from './run-tool.ts';

/*
 * Redocly's lint and bundle in this process (@redocly/openapi-core, the library inside the CLI),
 * with redocly.yaml loaded once: what `npm run dev` runs on every save, where starting the CLI
 * would cost most of the time. `npm run lint` and `npm run build` run the CLI; the suite checks
 * that both give the same findings and the same bundle (test/dev.test.ts).
 */

/** One Redocly finding, where the maintainer fixes it. */
export interface RedoclyFinding {
  rule: string;
  severity: 'error' | 'warning';
  /** Relative to the repository when inside it. */
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface RedoclyEngine {
  lint(specFile: string): Promise<RedoclyFinding[]>;
  /** The split spec as one document, keys in the order the CLI's `redocly bundle` writes them. */
  bundle(specFile: string): Promise<OpenApiDocument>;
}

const shown = (file: string) => (relative(repoRoot, file).startsWith('..') ? file : relative(repoRoot, file));

/** The CLI writes a bundle's top-level fields in this order, whatever the source's order. */
const rootOrder = ['openapi', 'info', 'jsonSchemaDialect', 'servers', 'security', 'tags', 'externalDocs', 'paths', 'webhooks', 'components'];
function inCliOrder(document: Record<string, unknown>): OpenApiDocument {
  const rank = (key: string) => (rootOrder.includes(key) ? rootOrder.indexOf(key) : rootOrder.length);
  return Object.fromEntries(Object.entries(document).sort(([a], [b]) => rank(a) - rank(b))) as unknown as OpenApiDocument;
}

/** Loads `redocly.yaml` once and returns an engine that lints and bundles with it. */
export async function loadRedoclyEngine(configPath = redoclyConfig): Promise<RedoclyEngine> {
  const config = await loadConfig({ configPath });
  return {
    async lint(specFile) {
      const problems = await lint({ ref: specFile, config });
      return problems
        .filter((p) => p.severity === 'error' || p.severity === 'warn')
        .map((p) => {
          const location = p.location[0];
          const at = location ? getLineColLocation(location).start : { line: 1, col: 1 };
          return {
            rule: p.ruleId,
            severity: p.severity === 'error' ? 'error' : 'warning',
            file: shown(location?.source.absoluteRef ?? specFile),
            line: at.line,
            column: at.col,
            message: p.message,
          };
        });
    },
    async bundle(specFile) {
      const result = await bundle({ ref: specFile, config, dereference: false });
      const errors = result.problems.filter((p) => p.severity === 'error');
      if (errors.length) {
        throw new PipelineError(`Could not bundle ${shown(specFile)}: ${errors.map((p) => p.message).join('; ')}\nA $ref probably points to a file that does not exist; fix the path it names.`);
      }
      return inCliOrder(result.bundle.parsed as Record<string, unknown>);
    },
  };
}

let shared: Promise<RedoclyEngine> | undefined;

/**
 * Bundles a split spec in this process with one engine per process (no CLI to start): for tools
 * that bundle several specs in one run, such as the breaking-change check. Same document as
 * `redocly bundle` (test/dev.test.ts).
 */
export async function bundleInProcess(specFile: string): Promise<OpenApiDocument> {
  shared ??= loadRedoclyEngine();
  return (await shared).bundle(specFile);
}

/** One block per Redocly finding: tool, severity, rule, file:line:column, the message, and where the rule is explained. */
export function formatRedoclyFindings(findings: readonly RedoclyFinding[]): string {
  return findings
    .map((f) => {
      const docs = f.rule.startsWith('rule/') ? 'the rule in redocly.yaml says what it asks' : `https://redocly.com/docs/cli/rules/${f.rule}`;
      return `redocly   ${f.severity.padEnd(7)} ${f.rule}  ${f.file}:${f.line}:${f.column}\n    ${f.message}\n    Fix: at that line (${docs}).`;
    })
    .join('\n');
}

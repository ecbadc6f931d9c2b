/**
 * What the ecosystem matrix expects: the known failures, each with its reason and the error that
 * shows it, and the package mutations that must break named runtimes. As in the Stainless SDKs'
 * ecosystem tests, a known failure is marked here, an unexpected failure fails the run, and so does
 * an unexpected pass: a failure that went away must be taken out of this file, and the package
 * README's table updated, so that what is claimed is what is tested.
 */

/** A case known to fail on a target: why, and a pattern its error must match (another error is a failure). */
export interface ExpectedFailure {
  reason: string;
  error: RegExp;
}

const noCodeGeneration: ExpectedFailure = {
  reason: 'ajv compiles each schema into a function at run time, which this runtime forbids; responseValidation() says so',
  error: /MetorialConfigurationError: Response validation needs a runtime that may compile code at run time/,
};

const typescriptTooOld: ExpectedFailure = {
  reason: "openapi-fetch's declarations need TypeScript 5.4 (TS2344 on ResponseObjectMap): 5.4 is the oldest the package supports",
  error: /openapi-fetch\/dist\/index\.d\.[cm]ts\(\d+,\d+\): error TS2344/,
};

/** By target id (targets.ts), then case name (cases.mjs, or `type-check`). */
export const expectedFailures: Readonly<Record<string, Readonly<Record<string, ExpectedFailure>>>> = {
  workerd: { validation: noCodeGeneration },
  'edge-runtime': { validation: noCodeGeneration },
  'deno-import-map': {
    validation: {
      reason: 'the /validation entry imports ajv, which is CommonJS: a plain import map loads ES modules only (use npm: specifiers for it)',
      error: /does not provide an export named 'Ajv2020'/,
    },
  },
  'typescript-5.3-bundler': { 'type-check': typescriptTooOld },
};

/**
 * A change to the packed package that removes a runtime's support, and the targets it must break
 * (every other target must still pass): proof that the matrix catches such a change. Each is
 * prepended to the main entry's ES module and CommonJS builds before packing.
 */
export interface Mutation {
  change: string;
  esm: string;
  cjs: string;
  breaks: readonly string[];
}

const browsers = ['chromium-esbuild', 'chromium-vite', 'chromium-webpack'];

export const mutations: Readonly<Record<string, Mutation>> = {
  'node-import': {
    change: "a Node-only call in the main entry (existsSync from 'node:fs', as code looking for a local config file does)",
    esm: "import { existsSync as nodeOnlyExists } from 'node:fs';\nexport const hasLocalConfig = nodeOnlyExists('.metorialrc');\n",
    cjs: "exports.hasLocalConfig = require('node:fs').existsSync('.metorialrc');\n",
    // Node, Deno (with read access to the project) and Bun have node:fs. A Worker without
    // nodejs_compat, an edge function and a page do not: esbuild and webpack refuse to bundle it, and
    // vite replaces it with an empty module, so the call throws as the page loads (a bare import that
    // is never called would pass there: vite is right to let it).
    breaks: ['workerd', 'edge-runtime', ...browsers],
  },
  'env-read': {
    change: 'the environment read whatever the caller passes (METORIAL_API_KEY read as the module loads)',
    esm: "export const keyFromEnvironment = typeof process === 'undefined' ? undefined : process.env.METORIAL_API_KEY;\n",
    cjs: "exports.keyFromEnvironment = typeof process === 'undefined' ? undefined : process.env.METORIAL_API_KEY;\n",
    // Deno runs without --allow-env, as a script that passes apiKey and baseUrl needs no environment.
    breaks: ['deno-npm', 'deno-import-map'],
  },
};

/** One case's outcome on one target. */
export interface CaseOutcome {
  ok: boolean;
  error?: string;
}

/** A target's outcome: each case's, by name. */
export interface TargetOutcome {
  target: string;
  cases: Record<string, CaseOutcome>;
}

export type Verdict = 'pass' | 'expected failure' | 'FAIL' | 'UNEXPECTED PASS';

export interface Judged {
  target: string;
  case: string;
  verdict: Verdict;
  detail: string;
}

/** Each case of each target judged against the expected failures; the run fails on any FAIL or UNEXPECTED PASS. */
export function judge(outcomes: TargetOutcome[], expected = expectedFailures): Judged[] {
  const judged: Judged[] = [];
  for (const { target, cases } of outcomes) {
    for (const [name, outcome] of Object.entries(cases)) {
      const known = expected[target]?.[name];
      if (outcome.ok && !known) judged.push({ target, case: name, verdict: 'pass', detail: '' });
      else if (outcome.ok && known) {
        judged.push({ target, case: name, verdict: 'UNEXPECTED PASS', detail: `expected to fail (${known.reason}), but passed: take it out of ecosystem/expectations.ts and claim it in client/README.md` });
      } else if (known && known.error.test(outcome.error ?? '')) judged.push({ target, case: name, verdict: 'expected failure', detail: known.reason });
      else {
        const why = known ? `failed, but not as expected (${known.error}): ` : '';
        judged.push({ target, case: name, verdict: 'FAIL', detail: `${why}${outcome.error ?? 'no error reported'}` });
      }
    }
  }
  return judged;
}

/**
 * A mutation's run judged: every target it should break has a failing case, and every other target
 * passes all of its cases. Returns one line per target that does not behave so (empty when it does).
 */
export function judgeMutation(name: string, outcomes: TargetOutcome[], mutation: Mutation = mutations[name]!): string[] {
  const problems: string[] = [];
  for (const { target, cases } of outcomes) {
    const failed = Object.entries(cases).filter(([, outcome]) => !outcome.ok);
    const shouldBreak = mutation.breaks.includes(target);
    if (shouldBreak && failed.length === 0) problems.push(`${name}: ${target} still passes with ${mutation.change}: the matrix does not catch it there`);
    if (!shouldBreak && failed.length > 0) problems.push(`${name}: ${target} fails with ${mutation.change}, which it should survive: ${failed[0]![1].error}`);
  }
  for (const target of mutation.breaks) {
    if (!outcomes.some((outcome) => outcome.target === target)) problems.push(`${name}: ${target} was not run, so nothing shows it breaks`);
  }
  return problems;
}

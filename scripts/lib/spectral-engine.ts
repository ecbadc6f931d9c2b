import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { repoRoot, spectralRuleset } from './paths.ts';

/*
 * Spectral in this process, with its CLI's own ruleset loader: the same packages, ruleset and
 * resolver as `spectral lint`, without starting Node and bundling the ruleset again for each run.
 * `npm run lint` and `npm run dev` lint with it; an editor's Spectral runs the same ruleset file.
 */

const require = createRequire(import.meta.url);

/** One finding as Spectral reports it. Severity 0 is an error, 1 a warning, 2 info, 3 a hint. */
export interface SpectralResult {
  code: string | number;
  message: string;
  path: Array<string | number>;
  severity: number;
  source?: string;
  range: { start: { line: number; character: number } };
}

interface SpectralApi {
  Spectral: new (options: { resolver: unknown }) => { setRuleset(ruleset: unknown): void; run(document: unknown, options: object): Promise<SpectralResult[]> };
  Document: new (input: string, parser: unknown, source: string) => unknown;
}

export interface SpectralEngine {
  /** Lints the document at `specFile` (a split spec is resolved from its files as they are now). */
  lint(specFile: string): Promise<SpectralResult[]>;
}

/** Loads the ruleset once (`.spectral.js` unless named) and returns an engine that lints with it. */
export async function loadSpectralEngine(ruleset = spectralRuleset): Promise<SpectralEngine> {
  const { Spectral, Document } = require('@stoplight/spectral-core') as SpectralApi;
  const parsers = require('@stoplight/spectral-parsers') as { Yaml: unknown };
  const { createHttpAndFileResolver } = require('@stoplight/spectral-ref-resolver') as { createHttpAndFileResolver(): unknown };
  const { readParsable } = require('@stoplight/spectral-runtime') as { readParsable(file: string, options: { encoding: string }): Promise<string> };
  // The CLI's loader: it bundles a JS ruleset and its imports (the OWASP ruleset) as `spectral lint` does.
  const { getRuleset } = require(join(repoRoot, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'services', 'linter', 'utils', 'getRuleset.js')) as {
    getRuleset(file: string): Promise<unknown>;
  };
  const loaded = await getRuleset(ruleset);
  return {
    async lint(specFile) {
      // A resolver per run: it caches the files it reads, and a save changes them.
      const spectral = new Spectral({ resolver: createHttpAndFileResolver() });
      spectral.setRuleset(loaded);
      const document = new Document(await readParsable(specFile, { encoding: 'utf8' }), parsers.Yaml, specFile);
      return spectral.run(document, { ignoreUnknownFormat: false });
    },
  };
}

/**
 * One Spectral run in a worker thread of its own, so that a build's other work in this process
 * (bundling, types, the client package) runs beside it: at 1,000 operations Spectral takes about
 * 20 s of one core (bench/RESULTS.md). Resolves with what `loadSpectralEngine(ruleset).lint(specFile)`
 * resolves; rejects with its error's message.
 */
export function lintInWorker(specFile: string, ruleset = spectralRuleset): Promise<SpectralResult[]> {
  const worker = new Worker(new URL('./spectral-worker.mjs', import.meta.url), { workerData: { specFile, ruleset } });
  return new Promise<SpectralResult[]>((resolve, reject) => {
    worker.once('message', (answer: { results: SpectralResult[] } | { error: string }) => ('error' in answer ? reject(new Error(answer.error)) : resolve(answer.results)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`Spectral's worker thread stopped (exit code ${code}) before it answered.`)));
  }).finally(() => void worker.terminate());
}

/** An engine whose every lint is one run in a worker thread of its own (lintInWorker), loading the ruleset there. */
export function spectralEngineInWorker(ruleset = spectralRuleset): SpectralEngine {
  return { lint: (specFile) => lintInWorker(specFile, ruleset) };
}

/** In lintInWorker's thread: lints what the thread was given and posts `{ results }` or `{ error }`. */
export async function answerInWorker(): Promise<void> {
  const { specFile, ruleset } = workerData as { specFile: string; ruleset: string };
  try {
    parentPort!.postMessage({ results: await (await loadSpectralEngine(ruleset)).lint(specFile) });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}

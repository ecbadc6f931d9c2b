import { type FSWatcher, watch } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { withoutLintWaivers, writeBundle } from '../bundle.ts';
import { buildClientPackage } from '../client-package.ts';
import { withCodeSamples } from '../code-samples.ts';
import { writeGeneratedFiles } from '../generated.ts';
import { formatOwaspFindings, lintOwasp } from '../lint-owasp.ts';
import { repoRoot } from '../paths.ts';
import { checkSpecSources } from '../spec-sources.ts';
import { formatRedoclyFindings, loadRedoclyEngine, type RedoclyEngine } from '../redocly-engine.ts';
import { loadSpectralEngine, type SpectralEngine } from '../spectral-engine.ts';
import { HotSwapServer } from './hot-swap.ts';
import { PreviewServer } from './preview.ts';
import { startPrismBackend } from './prism-backend.ts';
import { startSandboxBackend } from './sandbox-backend.ts';

export interface DevLoopOptions {
  /** The root of the split spec (spec/openapi.yaml); its folder is watched. */
  spec: string;
  /** Where the bundle is written (dist/). */
  distDir: string;
  /** 0 for a free port. */
  previewPort: number;
  mockPort: number;
  sandboxPort: number;
  /** Whether to rebuild the client package (its declarations) after each good build. */
  buildClient: boolean;
  log(line: string): void;
}

/** What one rebuild did, in milliseconds after the save that started it. */
export interface RebuildOutcome {
  id: number;
  ok: boolean;
  lintMs: number;
  /** The reference serves the new bundle. */
  previewMs?: number;
  /** The mock serves the new bundle. */
  mockMs?: number;
  /** The sandbox serves the new bundle. */
  sandboxMs?: number;
  typesMs?: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * `npm run dev`: watches the spec's folder; on each save, lints (Redocly and the OWASP ruleset, in
 * this process) and bundles side by side, and, only when lint passes, publishes the bundle to the
 * reference preview (open pages reload), swaps the mock and the sandbox onto it, rewrites the bundle in dist/ and
 * the types in generated/, then rebuilds the client package's declarations. A lint failure is
 * printed with file, line and fix, and shown on the open page; the last good spec stays served.
 */
export class DevLoop {
  private watcher: FSWatcher | undefined;
  private running: Promise<void> | undefined;
  private pending: { savedAt: number; files: Set<string> } | undefined;
  private builds = 0;
  private clientBuild: Promise<void> = Promise.resolve();
  /** Every rebuild's outcome, for the benchmark and the tests. */
  readonly outcomes: RebuildOutcome[] = [];
  private listeners: Array<(outcome: RebuildOutcome) => void> = [];

  private constructor(
    private readonly options: DevLoopOptions,
    private readonly redocly: RedoclyEngine,
    private readonly spectral: SpectralEngine,
    readonly preview: PreviewServer,
    readonly mock: HotSwapServer,
    readonly sandbox: HotSwapServer,
  ) {}

  static async start(options: DevLoopOptions): Promise<DevLoop> {
    const [redocly, spectral, preview, mock, sandbox] = await Promise.all([
      loadRedoclyEngine(),
      loadSpectralEngine(),
      PreviewServer.listen(options.previewPort),
      HotSwapServer.listen(options.mockPort, 'mock'),
      HotSwapServer.listen(options.sandboxPort, 'sandbox'),
    ]);
    const loop = new DevLoop(options, redocly, spectral, preview, mock, sandbox);
    await loop.rebuild(performance.now(), ['(start)']);
    loop.watch();
    return loop;
  }

  /** Resolves with the outcome of the next rebuild to finish. */
  nextOutcome(): Promise<RebuildOutcome> {
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  private watch(): void {
    const folder = dirname(this.options.spec);
    this.watcher = watch(folder, { recursive: true }, (_event, file) => {
      if (file && !/\.(ya?ml|json)$/.test(file)) return;
      const now = performance.now();
      this.pending ??= { savedAt: now, files: new Set() };
      this.pending.files.add(file ? join(relative(repoRoot, folder), file) : relative(repoRoot, folder));
      // Saves that arrive while a rebuild runs are taken together by the next one.
      if (!this.running) this.running = this.drain();
    });
  }

  private async drain(): Promise<void> {
    // An editor writes a file in several events; let them land.
    await new Promise((resolve) => setTimeout(resolve, 25));
    while (this.pending) {
      const { savedAt, files } = this.pending;
      this.pending = undefined;
      await this.rebuild(savedAt, [...files]);
    }
    this.running = undefined;
  }

  private finish(outcome: RebuildOutcome): RebuildOutcome {
    this.outcomes.push(outcome);
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener(outcome);
    return outcome;
  }

  /** One rebuild for the saves of `files` at `savedAt` (performance.now()). Never throws: a failure is reported and the loop goes on. */
  async rebuild(savedAt: number, files: string[]): Promise<RebuildOutcome> {
    const id = ++this.builds;
    const since = () => performance.now() - savedAt;
    const { spec, distDir, log } = this.options;
    const clock = new Date().toLocaleTimeString('en-GB');
    // The sources are checked before any tool reads them: Redocly and Spectral here run in this process,
    // where an alias bomb or a $ref out of the tree would take the loop down (scripts/lib/spec-sources.ts).
    const sourceProblem = await checkSpecSources(spec).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    const [redocly, owasp, bundled] = await Promise.allSettled(
      sourceProblem === undefined ? [this.redocly.lint(spec), lintOwasp(spec, this.spectral), this.redocly.bundle(spec)] : [Promise.resolve([]), Promise.resolve([]), Promise.reject(new Error(sourceProblem))],
    );
    const lintMs = since();
    const problems = [
      ...(redocly.status === 'fulfilled' ? (redocly.value.length ? [formatRedoclyFindings(redocly.value)] : []) : [`redocly: ${(redocly.reason as Error).message}`]),
      ...(owasp.status === 'fulfilled' ? (owasp.value.length ? [formatOwaspFindings(owasp.value)] : []) : [`spectral: ${(owasp.reason as Error).message}`]),
      ...(bundled.status === 'rejected' ? [`bundle: ${(bundled.reason as Error).message}`] : []),
    ];
    if (problems.length || bundled.status !== 'fulfilled') {
      const text = problems.join('\n');
      log(`✖ ${clock} ${files.join(', ')}: lint failed (${seconds(lintMs)}); the reference and the mock still serve the last spec that passed.\n${text}\n`);
      this.preview.lintFailed(text, id);
      return this.finish({ id, ok: false, lintMs });
    }
    const document = withCodeSamples(withoutLintWaivers(bundled.value));
    const json = `${JSON.stringify(document, null, 2)}\n`;
    this.preview.publish(json, id);
    const previewMs = since();
    writeBundle(document, distDir);
    const settle = (what: string, work: Promise<unknown>) =>
      work.then(since, (error: Error) => {
        log(`✖ ${clock} the ${what} was not updated: ${error.message}`);
        return undefined;
      });
    const [mockMs, sandboxMs, typesMs] = await Promise.all([
      settle('mock', this.mock.swap(() => startPrismBackend(join(distDir, 'openapi.json')))),
      settle('sandbox', this.sandbox.swap(() => startSandboxBackend(document))),
      settle('types in generated/', writeGeneratedFiles(document)),
    ]);
    const shown = (ms: number | undefined) => (ms === undefined ? 'not updated' : seconds(ms));
    log(
      `✔ ${clock} ${files.join(', ')}: the reference ${this.preview.url} and the mock ${this.mock.url} serve it ${seconds(Math.max(previewMs, mockMs ?? 0))} after the save` +
        ` (lint and bundle ${seconds(lintMs)}, reference ${seconds(previewMs)}, mock ${shown(mockMs)}, sandbox ${shown(sandboxMs)}, types in generated/ ${shown(typesMs)})`,
    );
    const outcome = this.finish({
      id,
      ok: true,
      lintMs,
      previewMs,
      ...(mockMs === undefined ? {} : { mockMs }),
      ...(sandboxMs === undefined ? {} : { sandboxMs }),
      ...(typesMs === undefined ? {} : { typesMs }),
    });
    if (this.options.buildClient) {
      // One client build at a time; a later save's build follows the one running.
      this.clientBuild = this.clientBuild.then(() =>
        buildClientPackage().then(
          () => log(`  client package declarations rebuilt (client/dist) ${seconds(since())} after that save`),
          (error: Error) => log(`✖ the client package did not build: ${error.message}`),
        ),
      );
    }
    return outcome;
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    await this.running;
    await this.clientBuild;
    await Promise.all([this.preview.close(), this.mock.close(), this.sandbox.close()]);
  }
}

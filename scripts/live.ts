import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from './lib/atomic-write.ts';
import { bundleSpec } from './lib/bundle.ts';
import { runMain } from './lib/cli.ts';
import { checkLiveServer, formatLiveReport } from './lib/live.ts';
import { PipelineError } from './lib/run-tool.ts';

const usage =
  'Usage: npm run live -- --url https://api.metorial.com [--key metorial_sk_... (or METORIAL_API_KEY)] [--spec releases/1.0.0.json] [--include-writes] [--report live-report.json]';

/** Throws, saying what to pass instead, unless `file` holds a bundled OpenAPI document in JSON. */
function checkBundledSpec(file: string): void {
  const instead = 'Pass a bundled spec in JSON (dist/openapi.json, or a release in releases/), or leave --spec out to check against spec/.';
  if (!existsSync(file)) throw new PipelineError(`--spec ${file}: no such file. ${instead}\n${usage}`);
  let document: { openapi?: unknown; paths?: unknown };
  try {
    document = JSON.parse(readFileSync(file, 'utf8')) as typeof document;
  } catch (error) {
    throw new PipelineError(`--spec ${file} is not JSON (${(error as Error).message}). ${instead}\n${usage}`);
  }
  if (typeof document?.openapi !== 'string' || typeof document.paths !== 'object') {
    throw new PipelineError(`--spec ${file} is not an OpenAPI document (no openapi version or paths). ${instead}\n${usage}`);
  }
}

/** Checks a running server against the spec through Prism's validating proxy; exits 1 on any violation. */
runMain(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string' },
        key: { type: 'string' },
        'include-writes': { type: 'boolean', default: false },
        report: { type: 'string' },
        spec: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new PipelineError(`${(error as Error).message}\n${usage}`);
  }
  if (!values.url) throw new PipelineError(`Which server? Pass its base URL with --url.\n${usage}`);
  if (!URL.canParse(values.url) || !/^https?:$/.test(new URL(values.url).protocol)) {
    throw new PipelineError(`--url must be an http or https URL, such as https://api.metorial.com, not "${values.url}".\n${usage}`);
  }
  const apiKey = values.key ?? process.env.METORIAL_API_KEY;
  if (!apiKey) throw new PipelineError(`No API key: pass --key or set METORIAL_API_KEY.\n${usage}`);
  if (values.spec !== undefined) checkBundledSpec(values.spec);
  // A private bundle: Prism reloads when the file it serves changes, so it must not serve dist/.
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-live-'));
  let report;
  try {
    // --spec: a bundle made before, such as a release's; else the spec as it is now.
    if (values.spec) copyFileSync(values.spec, join(scratch, 'openapi.json'));
    else await bundleSpec(scratch);
    report = await checkLiveServer({
      server: values.url.replace(/\/$/, ''),
      apiKey,
      specFile: join(scratch, 'openapi.json'),
      includeWrites: values['include-writes'],
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(formatLiveReport(report));
  if (values.report) {
    writeFileAtomic(values.report, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`Report written to ${values.report}`);
  }
  if (report.violations > 0) process.exitCode = 1;
});

import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from './lib/atomic-write.ts';
import { bundleSpec } from './lib/bundle.ts';
import { runMain } from './lib/cli.ts';
import type { OpenAPI3 } from 'openapi-typescript';
import { type CheckName, checkNames } from './lib/checks/findings.ts';
import { creationsOf, isUndoable } from './lib/checks/links.ts';
import { checkLiveServer, formatLiveReport, type LiveWrites } from './lib/live.ts';
import { operationsOf } from './lib/spec-requests.ts';
import { PipelineError } from './lib/run-tool.ts';

const usage = `Usage: npm run live -- --url https://api.metorial.com [options]

Checks a running server against the spec through Prism's validating proxy. Reads only, unless asked.

  --url URL                    the server to check (required)
  --key KEY                    its secret API key (default: METORIAL_API_KEY)
  --spec FILE                  a bundled spec in JSON to check against, such as releases/1.0.0.json (default: spec/, bundled now)
  --report FILE                also write the report as JSON
  --strict                     also fail on drift: fields an answer carries that the spec does not document
                               (always reported, by operation and place; clients accept them)
  --include-writes             also send writes (POST, PATCH, DELETE), only to objects this run creates,
                               each removed again at the end (also on failure, SIGINT or SIGTERM);
                               needs --confirm-writes-to
  --confirm-writes-to URL      the same URL as --url, to confirm which server the writes change
  --allow-irreversible OP_ID   also send this create, whose effect no DELETE undoes (createRun messages
                               a real agent); repeat for several
  --body OP_ID=FILE            the JSON request body for this write, in place of the spec's example
                               (a create needs parent ids that exist on the server); repeat for several
  --second-key KEY             a key of another tenant (default: METORIAL_SECOND_API_KEY), for the tenancy
                               check: none of the first key's objects may be visible with it
  --checks NAMES               the behaviour checks to run, comma-separated, or none (default: every one
                               the mode allows: ${checkNames.join(', ')})
  --max-pages N                pages of each list the behaviour checks walk at most (default 10)
  --help                       this text`;

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

/** `https://api.metorial.com/` and `https://api.metorial.com` are one server; a path is part of it. */
function sameServer(a: string, b: string): boolean {
  const normal = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  };
  return URL.canParse(a) && URL.canParse(b) && normal(a) === normal(b);
}

type WriteFlags = { url: string; 'include-writes': boolean; 'confirm-writes-to'?: string; 'allow-irreversible'?: string[]; body?: string[] };

/** Throws unless the write flags agree: writes need --include-writes and the server confirmed by name. Needs no spec, so it fails before any work. */
function confirmWrites(values: WriteFlags): void {
  const asked = values['confirm-writes-to'] !== undefined || (values['allow-irreversible'] ?? []).length > 0 || (values.body ?? []).length > 0;
  if (!values['include-writes']) {
    if (asked) throw new PipelineError(`--confirm-writes-to, --allow-irreversible and --body are about writes: add --include-writes, or leave them out for a read-only run.\n${usage}`);
    return;
  }
  const confirmed = values['confirm-writes-to'];
  if (confirmed === undefined) {
    throw new PipelineError(`--include-writes changes data on ${values.url}: confirm the server by naming it again, --confirm-writes-to ${values.url}\n${usage}`);
  }
  if (!sameServer(confirmed, values.url)) {
    throw new PipelineError(`--confirm-writes-to ${confirmed} is not the server of --url ${values.url}: nothing was sent. Name the one server you mean to change in both.\n${usage}`);
  }
}

/** The write options of a confirmed write run, each operationId checked against the spec; undefined for a read-only run. */
function writesFrom(values: WriteFlags, specFile: string): LiveWrites | undefined {
  if (!values['include-writes']) return undefined;
  const document = JSON.parse(readFileSync(specFile, 'utf8')) as OpenAPI3;
  const operationIds = new Set(operationsOf(document).map((op) => op.operationId));
  const irreversible = creationsOf(document).filter((c) => !isUndoable(c)).map((c) => c.create.operationId);
  for (const name of values['allow-irreversible'] ?? []) {
    if (!irreversible.includes(name)) {
      throw new PipelineError(`--allow-irreversible ${name}: not a create that cannot be undone. Those are: ${irreversible.join(', ') || 'none'}.\n${usage}`);
    }
  }
  const bodies: Record<string, unknown> = {};
  for (const pair of values.body ?? []) {
    const [operationId, file] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (!pair.includes('=') || !operationIds.has(operationId)) {
      throw new PipelineError(`--body ${pair}: give an operationId of the spec and a JSON file, such as --body createSessionTemplateProvider=stp.json.\n${usage}`);
    }
    if (!existsSync(file)) throw new PipelineError(`--body ${pair}: no such file ${file}.\n${usage}`);
    try {
      bodies[operationId] = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new PipelineError(`--body ${pair}: ${file} is not JSON (${(error as Error).message}).\n${usage}`);
    }
  }
  return { allowIrreversible: values['allow-irreversible'] ?? [], bodies };
}

/** `--checks`: the named behaviour checks, `none` for none, or undefined for every one. */
function checksFrom(value: string | undefined): CheckName[] | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return [];
  const names = value.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !(checkNames as readonly string[]).includes(n));
  if (unknown.length) throw new PipelineError(`--checks: no check named ${unknown.join(', ')}. The checks are: ${checkNames.join(', ')}; or none.\n${usage}`);
  return names as CheckName[];
}

/**
 * SIGINT and SIGTERM stop the run between calls; it then removes what it created and reports. A
 * second signal exits at once, naming what may be left on the server.
 */
function stopOnSignals(controller: AbortController, created: Map<string, string>): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      console.error(`\n${signal}: stopping; removing what this run created first (${signal} again to exit at once).`);
      controller.abort(signal);
      return;
    }
    const left = [...created].map(([id, by]) => `${id} (${by})`).join(', ');
    console.error(`\n${signal} again: exiting before removal finished.${left ? ` This run created, and may have left on the server: ${left}.` : ''}`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * Checks a running server against the spec through Prism's validating proxy; exits 1 on any violation,
 * and with --strict also on any undocumented field (drift).
 */
runMain(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string' },
        key: { type: 'string' },
        'include-writes': { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        'confirm-writes-to': { type: 'string' },
        'allow-irreversible': { type: 'string', multiple: true },
        body: { type: 'string', multiple: true },
        report: { type: 'string' },
        spec: { type: 'string' },
        'second-key': { type: 'string' },
        checks: { type: 'string' },
        'max-pages': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new PipelineError(`${(error as Error).message}\n${usage}`);
  }
  if (values.help) return void console.log(usage);
  if (!values.url) throw new PipelineError(`Which server? Pass its base URL with --url.\n${usage}`);
  if (!URL.canParse(values.url) || !/^https?:$/.test(new URL(values.url).protocol)) {
    throw new PipelineError(`--url must be an http or https URL, such as https://api.metorial.com, not "${values.url}".\n${usage}`);
  }
  const apiKey = values.key ?? process.env.METORIAL_API_KEY;
  if (!apiKey) throw new PipelineError(`No API key: pass --key or set METORIAL_API_KEY.\n${usage}`);
  if (values.spec !== undefined) checkBundledSpec(values.spec);
  confirmWrites({ ...values, url: values.url });
  const checks = checksFrom(values.checks);
  const maxPages = values['max-pages'] === undefined ? undefined : Number(values['max-pages']);
  if (maxPages !== undefined && !(Number.isInteger(maxPages) && maxPages >= 1)) throw new PipelineError(`--max-pages must be a whole number from 1, not "${values['max-pages']}".\n${usage}`);
  const secondKey = values['second-key'] ?? process.env.METORIAL_SECOND_API_KEY;
  if (secondKey !== undefined && secondKey === apiKey) throw new PipelineError(`--second-key is the same key as the first: the tenancy check needs a key of another tenant.\n${usage}`);
  // A private bundle: Prism reloads when the file it serves changes, so it must not serve dist/.
  const scratch = mkdtempSync(join(tmpdir(), 'metorial-live-'));
  const controller = new AbortController();
  const created = new Map<string, string>();
  const release = stopOnSignals(controller, created);
  let report;
  try {
    // --spec: a bundle made before, such as a release's; else the spec as it is now.
    if (values.spec) copyFileSync(values.spec, join(scratch, 'openapi.json'));
    else await bundleSpec(scratch);
    const specFile = join(scratch, 'openapi.json');
    const writes = writesFrom({ ...values, url: values.url }, specFile);
    report = await checkLiveServer({
      server: values.url.replace(/\/$/, ''),
      apiKey,
      specFile,
      ...(writes ? { writes } : {}),
      signal: controller.signal,
      onCreated: (id, operationId) => created.set(id, operationId),
      ...(secondKey ? { secondKey } : {}),
      ...(checks ? { checks } : {}),
      ...(maxPages ? { maxPages } : {}),
    });
  } finally {
    release();
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(formatLiveReport(report, { strict: values.strict }));
  if (values.report) {
    writeFileAtomic(values.report, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`Report written to ${values.report}`);
  }
  if (report.interrupted) process.exitCode = report.interrupted === 'SIGINT' ? 130 : 143;
  // Undocumented fields are drift: reported always, failing only in --strict mode (DECISIONS D6).
  else if (report.violations > 0 || (values.strict && report.undocumentedFields > 0)) process.exitCode = 1;
});

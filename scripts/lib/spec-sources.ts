import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_SCHEMA, load } from 'js-yaml';
import { parse } from 'yaml';
import { repoRoot } from './paths.ts';
import { PipelineError } from './run-tool.ts';

/**
 * What a build may read before any tool that resolves `$ref`s sees the spec (Redocly's bundler and
 * linter, and through the bundle openapi-typescript, Spectral and Prism): every file the spec
 * reaches by `$ref` is parsed here first, so that
 * - a YAML alias bomb (a few hundred bytes that expand to gigabytes) is an error naming its file,
 *   with alias expansion bounded by the `yaml` package's `maxAliasCount`;
 * - a YAML syntax error names its file, line and column;
 * - a `$ref` to a file outside the repository (an absolute path, `../..` past the root, a symlink
 *   out) is refused: its text would be published in dist/, generated/ and the client package;
 * - a remote `$ref` (`http:`, `https:`, `//host`) is refused: no network at build time unless
 *   METORIAL_ALLOW_REMOTE_REFS=1 asks for it, and then each fetch has a timeout;
 * - a `$ref` to a file that does not exist names the `$ref` and the file that holds it.
 * All problems are reported together, as lint does.
 */

/** How many alias expansions one YAML file may make (the `yaml` package's default, stated so it is ours). */
export const maxAliasCount = 100;
/** How long one remote `$ref` may take to fetch when remote refs are allowed. */
export const remoteRefTimeoutMs = 10_000;
/** A larger spec file is refused: its size, not its aliases, would exhaust memory. */
const maxFileBytes = 20 * 1024 * 1024;

export interface SpecSourceOptions {
  /** The folder the spec may read from; default: the repository when the spec is in it, else the spec's own folder. */
  root?: string;
  /** Allow `http(s):` refs, fetched here with a timeout (default: METORIAL_ALLOW_REMOTE_REFS=1). */
  allowRemoteRefs?: boolean;
  /** How long one remote fetch may take; default remoteRefTimeoutMs. */
  remoteTimeoutMs?: number;
}

/** Whether remote `$ref`s were asked for. */
export const remoteRefsAllowed = (): boolean => process.env.METORIAL_ALLOW_REMOTE_REFS === '1';

function defaultRoot(spec: string): string {
  const inRepo = relative(repoRoot, spec);
  return !inRepo.startsWith('..') && !isAbsolute(inRepo) ? repoRoot : dirname(spec);
}

const isInside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** Every `$ref` string value in a parsed document (in any node: a tool may resolve it there). */
function refsIn(value: unknown, found: string[] = [], depth = 0): string[] {
  if (depth > 500 || value === null || typeof value !== 'object') return found;
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, found, depth + 1);
    return found;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string') found.push(item);
    else refsIn(item, found, depth + 1);
  }
  return found;
}

/**
 * Whether the text may hold a YAML anchor or alias (`&name`, `*name`: a node property starts a line,
 * follows whitespace, a flow indicator or the `:` after a quoted key (`{"k":*a}`), and a name follows
 * it). Errs towards yes: `**bold**` in a description counts; a file for which this is false has no
 * alias to expand.
 */
const mayHoldAliases = (text: string) => /(^|[\s,[\]{}:])[&*][^\s,[\]{}]/m.test(text);

/**
 * Parses one file's text as YAML (JSON is YAML), with alias expansion bounded; returns the problem instead of throwing.
 * A file that cannot hold an alias is read by js-yaml, the parser Redocly reads it with: four times
 * faster than the `yaml` package or more (8.3 s against 1.9 s for the 10,000 files of a spec of
 * 1,140 operations, bench/RESULTS.md). Any other file, and any file js-yaml refuses, is read by the
 * `yaml` package, which bounds alias expansion (maxAliasCount) and words the problem with its line and column.
 */
function parseSource(text: string, shownName: string): { value: unknown } | { problem: string } {
  if (!mayHoldAliases(text)) {
    try {
      return { value: load(text, { schema: JSON_SCHEMA, filename: shownName }) };
    } catch {
      // The `yaml` package below gives the verdict and words it.
    }
  }
  try {
    return { value: parse(text, { maxAliasCount, prettyErrors: true }) };
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return {
        problem:
          `${shownName}: its YAML aliases (*name) expand to more than ${maxAliasCount} copies, which is how an alias bomb exhausts memory. ` +
          'Write the value out, or share it with a $ref.',
      };
    }
    const { linePos } = error as { linePos?: Array<{ line: number; col: number }> };
    const where = linePos?.[0] ? ` line ${linePos[0].line}, column ${linePos[0].col}` : '';
    const message = (error as Error).message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { problem: `${shownName}${where}: not valid YAML: ${message}.` };
  }
}

type Source = { kind: 'file'; path: string } | { kind: 'url'; url: URL };

/**
 * Checks the spec at `spec` and every file it reaches by `$ref` (see the module comment). Throws a
 * PipelineError listing every problem; resolves when the sources are safe to hand to the tools.
 */
export async function checkSpecSources(spec: string, options: SpecSourceOptions = {}): Promise<void> {
  const root = realpathSync(options.root ?? defaultRoot(spec));
  const allowRemote = options.allowRemoteRefs ?? remoteRefsAllowed();
  const timeoutMs = options.remoteTimeoutMs ?? remoteRefTimeoutMs;
  const shown = (path: string) => relative(repoRoot, path) || path;
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue: Source[] = [{ kind: 'file', path: resolve(spec) }];
  // Many files point at the same few (a shared schema, a parameter): each target is looked up once,
  // with one system call (the native realpath) rather than one per folder of its path.
  const realPaths = new Map<string, string | undefined>();
  const realPathOf = (path: string) => {
    if (!realPaths.has(path)) {
      let real: string | undefined;
      try {
        real = realpathSync.native(path);
      } catch {
        real = undefined;
      }
      realPaths.set(path, real);
    }
    return realPaths.get(path);
  };

  while (queue.length > 0) {
    const source = queue.shift()!;
    const id = source.kind === 'file' ? source.path : source.url.href;
    if (seen.has(id)) continue;
    seen.add(id);
    const text = source.kind === 'file' ? readSource(source.path, shown(source.path), problems) : await fetchSource(source.url, timeoutMs, problems);
    if (text === undefined) continue;
    const parsed = parseSource(text, source.kind === 'file' ? shown(source.path) : source.url.href);
    if ('problem' in parsed) {
      problems.push(parsed.problem);
      continue;
    }
    const holder = source.kind === 'file' ? shown(source.path) : source.url.href;
    for (const ref of new Set(refsIn(parsed.value))) {
      let target: Source | undefined;
      try {
        target = refTarget(ref, source);
      } catch {
        problems.push(`${holder}: $ref "${ref}" is not a valid URI reference (RFC 3986). Fix it.`);
        continue;
      }
      if (target === undefined) continue;
      if (target.kind === 'url') {
        if (!allowRemote) {
          problems.push(
            `${holder}: $ref "${ref}" is remote. A build reads no network unless asked: copy the file into the repository and point the $ref at it, ` +
              `or set METORIAL_ALLOW_REMOTE_REFS=1 to fetch it (with a ${remoteRefTimeoutMs / 1000} s timeout).`,
          );
        } else {
          queue.push(target);
        }
        continue;
      }
      const real = realPathOf(target.path);
      if (real === undefined) {
        problems.push(`${holder}: $ref "${ref}" points to ${shown(target.path)}, which does not exist. Fix the path.`);
        continue;
      }
      if (!isInside(root, real)) {
        problems.push(
          `${holder}: $ref "${ref}" points outside the repository (${real}). A build reads only the repository's files, ` +
            'since what it reads is published: copy the file into the repository and point the $ref at the copy.',
        );
        continue;
      }
      queue.push({ kind: 'file', path: real });
    }
  }
  if (problems.length > 0) {
    throw new PipelineError(`The spec's sources cannot be built (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
}

/** Where a `$ref` leads, or undefined for a reference within the same document. */
function refTarget(ref: string, from: Source): Source | undefined {
  const address = ref.split('#')[0]!;
  if (address === '') return undefined;
  if (from.kind === 'url') {
    const url = new URL(address, from.url);
    return url.protocol === 'file:' ? { kind: 'file', path: fileURLToPath(url) } : { kind: 'url', url };
  }
  // A network-path reference (`//host/x`, RFC 3986 §4.2) is remote, whatever scheme a tool would give it.
  if (address.startsWith('//')) return { kind: 'url', url: new URL(`http:${address}`) };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(address)) {
    const url = new URL(address);
    return url.protocol === 'file:' ? { kind: 'file', path: fileURLToPath(url) } : { kind: 'url', url };
  }
  let path = address;
  try {
    path = decodeURI(address);
  } catch {
    // Not percent-encoded as a URI reference would be: take it as a plain path, as Redocly does.
  }
  return { kind: 'file', path: resolve(dirname(from.path), path) };
}

function readSource(path: string, shownName: string, problems: string[]): string | undefined {
  try {
    if (statSync(path).size > maxFileBytes) {
      problems.push(`${shownName}: larger than ${maxFileBytes / 1024 / 1024} MB; a spec file that size is not a source a build should read.`);
      return undefined;
    }
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${shownName}: could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    return undefined;
  }
}

/** A remote source, fetched with a timeout and a size limit (only when remote refs are allowed). */
async function fetchSource(url: URL, timeoutMs: number, problems: string[]): Promise<string | undefined> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`$ref ${url.href}: only http and https refs can be fetched.`);
    return undefined;
  }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    if (!response.ok) {
      problems.push(`$ref ${url.href}: the server answered ${response.status}.`);
      return undefined;
    }
    const text = await response.text();
    if (text.length > maxFileBytes) {
      problems.push(`$ref ${url.href}: larger than ${maxFileBytes / 1024 / 1024} MB.`);
      return undefined;
    }
    return text;
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    problems.push(`$ref ${url.href}: ${timedOut ? `no answer within ${timeoutMs / 1000} s` : `could not be fetched (${(error as Error).message})`}.`);
    return undefined;
  }
}

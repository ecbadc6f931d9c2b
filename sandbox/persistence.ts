import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Engine } from './engine.ts';
import type { StoredItem } from './seed.ts';

/** The data file: what each key changed against the seed, by key digest (never the key itself). */
interface StateFile {
  format: 1;
  seed: number;
  count: number;
  keys: Record<string, Record<string, [string, StoredItem | null][]>>;
}

/**
 * Writes `content` so that a reader, or the next start after a crash or `kill -9` at any moment,
 * finds the old file or the new one, never a mix: a temporary file beside it, flushed to disk
 * (fsync), renamed over the old one (rename is atomic on POSIX), and the folder flushed.
 */
export function writeDurably(path: string, content: string): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const temporary = join(folder, `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  try {
    const dir = openSync(folder, 'r');
    fsyncSync(dir);
    closeSync(dir);
  } catch {
    // Some file systems cannot fsync a folder; the rename is still atomic.
  }
}

function stateOf(engine: Engine): StateFile {
  const keys: StateFile['keys'] = {};
  for (const [digest, sandbox] of engine.sandboxes.entries()) {
    const collections: Record<string, [string, StoredItem | null][]> = {};
    for (const [name, collection] of sandbox.collections) {
      if (!collection.dirty.size) continue;
      const changed = [...collection.dirty].map((id) => [collection.position(id) ?? 0, id] as const).sort((a, b) => a[0] - b[0]);
      collections[name] = changed.map(([, id]) => [id, collection.get(id) ?? null]);
    }
    if (Object.keys(collections).length) keys[digest] = collections;
  }
  return { format: 1, seed: engine.seed.options.seed, count: engine.seed.options.count, keys };
}

/** Puts a saved state back into the engine's sandboxes. @throws Error naming the file and what to do. */
function restore(engine: Engine, path: string): void {
  let state: StateFile;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as StateFile;
    if (state.format !== 1 || typeof state.keys !== 'object' || state.keys === null) throw new Error('not a sandbox state file (format 1)');
  } catch (error) {
    throw new Error(`The data file ${path} cannot be read: ${(error as Error).message}. Move it away to start from the seed.`);
  }
  const { seed, count } = engine.seed.options;
  if (state.seed !== seed || state.count !== count) {
    throw new Error(`The data file ${path} was written with --seed ${state.seed} --count ${state.count}, not ${seed} and ${count}: start with those, or move the file away.`);
  }
  for (const [digest, collections] of Object.entries(state.keys)) {
    const sandbox = engine.sandboxes.forDigest(digest);
    for (const [name, records] of Object.entries(collections)) {
      const collection = sandbox.collections.get(name);
      if (!collection) continue;
      for (const [id, item] of records) {
        if (collection.knows(id)) collection.replace(id, item ?? undefined);
        else if (item) collection.append(item);
      }
    }
  }
}

/**
 * Keeps the engine's state in `path`: restored on start, written after writes (batched over 20 ms,
 * and once more on exit). Objects the seed makes are not written, only what keys changed.
 */
export function attachPersistence(engine: Engine, path: string): { flush(): void } {
  if (existsSync(path)) restore(engine, path);
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writeDurably(path, JSON.stringify(stateOf(engine)));
  };
  engine.onWrite = () => {
    timer ??= setTimeout(flush, 20);
  };
  process.once('exit', () => {
    if (timer) flush();
  });
  return { flush };
}

import { createHash } from 'node:crypto';
import type { JsonObject, ResourceModel } from './model.ts';
import type { Seed, SeedCollection, StoredItem } from './seed.ts';

/**
 * One API key's objects of one resource: a copy of the seed's order (positions are shared with the
 * seed's index, so copying is one array copy), with the objects this key created appended. An
 * object is never changed in place: a write puts a new StoredItem at its position, so the seed and
 * other keys never see it. A hard delete leaves `undefined` at the position.
 */
export class Collection {
  readonly items: (StoredItem | undefined)[];
  private readonly added = new Map<string, number>();
  /** Ids written since the last save (for persistence). */
  readonly dirty = new Set<string>();

  constructor(
    readonly resource: ResourceModel,
    private readonly seed: SeedCollection,
  ) {
    this.items = seed.items.slice();
  }

  position(id: string): number | undefined {
    return this.seed.index.get(id) ?? this.added.get(id);
  }

  get(id: string): StoredItem | undefined {
    const at = this.position(id);
    return at === undefined ? undefined : this.items[at];
  }

  /** Whether an id was ever used here, deleted objects included: a new id must not repeat one. */
  knows(id: string): boolean {
    return this.position(id) !== undefined;
  }

  /** Appends a new object (its `created_at` must not be before the last one's: lists are in creation order). */
  append(item: StoredItem): void {
    const id = String(item.body.id);
    this.added.set(id, this.items.length);
    this.items.push(item);
    this.dirty.add(id);
  }

  replace(id: string, item: StoredItem | undefined): void {
    const at = this.position(id);
    if (at === undefined) throw new Error(`No object ${id} to replace.`);
    this.items[at] = item;
    this.dirty.add(id);
  }

  /** The `created_at` of the newest object, to keep new ones after it. */
  lastCreated(): number {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const created = this.items[i]?.body.created_at;
      if (typeof created === 'string') return Date.parse(created);
    }
    return 0;
  }
}

/** The sandbox of one API key: its own copy of every collection. */
export class KeySandbox {
  readonly collections = new Map<string, Collection>();

  constructor(seed: Seed) {
    for (const [name, collection] of seed.collections) this.collections.set(name, new Collection(collection.resource, collection));
  }

  collection(resource: ResourceModel): Collection {
    const collection = this.collections.get(resource.name);
    if (!collection) throw new Error(`No collection for ${resource.name}.`);
    return collection;
  }
}

/** What a key is stored under: a digest, so that no key is ever kept or written as it is. */
export function keyDigest(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('base64url');
}

/**
 * The sandboxes of all keys, each made from the seed on first use. At most `maxKeys` are held: past
 * that, the one used least recently is dropped (and starts again from the seed when used again).
 */
export class Sandboxes {
  private readonly byKey = new Map<string, KeySandbox>();

  constructor(
    private readonly seed: Seed,
    private readonly maxKeys = 1_000,
  ) {}

  for(apiKey: string): KeySandbox {
    return this.forDigest(keyDigest(apiKey));
  }

  forDigest(digest: string): KeySandbox {
    let sandbox = this.byKey.get(digest);
    if (sandbox) {
      this.byKey.delete(digest);
    } else {
      sandbox = new KeySandbox(this.seed);
      if (this.byKey.size >= this.maxKeys) {
        const oldest = this.byKey.keys().next().value;
        if (oldest !== undefined) this.byKey.delete(oldest);
      }
    }
    this.byKey.set(digest, sandbox);
    return sandbox;
  }

  /** Drops a key's sandbox: its next request starts from the seed again. */
  reset(apiKey: string): void {
    this.byKey.delete(keyDigest(apiKey));
  }

  entries(): IterableIterator<[string, KeySandbox]> {
    return this.byKey.entries();
  }

  get size(): number {
    return this.byKey.size;
  }
}

export type { JsonObject };

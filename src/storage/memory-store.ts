import { assertSafeKey, assertSafePrefix } from "./keys.js";
import type { BucketProvider, ObjectInfo, ObjectStore } from "./object-store.js";

interface Entry {
  data: Uint8Array;
  lastModified: number;
}

/** For tests and throw-away engines: the same contract as the POSIX store, in a Map. */
export class MemoryStore implements ObjectStore {
  private readonly objects = new Map<string, Entry>();

  async get(key: string): Promise<Uint8Array | undefined> {
    assertSafeKey(key);
    const entry = this.objects.get(key);
    return entry && entry.data.length > 0 ? entry.data.slice() : undefined;
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    const data = await this.get(key);
    return data?.subarray(offset, offset + length);
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    assertSafeKey(key);
    this.objects.set(key, { data: data.slice(), lastModified: Date.now() / 1000 });
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    this.objects.delete(key);
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertSafePrefix(prefix);
    for (const [key, entry] of [...this.objects]) {
      if (key.startsWith(prefix)) yield { key, size: entry.data.length, lastModified: entry.lastModified };
    }
  }

  /** A memory store belongs to one process: there is nobody else to hold a key against. */
  async lock(key: string): Promise<() => Promise<void>> {
    assertSafeKey(key);
    return async () => {};
  }

  async listFolders(prefix: string): Promise<string[]> {
    assertSafePrefix(prefix);
    const folders = new Set<string>();
    for (const key of this.objects.keys()) {
      if (!key.startsWith(prefix)) continue;
      const slash = key.indexOf("/", prefix.length);
      if (slash > prefix.length) folders.add(key.slice(prefix.length, slash));
    }
    return [...folders].sort();
  }
}

export class MemoryBuckets implements BucketProvider {
  private readonly buckets = new Map<string, MemoryStore>();

  bucket(name: string): ObjectStore {
    let store = this.buckets.get(name);
    if (!store) {
      store = new MemoryStore();
      this.buckets.set(name, store);
    }
    return store;
  }
}

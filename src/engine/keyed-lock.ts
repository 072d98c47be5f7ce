// Serialises read-modify-write cycles on one storage key: within this process with a promise chain
// per key (two requests adding links to the same group must not lose one of them), and against
// other processes on the same store with the store's own lock (two `local` tools on one directory).
import type { ObjectStore } from "../storage/object-store.js";

export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** Run `work` holding `key` both in this process and in the store. */
export function exclusive<T>(locks: KeyedLock, store: ObjectStore, key: string, work: () => Promise<T>): Promise<T> {
  return locks.run(key, async () => {
    const release = await store.lock(key);
    try {
      return await work();
    } finally {
      await release();
    }
  });
}

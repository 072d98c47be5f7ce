import { readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { mkdir, open, readdir, readFile, rename, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { assertSafeKey, assertSafePrefix } from "./keys.js";
import type { BucketProvider, ObjectInfo, ObjectStore } from "./object-store.js";

// Temp files live beside their target so that rename() is atomic; listings skip them, and lock
// files share the mark so that they are skipped too.
const TEMP_MARK = ".tmp-hsds-";
/** A lock older than this belongs to a process that died mid-update (updates take milliseconds). */
const STALE_LOCK_MS = 30_000;
/** Who holds a lock file: its content. */
const LOCK_OWNER = `${hostname()} ${process.pid}`;

/** A lock left by a process of this host that is gone (killed mid-update): no need to wait for it to age. */
function heldByDeadProcess(lockPath: string): boolean {
  let owner: string;
  try {
    owner = readFileSync(lockPath, "utf8");
  } catch {
    return false;
  }
  const [host, pid] = owner.split(" ");
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}
const LOCK_RETRY_MS = 5;

/**
 * JSON documents are a few KB: read and written with synchronous calls, which cost microseconds,
 * where each of the four or five thread-pool round trips of an asynchronous readFile costs more
 * than the I/O itself. Chunks (up to MBs) stay asynchronous so that many move at once.
 */
const isDocument = (key: string) => key.endsWith(".json");

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

let tempCounter = 0;
/** Unique among processes (pid) and within one (counter): no randomness needed for a temp name. */
const tempName = () => `${TEMP_MARK}${process.pid}-${tempCounter++}`;

/** One bucket of HSDS's POSIX driver: key K lives at <root>/<bucket>/K. */
export class PosixStore implements ObjectStore {
  /** Directories known to exist: a load writes thousands of keys into the same few directories. */
  private readonly knownDirs = new Set<string>();

  constructor(readonly dir: string) {}

  private async ensureDir(dir: string): Promise<void> {
    if (this.knownDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.knownDirs.add(dir);
  }

  /** Run `write`; if another process pruned the directory meanwhile, make it again and retry once. */
  private async inDir<T>(dir: string, write: () => Promise<T>): Promise<T> {
    await this.ensureDir(dir);
    try {
      return await write();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      this.knownDirs.delete(dir);
      await this.ensureDir(dir);
      return write();
    }
  }

  private path(key: string): string {
    assertSafeKey(key);
    return join(this.dir, key);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const path = this.path(key);
      const data = isDocument(key) ? readFileSync(path) : await readFile(path);
      return data.length > 0 ? new Uint8Array(data.buffer, data.byteOffset, data.length) : undefined;
    } catch (err) {
      if (isMissing(err) || (err as NodeJS.ErrnoException).code === "EISDIR") return undefined;
      throw err;
    }
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    let handle;
    try {
      handle = await open(this.path(key), "r");
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    try {
      const buffer = new Uint8Array(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const target = this.path(key);
    const temp = `${dirname(target)}/${tempName()}`;
    try {
      if (isDocument(key)) {
        await this.inDir(dirname(target), async () => writeFileSync(temp, data));
        renameSync(temp, target);
      } else {
        await this.inDir(dirname(target), () => writeFile(temp, data));
        await rename(temp, target);
      }
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const target = this.path(key);
    try {
      await unlink(target);
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    await this.pruneEmptyDirs(dirname(target));
  }

  // HSDS's POSIX driver removes directories that a delete leaves empty (never the bucket itself).
  private async pruneEmptyDirs(dir: string): Promise<void> {
    while (dir.length > this.dir.length && dir.startsWith(this.dir)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
      this.knownDirs.delete(dir);
      dir = dirname(dir);
    }
  }

  async lock(key: string): Promise<() => Promise<void>> {
    const target = this.path(key);
    const dir = dirname(target);
    const lockPath = `${dir}/${TEMP_MARK}lock-${basename(target)}`;
    // Taking and dropping the lock file are single metadata calls: synchronous, like the documents.
    const release = async () => {
      try {
        unlinkSync(lockPath);
        // A lock taken for a key that was never written leaves no empty directory behind
        // (rmdir of a directory that holds the key fails at once).
        rmdirSync(dir);
        this.knownDirs.delete(dir);
        await this.pruneEmptyDirs(dirname(dir));
      } catch {
        // Not empty (the usual case), or already gone.
      }
    };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.inDir(dir, async () => writeFileSync(lockPath, LOCK_OWNER, { flag: "wx" }));
        return release;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const held = await stat(lockPath).catch(() => undefined);
      if (held && (Date.now() - held.mtimeMs > STALE_LOCK_MS || heldByDeadProcess(lockPath))) await unlink(lockPath).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_RETRY_MS * 2 ** Math.min(attempt, 6), 200)));
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertSafePrefix(prefix);
    const slash = prefix.lastIndexOf("/");
    const base = prefix.slice(0, slash + 1);
    const namePrefix = prefix.slice(slash + 1);
    let entries;
    try {
      entries = await readdir(join(this.dir, base), { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      if (!entry.name.startsWith(namePrefix) || entry.name.startsWith(TEMP_MARK)) continue;
      const key = base + entry.name;
      if (entry.isDirectory()) {
        yield* this.list(`${key}/`);
      } else if (entry.isFile()) {
        const info = await stat(join(this.dir, key)).catch(() => undefined);
        if (info) yield { key, size: info.size, lastModified: info.mtimeMs / 1000 };
      }
    }
  }

  async listFolders(prefix: string): Promise<string[]> {
    assertSafePrefix(prefix);
    try {
      const entries = await readdir(join(this.dir, prefix), { withFileTypes: true });
      return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
  }
}

/** HSDS's POSIX driver: every bucket is a directory directly under root_dir. */
export class PosixBuckets implements BucketProvider {
  private readonly stores = new Map<string, PosixStore>();

  constructor(readonly rootDir: string) {}

  bucket(name: string): ObjectStore {
    let store = this.stores.get(name);
    if (!store) {
      assertSafeKey(name);
      store = new PosixStore(join(this.rootDir, name));
      this.stores.set(name, store);
    }
    return store;
  }
}

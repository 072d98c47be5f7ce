// One load at a time per domain: the lock is the root attribute `_hsds_tools_lock`, created without `replace`
// so that HSDS answers 409 when another load holds it (an atomic create). Its value says who holds it. A lock
// left by a dead process on this host is taken over; anyone else's is waited for, up to --wait seconds.
import { hostname } from "node:os";
import { HsdsError } from "../client/errors.js";
import type { DomainHandle } from "../client/hsds-client.js";
import type { AttributeDefinition } from "../client/hsds-types.js";
import { ignoreMissing, unlessMissing } from "./aggregate-missing.js";
import { LOCK_ATTRIBUTE, UTF8_TEXT } from "./internal-attributes.js";

export interface LockHolder {
  host: string;
  pid: number;
  run: string;
  /** ISO 8601. */
  started: string;
}

/** Another load holds the domain (and did not let go within the wait). */
export class LockBusyError extends Error {
  override name = "LockBusyError";
}

export interface LockOptions {
  /** How long to wait for another load to finish; 0 = fail at once. */
  waitSeconds: number;
  /** Between two looks at a held lock. */
  pollMs?: number;
  signal?: AbortSignal;
  /** Told when a dead process's lock is taken over. */
  onNote?: (message: string) => void;
  /** Whether a process of this host is alive (tests replace it). */
  isAlive?: (pid: number) => boolean;
}

const LOCK_RETRY_MS = 20;

export function lockHolder(run: string): LockHolder {
  return { host: hostname(), pid: process.pid, run, started: new Date().toISOString() };
}

export class DomainLock {
  private constructor(
    private readonly domain: DomainHandle,
    private readonly rootId: string,
    readonly holder: LockHolder,
  ) {}

  static async acquire(domain: DomainHandle, rootId: string, holder: LockHolder, options: LockOptions): Promise<DomainLock> {
    const deadline = Date.now() + options.waitSeconds * 1000;
    const isAlive = options.isAlive ?? processAlive;
    for (;;) {
      options.signal?.throwIfAborted();
      if (await tryCreate(domain, rootId, holder)) return new DomainLock(domain, rootId, holder);
      const current = await readHolder(domain, rootId);
      if (current === undefined) {
        // Released in between: try again soon (not at once, should the server still refuse the name).
        await sleep(LOCK_RETRY_MS, options.signal);
        continue;
      }
      if (current.host === holder.host && current.pid !== holder.pid && !isAlive(current.pid)) {
        // Delete only the stale value we read, so that a concurrent taker's fresh lock survives.
        if (JSON.stringify(await readHolder(domain, rootId)) === JSON.stringify(current)) {
          await deleteLock(domain, rootId);
          options.onNote?.(`took over the lock of ${domain.path} left by process ${current.pid} (no longer running), started ${current.started}`);
        }
        continue;
      }
      if (Date.now() >= deadline) throw new LockBusyError(busyMessage(domain.path, current, options.waitSeconds));
      await sleep(Math.min(options.pollMs ?? 500, Math.max(0, deadline - Date.now())), options.signal);
    }
  }

  /** Let go, if the lock is still ours (it may have been taken over after this process was stopped). */
  async release(): Promise<void> {
    const current = await readHolder(this.domain, this.rootId);
    if (current?.run === this.holder.run) await deleteLock(this.domain, this.rootId);
  }
}

function busyMessage(domain: string, holder: LockHolder, waitSeconds: number): string {
  const waited = waitSeconds > 0 ? ` and did not finish within ${waitSeconds} s` : "; --wait SECONDS waits for it";
  return `${domain} is being loaded by process ${holder.pid} on ${holder.host} since ${holder.started} (run ${holder.run})${waited}`;
}

async function tryCreate(domain: DomainHandle, rootId: string, holder: LockHolder): Promise<boolean> {
  const definition: AttributeDefinition = { type: UTF8_TEXT, shape: [], value: JSON.stringify(holder) };
  try {
    return (await domain.putAttribute(rootId, LOCK_ATTRIBUTE, definition, { replace: false })) === "created";
  } catch (err) {
    if (err instanceof HsdsError && err.status === 409) return false;
    throw err;
  }
}

async function readHolder(domain: DomainHandle, rootId: string): Promise<LockHolder | undefined> {
  const attribute = await unlessMissing(() => domain.getAttribute(rootId, LOCK_ATTRIBUTE));
  if (!attribute) return undefined;
  try {
    const parsed = JSON.parse(String(attribute.value)) as Partial<LockHolder>;
    return { host: String(parsed.host), pid: Number(parsed.pid), run: String(parsed.run), started: String(parsed.started) };
  } catch {
    return { host: "?", pid: 0, run: "?", started: "?" };
  }
}

function deleteLock(domain: DomainHandle, rootId: string): Promise<void> {
  return ignoreMissing(() => domain.deleteAttribute(rootId, LOCK_ATTRIBUTE));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });
}

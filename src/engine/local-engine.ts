// The engine a `local` / `file://` endpoint runs in-process: a directory in HSDS's POSIX layout,
// the OS user as its owner with full rights, and that user's home folder made on first use.
import { mkdirSync } from "node:fs";
import type { Principal } from "./acl.js";
import { Engine } from "./engine.js";
import { PosixBuckets } from "../storage/posix-store.js";
import { ensureHomeFolders } from "./home-folders.js";
import { PosixLinkedFiles } from "./linked-files.js";

/** HSDS's stock default bucket: a real HSDS with root_dir = this directory serves the same domains. */
export const LOCAL_BUCKET = "hsdstest";

export const DEFAULT_LIMITS = { min_chunk_size: 1024 * 1024, max_chunk_size: 4 * 1024 * 1024, max_request_size: 100 * 1024 * 1024 };

export async function openLocalEngine(dir: string, username: string, bucket = LOCAL_BUCKET): Promise<{ engine: Engine; principal: Principal }> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`cannot use ${dir} as the local store: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const engine = new Engine({
    buckets: new PosixBuckets(dir),
    defaultBucket: bucket,
    adminUsers: [username],
    defaultPublic: false,
    hrefBase: "local",
    limits: DEFAULT_LIMITS,
    linkedFiles: new PosixLinkedFiles(dir),
  });
  const principal: Principal = { username, authenticated: true, isAdmin: true, groups: [] };
  await ensureHomeFolders(engine, [username]);
  return { engine, principal };
}

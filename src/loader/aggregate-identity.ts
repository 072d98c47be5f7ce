// How a source file is recognised by the ledger: its base name, size and modification time (cheap, from
// stat), and its SHA-256 (read once, when the cheap facts are not enough or for a new record).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { pipeline } from "node:stream/promises";
import { SourceFileError } from "../hdf5/source/source-errors.js";

export interface SourceIdentity {
  /** The path as given. */
  path: string;
  name: string;
  size: number;
  /** ISO 8601, milliseconds. */
  mtime: string;
}

export async function sourceIdentity(path: string): Promise<SourceIdentity> {
  try {
    const facts = await stat(path);
    if (facts.isDirectory()) throw new SourceFileError(path, "is a directory");
    return { path, name: basename(path), size: facts.size, mtime: facts.mtime.toISOString() };
  } catch (err) {
    if (err instanceof SourceFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceFileError(path, code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (err as Error).message);
  }
}

/** Whether the file still is what `identity` describes (size and modification time). */
export async function unchangedSince(identity: SourceIdentity): Promise<boolean> {
  const now = await sourceIdentity(identity.path);
  return now.size === identity.size && now.mtime === identity.mtime;
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    await pipeline(createReadStream(path), hash);
  } catch (err) {
    throw new SourceFileError(path, `cannot be read: ${(err as Error).message}`);
  }
  return hash.digest("hex");
}

// The sources of an aggregate load as the ledger sees them: whether each is new, already loaded (skipped without
// being read), left half-loaded by a stopped run (resumed), or to be reloaded (--force); and, for those that
// load, their object tree. A source's reader (a worker thread) is opened when first needed; in a run of a few
// sources it stays open from the tree to the values, in a longer one it is closed after each use.
import { Hdf5Source } from "../hdf5/source/hdf5-source.js";
import { SourceFileError } from "../hdf5/source/source-errors.js";
import type { SourceTree } from "../hdf5/source/source-tree.js";
import { decodeValues } from "../model/values.js";
import type { SourceStatus } from "./aggregate-plan.js";
import type { Indexed, SourceRecord } from "./ledger-records.js";
import { sha256Of, type SourceIdentity, sourceIdentity, unchangedSince } from "./aggregate-identity.js";

/** A source and what has been found out about it so far (each fact read once). */
export class SourceFacts {
  private hash: Promise<string> | undefined;
  private contents: Promise<{ tree: SourceTree; sortKey?: number | string }> | undefined;
  private reader: Promise<{ source: Hdf5Source; tree: SourceTree }> | undefined;
  private users = 0;

  private constructor(
    readonly identity: SourceIdentity,
    /** Keep the reader open between uses (until closed). */
    private readonly keepOpen: boolean,
  ) {}

  static async of(path: string, options: { keepOpen?: boolean } = {}): Promise<SourceFacts> {
    return new SourceFacts(await sourceIdentity(path), options.keepOpen === true);
  }

  get file(): string {
    return this.identity.path;
  }

  sha256(): Promise<string> {
    return (this.hash ??= sha256Of(this.file));
  }

  /** The object tree, and with `sortBy` the first value of that dimension scale. */
  contentsOf(sortBy?: string): Promise<{ tree: SourceTree; sortKey?: number | string }> {
    return (this.contents ??= this.use((source, tree) => readContents(source, tree, sortBy)));
  }

  /**
   * Run `work` with the source's reader (its tree read, so it knows every dataset). Refused when the file
   * changed since it was first looked at: a run reads one version of each file.
   */
  async use<T>(work: (source: Hdf5Source, tree: SourceTree) => Promise<T>): Promise<T> {
    this.users++;
    try {
      if (!(await unchangedSince(this.identity))) throw new SourceFileError(this.file, "changed while it was being loaded; run the load again");
      this.reader ??= openWithTree(this.file);
      const { source, tree } = await this.reader;
      return await work(source, tree);
    } finally {
      if (--this.users === 0 && !this.keepOpen) await this.close();
    }
  }

  /** End the reader, if one is open. */
  async close(): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    if (reader) await (await reader.catch(() => undefined))?.source.close();
  }
}

async function openWithTree(file: string): Promise<{ source: Hdf5Source; tree: SourceTree }> {
  const source = await Hdf5Source.open(file);
  try {
    return { source, tree: await source.tree() };
  } catch (err) {
    await source.close();
    throw err;
  }
}

/** A source does not fit the ledger's record of it. */
export class SourceChangedError extends Error {
  override name = "SourceChangedError";
}

export interface Classified {
  status: SourceStatus;
  reason?: string;
  /** The SHA-256 the source's record gets (known without reading the file when the record matches). */
  sha256?: string;
}

/**
 * What to do with a source given its ledger record. Matching name, size and modification time are trusted;
 * otherwise the content decides.
 */
export async function classify(facts: SourceFacts, entry: Indexed<SourceRecord> | undefined, force: boolean): Promise<Classified> {
  if (!entry) return { status: "new", sha256: await facts.sha256() };
  const record = entry.record;
  const sameStat = record.size === facts.identity.size && record.mtime === facts.identity.mtime;
  const sameContent = async () => sameStat || (await facts.sha256()) === record.sha256;
  if (record.state === "loading") {
    if (await sameContent()) return { status: "resume", sha256: record.sha256 };
    if (force) return { status: "reload", sha256: await facts.sha256() };
    throw new SourceChangedError(`${facts.file}: changed since its load was interrupted; --force reloads it into its recorded slot`);
  }
  if (force) return { status: "reload", sha256: await facts.sha256() };
  if (sameStat) return { status: "skip", reason: "already loaded" };
  if (await sameContent()) return { status: "skip", reason: "already loaded (same content)" };
  throw new SourceChangedError(`${facts.file}: changed since it was loaded; --force reloads it into its recorded slot`);
}

async function readContents(source: Hdf5Source, tree: SourceTree, sortBy: string | undefined): Promise<{ tree: SourceTree; sortKey?: number | string }> {
  if (sortBy === undefined) return { tree };
  const scale = tree.objects.find((o) => o.kind === "dataset" && (o.scaleName === sortBy || (o.scaleName !== undefined && o.path.split("/").pop() === sortBy)));
  if (scale?.kind !== "dataset" || !scale.shape || scale.shape.length !== 1 || scale.shape[0] === 0 || !("type" in scale.type)) {
    throw new SourceFileError(source.file, `no 1-D dimension scale named ${sortBy} to sort by (--sort ${sortBy})`);
  }
  const block = await source.readBlock(scale.key, { start: [0], count: [1] });
  const fill = scale.fillValue ?? new Uint8Array(0);
  const bytes = block.allocated ? block.bytes : fill;
  const value = bytes.length > 0 ? (decodeValues(bytes, scale.type.type, [1]) as unknown[])[0] : 0;
  return { tree, sortKey: typeof value === "bigint" ? Number(value) : (value as number | string) };
}

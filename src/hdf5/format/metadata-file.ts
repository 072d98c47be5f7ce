import type { ByteSource } from "../byte-source.js";
import { BlockCache } from "./block-cache.js";
import { ByteCursor, type FieldSizes } from "./byte-cursor.js";
import { Hdf5FormatError } from "./errors.js";
import { readSuperblock, type Superblock } from "./superblock.js";

/** An HDF5 file seen as addressable metadata: stored addresses in, cursors over the structures out. */
export class MetadataFile {
  private constructor(
    private readonly cache: BlockCache,
    readonly superblock: Superblock,
  ) {}

  static async open(source: ByteSource): Promise<MetadataFile> {
    const cache = new BlockCache(source, await source.size());
    return new MetadataFile(cache, await readSuperblock(cache));
  }

  get name(): string {
    return this.cache.name;
  }

  get sizes(): FieldSizes {
    return this.superblock;
  }

  /** Absolute file offset of a stored (base-relative) address. */
  absolute(address: number): number {
    return this.superblock.baseAddress + address;
  }

  /** Cursor over the `length` bytes of structure `what` at stored address `address`. */
  async cursor(address: number, length: number, what: string): Promise<ByteCursor> {
    const at = this.absolute(address);
    const bytes = await this.cache.read(at, length, what);
    return new ByteCursor(bytes, at, what, this.name, this.sizes);
  }

  /**
   * Cursor over up to `length` bytes at `address`, fewer where the file ends: for structures whose size is only
   * known once their head is parsed, so that one read usually fetches all of it.
   */
  async cursorAtMost(address: number, length: number, what: string): Promise<ByteCursor> {
    const available = this.cache.fileSize - this.absolute(address);
    return this.cursor(address, Math.max(0, Math.min(length, available)), what);
  }

  /** Fails unless `length` bytes of raw data at stored `address` lie inside the file. */
  checkExtent(address: number, length: number, what: string): void {
    this.cache.checkInside(this.absolute(address), length, what);
  }

  fail(detail: string): never {
    throw new Hdf5FormatError(this.name, detail);
  }
}

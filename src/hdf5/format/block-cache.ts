import type { ByteSource } from "../byte-source.js";
import { Hdf5FormatError, hex } from "./errors.js";

/**
 * Reads metadata through fixed-size aligned blocks kept in a small LRU, so that parsing a header field by field
 * costs one source read per block, not one per field. Runs of missing blocks are fetched with a single read, and
 * a block being fetched is shared by every caller that needs it meanwhile.
 */
export class BlockCache {
  private readonly blocks = new Map<number, Promise<Uint8Array>>();

  constructor(
    private readonly source: ByteSource,
    /** Bytes in the source; reads beyond it are a truncated file. */
    readonly fileSize: number,
    private readonly blockSize = 4096,
    private readonly maxBlocks = 256,
  ) {}

  get name(): string {
    return this.source.name;
  }

  /** Exactly `length` bytes at absolute file offset `offset`; `what` names the structure for errors. */
  async read(offset: number, length: number, what: string): Promise<Uint8Array> {
    this.checkInside(offset, length, what);
    if (length === 0) return new Uint8Array(0);
    const first = Math.floor(offset / this.blockSize);
    const last = Math.floor((offset + length - 1) / this.blockSize);
    // Large structures (a big B-tree node, a fixed-array data block) would only flush the cache: read them directly.
    if (last - first + 1 > this.maxBlocks / 4) return this.readSource(offset, length, what);

    const pending: Promise<Uint8Array>[] = [];
    let runStart = -1;
    const flushRun = (end: number) => {
      if (runStart < 0) return;
      const start = runStart;
      const run = this.readSource(start * this.blockSize, (end - start) * this.blockSize, what, true);
      for (let b = start; b < end; b++) {
        const from = (b - start) * this.blockSize;
        const block = run.then((bytes) => bytes.subarray(from, from + this.blockSize));
        pending[b - first] = block;
        this.remember(b, block);
      }
      runStart = -1;
    };
    for (let b = first; b <= last; b++) {
      const cached = this.blocks.get(b);
      if (cached) {
        flushRun(b);
        pending[b - first] = cached;
        // Re-insert to make it the youngest entry of the LRU.
        this.blocks.delete(b);
        this.blocks.set(b, cached);
      } else if (runStart < 0) {
        runStart = b;
      }
    }
    flushRun(last + 1);

    const parts = await Promise.all(pending);
    if (parts.length === 1) {
      const start = offset - first * this.blockSize;
      return parts[0]!.subarray(start, start + length);
    }
    const out = new Uint8Array(length);
    let written = 0;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const from = i === 0 ? offset - first * this.blockSize : 0;
      const take = Math.min(part.length - from, length - written);
      out.set(part.subarray(from, from + take), written);
      written += take;
    }
    return out;
  }

  private remember(b: number, block: Promise<Uint8Array>): void {
    // A failed read must not poison the cache for a later retry.
    block.catch(() => {
      if (this.blocks.get(b) === block) this.blocks.delete(b);
    });
    this.blocks.set(b, block);
    while (this.blocks.size > this.maxBlocks) {
      this.blocks.delete(this.blocks.keys().next().value!);
    }
  }

  /** Fails unless `length` bytes at absolute offset `offset` lie inside the file. */
  checkInside(offset: number, length: number, what: string): void {
    if (offset + length > this.fileSize) {
      throw new Hdf5FormatError(
        this.name,
        `${what} at ${hex(offset)} (${length} bytes) lies beyond the end of the file ` +
          `(${this.fileSize} bytes): truncated file?`,
      );
    }
  }

  /** `partialTail`: the last block of a run may stop at end of file. */
  private async readSource(offset: number, length: number, what: string, partialTail = false): Promise<Uint8Array> {
    const wanted = partialTail ? Math.min(length, this.fileSize - offset) : length;
    const bytes = await this.source.read(offset, wanted);
    if (bytes.length < wanted) {
      throw new Hdf5FormatError(
        this.name,
        `${what} at ${hex(offset)}: read ${bytes.length} of ${wanted} bytes: truncated file?`,
      );
    }
    return bytes;
  }
}

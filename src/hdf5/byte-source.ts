import { open, type FileHandle } from "node:fs/promises";

/** Random-access reads of a source file: a local path today, S3 and HTTP range reads later. */
export interface ByteSource {
  /** What to name in errors, e.g. the path or URI. */
  readonly name: string;
  size(): Promise<number>;
  /** Exactly `length` bytes at `offset`; fewer only at end of file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export class LocalFileSource implements ByteSource {
  private constructor(
    readonly name: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(path: string): Promise<LocalFileSource> {
    return new LocalFileSource(path, await open(path, "r"));
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(length);
    let filled = 0;
    // A positioned read may return less than asked for before end of file; keep going until it returns 0.
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buffer, filled, length - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === length ? buffer : buffer.subarray(0, filled);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

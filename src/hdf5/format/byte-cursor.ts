import { Hdf5FormatError, hex } from "./errors.js";

/** Widths of file addresses ("offsets") and of lengths, from the superblock. */
export interface FieldSizes {
  readonly offsetSize: number;
  readonly lengthSize: number;
}

/**
 * Sequential little-endian reader over the bytes of one on-disk structure. Running off its end, or meeting a
 * number that does not fit in a double exactly, is a format error naming the structure and its address.
 */
export class ByteCursor {
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    /** Absolute file offset of bytes[0], for messages. */
    readonly origin: number,
    readonly what: string,
    readonly file: string,
    readonly sizes: FieldSizes,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  fail(detail: string): never {
    throw new Hdf5FormatError(this.file, `${this.what} at ${hex(this.origin)}: ${detail}`);
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) {
      this.fail(`ends after ${this.bytes.length} bytes but needs ${this.pos + n}: truncated or corrupt`);
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    return this.uint(2);
  }

  u32(): number {
    return this.uint(4);
  }

  /** Unsigned little-endian integer of `width` (0..8) bytes. */
  uint(width: number): number {
    const value = this.uintOrAllOnes(width);
    if (value === undefined) this.fail(`${width}-byte field at offset ${this.pos - width} is 2^${8 * width}-1`);
    return value;
  }

  /** An address relative to the base address; `undefined` for the all-ones "undefined address". */
  address(): number | undefined {
    return this.uintOrAllOnes(this.sizes.offsetSize);
  }

  /** A "length" field (sizes, counts). */
  length(): number {
    return this.uint(this.sizes.lengthSize);
  }

  /** The raw value of a length field that may be all ones (e.g. an unlimited dimension). */
  lengthOrAllOnes(): number | undefined {
    return this.uintOrAllOnes(this.sizes.lengthSize);
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** Consumes a 4-character signature and fails unless it is `expected`. */
  signature(expected: string): void {
    const got = String.fromCharCode(...this.take(expected.length));
    if (got !== expected) this.fail(`signature is ${JSON.stringify(got)}, expected "${expected}"`);
  }

  private uintOrAllOnes(width: number): number | undefined {
    this.need(width);
    const b = this.bytes;
    const at = this.pos;
    this.pos += width;
    let allOnes = width > 0;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < width; i++) {
      const byte = b[at + i]!;
      if (byte !== 0xff) allOnes = false;
      if (i < 4) lo += byte * 2 ** (8 * i);
      else hi += byte * 2 ** (8 * (i - 4));
    }
    if (allOnes) return undefined;
    // Above 2^53 a double cannot hold every integer; no real file has addresses or sizes that large.
    if (hi >= 2 ** 21) this.fail(`${width}-byte field at offset ${at} is not below 2^53`);
    return hi * 2 ** 32 + lo;
  }
}

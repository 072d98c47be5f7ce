// The bitshuffle filter (HDF5 32008) and HSDS's bitshuffle chunks, written by hand: no npm package
// implements the bit transpose. Facts from kiyo-masui/bitshuffle:
// - The data is cut into blocks of `blockSize` elements (a multiple of 8); the last block keeps the
//   largest multiple of 8 elements that is left, and the final `size % 8` elements are copied as they
//   are, after everything else.
// - Within a block of n elements, bit k of byte b of element i goes to bit i % 8 of output byte
//   (8b + k) * n/8 + floor(i / 8): one row of n bits per bit of the element.
// - Without compression the chunk is just the transposed bytes. With LZ4 (cd_values[4] == 2, and
//   always for HSDS) it is: uint64 BE decoded bytes, uint32 BE block size in bytes, then per block a
//   uint32 BE length and an LZ4 block of the transposed bytes, then the untransposed leftover.
// - Default block size: 8192 bytes' worth of elements, rounded down to a multiple of 8, at least 128.
import { CodecError, type ChunkContext, type Codec } from "./codec.js";
import { compressLz4Block, decompressLz4Block } from "./lz4-block.js";

export type BitshuffleCompression = "none" | "lz4";

/** cd_values[4] of HDF5 filter 32008 for each compression implemented here (3, zstd, is not). */
export const BITSHUFFLE_HDF5_COMPRESSION: Readonly<Record<BitshuffleCompression, number>> = { none: 0, lz4: 2 };

export interface BitshuffleOptions {
  compression: BitshuffleCompression;
  /** Element size (HDF5 cd_values[2]); defaults to the chunk's item size. */
  elementSize?: number;
  /** Elements per block (HDF5 cd_values[3]); 0 or absent means bitshuffle's default. */
  blockSize?: number;
}

/** HSDS's `bit_shuffle_default_blocksize`, in elements. */
export const HSDS_BITSHUFFLE_BLOCK_SIZE = 2048;

const GROUP = 8;
const TARGET_BLOCK_BYTES = 8192;
const MIN_DEFAULT_BLOCK = 128;
const HEADER_BYTES = 12;
const BLOCK_PREFIX_BYTES = 4;

export function defaultBitshuffleBlockSize(elementSize: number): number {
  const size = Math.floor(TARGET_BLOCK_BYTES / elementSize / GROUP) * GROUP;
  return Math.max(size, MIN_DEFAULT_BLOCK);
}

export class BitshuffleCodec implements Codec {
  readonly id = "bitshuffle";

  constructor(readonly options: BitshuffleOptions) {}

  async encode(bytes: Uint8Array, ctx: ChunkContext): Promise<Uint8Array> {
    const layout = this.layoutFor(bytes.length, ctx, this.options.blockSize);
    if (this.options.compression === "none") {
      const out = new Uint8Array(bytes.length);
      for (const { offset, count } of blocksOf(layout)) transposeBits(bytes, offset, out, offset, count, layout.elementSize, true);
      copyLeftover(bytes, out, layout);
      return out;
    }
    const parts: Uint8Array[] = [];
    for (const { offset, count } of blocksOf(layout)) {
      const transposed = new Uint8Array(count * layout.elementSize);
      transposeBits(bytes, offset, transposed, 0, count, layout.elementSize, true);
      parts.push(await compressLz4Block(transposed));
    }
    const leftover = bytes.subarray(layout.leftoverOffset);
    const out = new Uint8Array(HEADER_BYTES + parts.reduce((sum, p) => sum + BLOCK_PREFIX_BYTES + p.length, 0) + leftover.length);
    const view = new DataView(out.buffer);
    view.setBigUint64(0, BigInt(bytes.length));
    view.setUint32(8, layout.blockSize * layout.elementSize);
    let pos = HEADER_BYTES;
    for (const part of parts) {
      view.setUint32(pos, part.length);
      out.set(part, pos + BLOCK_PREFIX_BYTES);
      pos += BLOCK_PREFIX_BYTES + part.length;
    }
    out.set(leftover, pos);
    return out;
  }

  async decode(bytes: Uint8Array, ctx: ChunkContext): Promise<Uint8Array> {
    if (this.options.compression === "none") {
      const layout = this.layoutFor(bytes.length, ctx, this.options.blockSize);
      const out = new Uint8Array(bytes.length);
      for (const { offset, count } of blocksOf(layout)) transposeBits(bytes, offset, out, offset, count, layout.elementSize, false);
      copyLeftover(bytes, out, layout);
      return out;
    }
    return this.decodeLz4Stream(bytes, ctx);
  }

  private async decodeLz4Stream(bytes: Uint8Array, ctx: ChunkContext): Promise<Uint8Array> {
    if (bytes.length < HEADER_BYTES) throw new CodecError(`bitshuffle stream of ${bytes.length} bytes is shorter than its header`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const decodedBig = view.getBigUint64(0);
    if (decodedBig > BigInt(Number.MAX_SAFE_INTEGER)) throw new CodecError(`bitshuffle header claims ${decodedBig} decoded bytes`);
    const elementSize = this.elementSizeFor(ctx);
    // As the filter does: the header's block size in bytes wins over the configured one.
    const layout = this.layoutFor(Number(decodedBig), ctx, Math.floor(view.getUint32(8) / elementSize));
    const out = new Uint8Array(layout.totalBytes);
    let pos = HEADER_BYTES;
    for (const { offset, count } of blocksOf(layout)) {
      if (pos + BLOCK_PREFIX_BYTES > bytes.length) throw new CodecError(`bitshuffle stream is truncated at byte ${pos}`);
      const stored = view.getUint32(pos);
      pos += BLOCK_PREFIX_BYTES;
      if (pos + stored > bytes.length) throw new CodecError(`bitshuffle stream is truncated at byte ${pos}`);
      const transposed = await decompressLz4Block(bytes.subarray(pos, pos + stored), count * elementSize, "bitshuffle stream");
      transposeBits(transposed, 0, out, offset, count, elementSize, false);
      pos += stored;
    }
    const leftoverBytes = layout.totalBytes - layout.leftoverOffset;
    if (pos + leftoverBytes > bytes.length) throw new CodecError(`bitshuffle stream is truncated at byte ${pos}`);
    out.set(bytes.subarray(pos, pos + leftoverBytes), layout.leftoverOffset);
    return out;
  }

  private elementSizeFor(ctx: ChunkContext): number {
    const size = this.options.elementSize ?? ctx.itemSize;
    if (!Number.isInteger(size) || size < 1) throw new CodecError(`bitshuffle element size ${size} is not a positive integer`);
    return size;
  }

  private layoutFor(totalBytes: number, ctx: ChunkContext, blockSize: number | undefined): BlockLayout {
    const elementSize = this.elementSizeFor(ctx);
    const size = blockSize || defaultBitshuffleBlockSize(elementSize);
    if (size % GROUP !== 0) throw new CodecError(`bitshuffle block size ${size} is not a multiple of ${GROUP} elements`);
    if (totalBytes % elementSize !== 0) {
      throw new CodecError(`bitshuffle data of ${totalBytes} bytes is not a whole number of ${elementSize}-byte elements`);
    }
    const elements = totalBytes / elementSize;
    return { elementSize, blockSize: size, elements, totalBytes, leftoverOffset: (elements - (elements % GROUP)) * elementSize };
  }
}

interface BlockLayout {
  elementSize: number;
  blockSize: number;
  elements: number;
  totalBytes: number;
  /** Byte offset of the trailing elements that do not fill a group of 8 and stay untransposed. */
  leftoverOffset: number;
}

/** The transposed blocks in stream order: byte offset in the decoded data and element count. */
function* blocksOf(layout: BlockLayout): Generator<{ offset: number; count: number }> {
  const { elementSize, blockSize, elements } = layout;
  const fullBlocks = Math.floor(elements / blockSize);
  for (let i = 0; i < fullBlocks; i++) yield { offset: i * blockSize * elementSize, count: blockSize };
  const rest = elements % blockSize;
  const lastBlock = rest - (rest % GROUP);
  if (lastBlock > 0) yield { offset: fullBlocks * blockSize * elementSize, count: lastBlock };
}

function copyLeftover(src: Uint8Array, dst: Uint8Array, layout: BlockLayout): void {
  dst.set(src.subarray(layout.leftoverOffset), layout.leftoverOffset);
}

/**
 * Bit-transposes one block of `count` elements (count % 8 == 0) between element order and bit-row
 * order (`forward` = towards bit rows). Each step gathers 8 bytes (byte b of 8 consecutive elements,
 * or byte g of 8 consecutive bit rows), transposes them as an 8x8 bit matrix held in two 32-bit
 * words, and scatters the 8 result bytes the other way. The transpose is its own inverse.
 */
function transposeBits(
  src: Uint8Array,
  srcOffset: number,
  dst: Uint8Array,
  dstOffset: number,
  count: number,
  elementSize: number,
  forward: boolean,
): void {
  const rowBytes = count / GROUP;
  const inStride = forward ? elementSize : rowBytes;
  const outStride = forward ? rowBytes : elementSize;
  for (let b = 0; b < elementSize; b++) {
    for (let g = 0; g < rowBytes; g++) {
      const elementPos = g * GROUP * elementSize + b;
      const rowPos = b * GROUP * rowBytes + g;
      let i = srcOffset + (forward ? elementPos : rowPos);
      let lo = src[i]! | (src[(i += inStride)]! << 8) | (src[(i += inStride)]! << 16) | (src[(i += inStride)]! << 24);
      let hi = src[(i += inStride)]! | (src[(i += inStride)]! << 8) | (src[(i += inStride)]! << 16) | (src[(i += inStride)]! << 24);
      // Byte j, bit k sits at bit 8j + k of the 64-bit word hi:lo; swap it with bit 8k + j.
      let t = (lo ^ (lo >>> 7)) & 0x00aa00aa;
      lo = lo ^ t ^ (t << 7);
      t = (hi ^ (hi >>> 7)) & 0x00aa00aa;
      hi = hi ^ t ^ (t << 7);
      t = (lo ^ (lo >>> 14)) & 0x0000cccc;
      lo = lo ^ t ^ (t << 14);
      t = (hi ^ (hi >>> 14)) & 0x0000cccc;
      hi = hi ^ t ^ (t << 14);
      t = (lo ^ ((lo >>> 28) | (hi << 4))) & 0xf0f0f0f0;
      lo ^= t;
      hi ^= t >>> 4;
      let o = dstOffset + (forward ? rowPos : elementPos);
      dst[o] = lo;
      dst[(o += outStride)] = lo >>> 8;
      dst[(o += outStride)] = lo >>> 16;
      dst[(o += outStride)] = lo >>> 24;
      dst[(o += outStride)] = hi;
      dst[(o += outStride)] = hi >>> 8;
      dst[(o += outStride)] = hi >>> 16;
      dst[(o += outStride)] = hi >>> 24;
    }
  }
}

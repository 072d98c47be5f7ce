// The framing of the HDF5 LZ4 plugin (filter 32004), written by hand around raw LZ4 blocks: an 8-byte
// big-endian decoded size, a 4-byte big-endian block size, then per block a 4-byte big-endian stored
// size and the block. A block whose stored size equals its decoded size is kept uncompressed (the
// plugin does this when LZ4 does not shrink it); the last block may be shorter than the block size.
import { CodecError, type Codec } from "./codec.js";
import { compressLz4Block, decompressLz4Block } from "./lz4-block.js";

const HEADER_BYTES = 12;
const BLOCK_PREFIX_BYTES = 4;
/** The plugin's default: 1 GiB, so a chunk is normally one block. */
export const LZ4_DEFAULT_BLOCK_BYTES = 1 << 30;

export class Lz4Codec implements Codec {
  readonly id = "lz4";

  constructor(readonly blockBytes = LZ4_DEFAULT_BLOCK_BYTES) {
    if (!Number.isInteger(blockBytes) || blockBytes < 1) throw new CodecError(`lz4 block size ${blockBytes} is not a positive integer`);
  }

  async encode(bytes: Uint8Array): Promise<Uint8Array> {
    const blockBytes = Math.min(this.blockBytes, bytes.length);
    const parts: Uint8Array[] = [];
    for (let start = 0; start < bytes.length; start += blockBytes) {
      const block = bytes.subarray(start, start + blockBytes);
      const compressed = await compressLz4Block(block);
      parts.push(compressed.length < block.length ? compressed : block);
    }
    const out = new Uint8Array(HEADER_BYTES + parts.reduce((sum, p) => sum + BLOCK_PREFIX_BYTES + p.length, 0));
    const view = new DataView(out.buffer);
    view.setBigUint64(0, BigInt(bytes.length));
    view.setUint32(8, blockBytes);
    let pos = HEADER_BYTES;
    for (const part of parts) {
      view.setUint32(pos, part.length);
      out.set(part, pos + BLOCK_PREFIX_BYTES);
      pos += BLOCK_PREFIX_BYTES + part.length;
    }
    return out;
  }

  async decode(bytes: Uint8Array): Promise<Uint8Array> {
    if (bytes.length < HEADER_BYTES) throw new CodecError(`lz4 chunk of ${bytes.length} bytes is shorter than its header`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const decodedBig = view.getBigUint64(0);
    if (decodedBig > BigInt(Number.MAX_SAFE_INTEGER)) throw new CodecError(`lz4 chunk header claims ${decodedBig} decoded bytes`);
    const decodedBytes = Number(decodedBig);
    const blockBytes = Math.min(view.getUint32(8), decodedBytes);
    if (blockBytes === 0 && decodedBytes > 0) throw new CodecError("lz4 chunk header has a block size of 0");
    const out = new Uint8Array(decodedBytes);
    let pos = HEADER_BYTES;
    for (let done = 0; done < decodedBytes; done += blockBytes) {
      const expected = Math.min(blockBytes, decodedBytes - done);
      if (pos + BLOCK_PREFIX_BYTES > bytes.length) throw new CodecError(`lz4 chunk is truncated at byte ${pos}`);
      const stored = view.getUint32(pos);
      pos += BLOCK_PREFIX_BYTES;
      if (pos + stored > bytes.length) throw new CodecError(`lz4 chunk is truncated at byte ${pos}`);
      const block = bytes.subarray(pos, pos + stored);
      out.set(stored === expected ? block : await decompressLz4Block(block, expected, "lz4 chunk"), done);
      pos += stored;
    }
    return out;
  }
}

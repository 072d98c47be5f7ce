// HSDS's own chunk objects (hsds-reference §3.2): how its data node encodes and decodes a chunk from
// the dataset's filter JSON. Reading follows HSDS 0.9.4's `_uncompress` step by step, so chunks HSDS
// wrote (and linked HDF5 chunks it can read) decode to the same bytes. Writing produces what that
// reader accepts, with one deliberate difference: shuffle without a compressor is written shuffled,
// because HSDS's reader unshuffles such chunks (HSDS itself writes them unshuffled and then misreads them).
import { BitshuffleCodec, HSDS_BITSHUFFLE_BLOCK_SIZE } from "./bitshuffle.js";
import { BloscCodec, decodeBloscFrame, isBloscFrame, type BloscCompressor } from "./blosc.js";
import { CodecError, type ChunkContext } from "./codec.js";
import { deflateZlib, inflateZlib } from "./deflate.js";
import { hsdsFilterOps, type HsdsFilter } from "./filters.js";
import { shuffleBytes, unshuffleBytes } from "./shuffle.js";

export interface ChunkCodecContext {
  itemSize: number;
  /** Bytes of a decoded chunk; checked for fixed-size types only. */
  chunkBytes: number;
  /** A type with variable-length parts: never shuffled, and of no fixed decoded size. */
  variableLength: boolean;
}

export interface HsdsChunkPipeline {
  encode(raw: Uint8Array): Promise<Uint8Array>;
  decode(stored: Uint8Array): Promise<Uint8Array>;
}

/** Compressor names HSDS decodes with zlib when the chunk is not a Blosc frame. */
const ZLIB_NAMES = new Set(["zlib", "gzip", "deflate"]);
/** Counts as HSDS's compressor but is never applied. */
const NO_OP_COMPRESSOR = "scaleoffset";

export function hsdsChunkPipeline(filters: readonly HsdsFilter[], ctx: ChunkCodecContext): HsdsChunkPipeline {
  const ops = hsdsFilterOps(filters, ctx.variableLength);
  const compressor = ops.compressor === NO_OP_COMPRESSOR ? undefined : ops.compressor;
  const codecCtx: ChunkContext = { itemSize: ctx.itemSize, chunkBytes: ctx.chunkBytes };
  const bitshuffle = new BitshuffleCodec({ compression: "lz4", blockSize: HSDS_BITSHUFFLE_BLOCK_SIZE });
  let blosc: BloscCodec | undefined;

  const checkSize = (bytes: Uint8Array, what: string) => {
    if (!ctx.variableLength && bytes.length !== ctx.chunkBytes) {
      throw new CodecError(`HSDS chunk ${what} ${bytes.length} bytes, expected ${ctx.chunkBytes}`);
    }
  };

  return {
    // No compressor: raw, byte-shuffled or a bitshuffle stream. gzip/deflate: a plain zlib stream of
    // those bytes (HDF5's own chunk format, and faster than Blosc-zlib). Any other compressor: a
    // Blosc frame of that codec, Blosc doing the byte shuffle.
    async encode(raw) {
      checkSize(raw, "to encode has");
      const data = ops.shuffle === 2 ? await bitshuffle.encode(raw, codecCtx) : raw;
      if (compressor === undefined || ZLIB_NAMES.has(compressor)) {
        const shuffled = ops.shuffle === 1 ? shuffleBytes(data, ctx.itemSize) : data;
        return compressor === undefined ? shuffled : deflateZlib(shuffled, ops.level);
      }
      blosc ??= new BloscCodec({ cname: compressor as BloscCompressor, clevel: ops.level, shuffle: ops.shuffle === 1 ? 1 : 0 });
      return blosc.encode(data);
    },

    async decode(stored) {
      let data = stored;
      let shuffle = ops.shuffle;
      if (compressor !== undefined) {
        if (isBloscFrame(data)) {
          data = await decodeBloscFrame(data);
          // HSDS takes a byte shuffle as undone by Blosc.
          if (shuffle === 1) shuffle = 0;
        } else if (ZLIB_NAMES.has(compressor)) {
          data = await inflateZlib(data);
        } else {
          throw new CodecError(`HSDS chunk is not a Blosc frame, so its ${compressor} compression cannot be undone`);
        }
      }
      if (shuffle === 1) data = unshuffleBytes(data, ctx.itemSize);
      else if (shuffle === 2) data = await bitshuffle.decode(data, codecCtx);
      checkSize(data, "decoded to");
      return data;
    },
  };
}

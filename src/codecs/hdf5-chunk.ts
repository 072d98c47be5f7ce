// Chunks as HDF5 stores them: the output of the dataset's filter pipeline, applied in order on
// write and undone in reverse order on read, except for filters whose bit is set in the chunk's
// filter mask (HDF5 skipped an optional filter that failed for that chunk).
import { BITSHUFFLE_HDF5_COMPRESSION, BitshuffleCodec } from "./bitshuffle.js";
import { BLOSC_COMPRESSORS, BloscCodec } from "./blosc.js";
import { CodecError, FilterError, type ChunkContext, type Codec } from "./codec.js";
import { DeflateCodec } from "./deflate.js";
import { Fletcher32Codec } from "./fletcher32.js";
import { Lz4Codec } from "./lz4.js";
import { ShuffleCodec } from "./shuffle.js";
import { ZSTD_DEFAULT_LEVEL, ZstdCodec } from "./zstd.js";

/** One entry of an HDF5 filter pipeline message, with the cd_values stored in the file. */
export interface Hdf5Filter {
  id: number;
  name?: string;
  flags: number;
  cdValues: number[];
}

export interface Hdf5ChunkDecoder {
  /** Undoes the pipeline; bit i of `filterMask` set means filter i was not applied to this chunk. */
  decode(bytes: Uint8Array, filterMask?: number): Promise<Uint8Array>;
}

export interface Hdf5ChunkEncoder {
  /** Applies every filter of the pipeline, in order (the chunk's filter mask is then 0). */
  encode(raw: Uint8Array): Promise<Uint8Array>;
}

/** `ctx.chunkBytes` is the decoded size every chunk must have (HDF5 stores edge chunks whole). */
export function hdf5ChunkDecoder(filters: readonly Hdf5Filter[], ctx: ChunkContext): Hdf5ChunkDecoder {
  const codecs = filters.map(codecFor);
  return {
    async decode(bytes, filterMask = 0) {
      let data = bytes;
      for (let i = codecs.length - 1; i >= 0; i--) {
        if (filterMask & (1 << i)) continue;
        data = await codecs[i]!.decode(data, ctx);
      }
      if (data.length !== ctx.chunkBytes) {
        throw new CodecError(`HDF5 chunk decoded to ${data.length} bytes, expected ${ctx.chunkBytes}`);
      }
      return data;
    },
  };
}

export function hdf5ChunkEncoder(filters: readonly Hdf5Filter[], ctx: ChunkContext): Hdf5ChunkEncoder {
  const codecs = filters.map(codecFor);
  return {
    async encode(raw) {
      let data = raw;
      for (const codec of codecs) data = await codec.encode(data, ctx);
      return data;
    },
  };
}

function codecFor(filter: Hdf5Filter): Codec {
  const cd = filter.cdValues;
  switch (filter.id) {
    case 1:
      return new DeflateCodec(cd[0] ?? 6);
    case 2:
      return new ShuffleCodec(cd[0] || undefined);
    case 3:
      return new Fletcher32Codec();
    case 32001: {
      // cd_values: [revision, blosc version, typesize, chunk bytes, clevel, shuffle, compressor code].
      // Decoding reads everything from the frame; these only matter when writing.
      const shuffle = cd[5] ?? 1;
      if (shuffle !== 0 && shuffle !== 1 && shuffle !== 2) return unsupported(filter);
      return new BloscCodec({
        // BLOSC_COMPRESSORS is in c-blosc's compressor-code order.
        cname: BLOSC_COMPRESSORS[cd[6] ?? 0] ?? unsupported(filter),
        clevel: cd[4] ?? 5,
        shuffle,
      });
    }
    case 32004:
      return new Lz4Codec();
    case 32008: {
      // cd_values: [major, minor, element size, block size (0 = default), compression (0 none, 2 LZ4)].
      const code = cd[4] ?? BITSHUFFLE_HDF5_COMPRESSION.none;
      const compression =
        code === BITSHUFFLE_HDF5_COMPRESSION.lz4 ? "lz4"
        : code === BITSHUFFLE_HDF5_COMPRESSION.none ? "none"
        : unsupported(filter);
      return new BitshuffleCodec({ compression, elementSize: cd[2] || undefined, blockSize: cd[3] });
    }
    case 32015:
      return new ZstdCodec(cd[0] ?? ZSTD_DEFAULT_LEVEL);
    default:
      return unsupported(filter);
  }
}

function unsupported(filter: Hdf5Filter): never {
  throw new FilterError(`HDF5 filter ${filter.id} (${filter.name ?? "unnamed"}) is not supported`);
}

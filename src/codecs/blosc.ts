import type { Codec as WasmCodec } from "numcodecs";
import Blosc from "numcodecs/blosc";
import { CodecError, type Codec } from "./codec.js";

/** Blosc-1 internal compressors, by the names c-blosc (and HSDS) use. */
export const BLOSC_COMPRESSORS = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"] as const;
export type BloscCompressor = (typeof BLOSC_COMPRESSORS)[number];

/** Blosc's own pre-filter: 0 none, 1 byte shuffle, 2 bit shuffle. */
export type BloscShuffle = 0 | 1 | 2;

export interface BloscOptions {
  cname: BloscCompressor;
  clevel: number;
  shuffle: BloscShuffle;
}

const HEADER_BYTES = 16;
/** The header format c-blosc 1.x writes, and the only one its `cbuffer_metainfo` recognises. */
const FORMAT_VERSION = 2;
const FLAG_MEMCPYED = 0x02;
/** Codec formats in flag bits 5-7: blosclz, lz4/lz4hc, snappy, zlib, zstd. */
const MAX_CODEC_FORMAT = 4;

/**
 * HSDS's test for "this chunk is a Blosc frame" (numcodecs `cbuffer_metainfo` reports a typesize):
 * the first byte is Blosc's format version and the typesize byte is not zero. Zlib streams never
 * pass it (their first byte is 0x08..0x78).
 */
export function isBloscFrame(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_BYTES && bytes[0] === FORMAT_VERSION && bytes[3] !== 0;
}

/**
 * Blosc-1 frames through numcodecs' wasm c-blosc: decode accepts any frame (every internal
 * compressor, memcpyed, byte- or bit-shuffled); encode writes a standard frame with the named
 * compressor. numcodecs fixes the frame's typesize at 4, which only changes how well the byte
 * shuffle groups bytes, never what a reader gets back.
 */
export class BloscCodec implements Codec {
  readonly id = "blosc";
  private readonly blosc: WasmCodec;

  constructor(readonly options: BloscOptions) {
    const { cname, clevel, shuffle } = options;
    if (!BLOSC_COMPRESSORS.includes(cname)) throw new CodecError(`blosc compressor "${cname}" is not one of ${BLOSC_COMPRESSORS.join(", ")}`);
    if (!Number.isInteger(clevel) || clevel < 0 || clevel > 9) throw new CodecError(`blosc level ${clevel} is not an integer from 0 to 9`);
    this.blosc = Blosc.fromConfig({ id: "blosc", cname, clevel, shuffle, blocksize: 0 });
  }

  async encode(bytes: Uint8Array): Promise<Uint8Array> {
    return this.blosc.encode(bytes);
  }

  async decode(bytes: Uint8Array): Promise<Uint8Array> {
    return decodeBloscFrame(bytes);
  }
}

const frameDecoder = Blosc.fromConfig({ id: "blosc" });

/**
 * Decodes any Blosc-1 frame. The wasm binding ignores c-blosc's return code, so the header is
 * checked here first: a truncated or foreign buffer must fail instead of yielding garbage.
 */
export async function decodeBloscFrame(bytes: Uint8Array): Promise<Uint8Array> {
  const nbytes = checkedDecodedSize(bytes);
  const decoded = await frameDecoder.decode(bytes);
  if (decoded.length !== nbytes) {
    throw new CodecError(`blosc frame decoded to ${decoded.length} bytes, its header says ${nbytes}`);
  }
  return decoded;
}

/** The frame's decoded size, after checking that its header describes exactly these bytes. */
function checkedDecodedSize(bytes: Uint8Array): number {
  if (bytes.length < HEADER_BYTES) throw new CodecError(`blosc frame of ${bytes.length} bytes is shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const version = bytes[0]!;
  const flags = bytes[2]!;
  const typesize = bytes[3]!;
  const nbytes = view.getUint32(4, true);
  const blocksize = view.getUint32(8, true);
  const cbytes = view.getUint32(12, true);
  const problem =
    version < 1 || version > FORMAT_VERSION ? `unknown format version ${version}`
    : typesize === 0 ? "typesize 0"
    : flags >> 5 > MAX_CODEC_FORMAT ? `unknown compressor format ${flags >> 5}`
    : cbytes !== bytes.length ? `header says ${cbytes} bytes, got ${bytes.length}`
    : nbytes > 0 && blocksize === 0 ? "block size 0"
    : (flags & FLAG_MEMCPYED) !== 0 && cbytes !== nbytes + HEADER_BYTES ? `memcpyed frame of ${cbytes} bytes for ${nbytes} data bytes`
    : undefined;
  if (problem) throw new CodecError(`blosc frame is invalid: ${problem}`);
  return nbytes;
}

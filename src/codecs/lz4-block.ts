// Raw LZ4 blocks (no frame), as the HDF5 LZ4 plugin and bitshuffle store them. numcodecs' wasm LZ4
// is liblz4 itself; its buffers are a 4-byte little-endian decoded size followed by one raw block,
// so that prefix is removed or added here. (lz4js would avoid the copy, but its compressor lets a
// match start inside the last 12 bytes of a block, which liblz4's safe decoder rejects.)
import LZ4 from "numcodecs/lz4";
import { CodecError } from "./codec.js";

const SIZE_PREFIX_BYTES = 4;
const lz4 = LZ4.fromConfig({ id: "lz4", acceleration: 1 });

/** Compresses `bytes` into one raw LZ4 block (may be slightly longer than the input). */
export async function compressLz4Block(bytes: Uint8Array): Promise<Uint8Array> {
  const prefixed = await lz4.encode(bytes);
  return prefixed.subarray(SIZE_PREFIX_BYTES);
}

/** Decompresses one raw LZ4 block that must hold exactly `decodedBytes` bytes. */
export async function decompressLz4Block(block: Uint8Array, decodedBytes: number, what: string): Promise<Uint8Array> {
  const prefixed = new Uint8Array(SIZE_PREFIX_BYTES + block.length);
  new DataView(prefixed.buffer).setUint32(0, decodedBytes, true);
  prefixed.set(block, SIZE_PREFIX_BYTES);
  let decoded: Uint8Array;
  try {
    decoded = await lz4.decode(prefixed);
  } catch {
    throw new CodecError(`${what}: LZ4 block of ${block.length} bytes is corrupt`);
  }
  if (decoded.length !== decodedBytes) {
    throw new CodecError(`${what}: LZ4 block decoded to ${decoded.length} bytes, expected ${decodedBytes}`);
  }
  return decoded;
}

import { promisify } from "node:util";
import { deflate, inflate } from "node:zlib";
import { CodecError, type Codec } from "./codec.js";

// The async zlib calls run on the libuv thread pool, so several chunks compress in parallel.
const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

/** HDF5 deflate filter (id 1): a zlib stream with its 2-byte header, as HDF5 and HSDS write it. */
export class DeflateCodec implements Codec {
  readonly id = "deflate";

  constructor(readonly level: number) {
    checkLevel(level);
  }

  encode(bytes: Uint8Array): Promise<Uint8Array> {
    return deflateZlib(bytes, this.level);
  }

  decode(bytes: Uint8Array): Promise<Uint8Array> {
    return inflateZlib(bytes);
  }
}

export async function deflateZlib(bytes: Uint8Array, level: number): Promise<Uint8Array> {
  checkLevel(level);
  return asBytes(await deflateAsync(bytes, { level }));
}

export async function inflateZlib(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    return asBytes(await inflateAsync(bytes));
  } catch (err) {
    throw new CodecError(`zlib stream of ${bytes.length} bytes is corrupt: ${(err as Error).message}`);
  }
}

function checkLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new CodecError(`deflate level ${level} is not an integer from 0 to 9`);
}

/** A plain Uint8Array view of a Buffer, so callers never meet Buffer-only behaviour. */
function asBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

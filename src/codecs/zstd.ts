import type { Codec as WasmCodec } from "numcodecs";
import Zstd from "numcodecs/zstd";
import { CodecError, type Codec } from "./codec.js";

/** The HDF5 zstd plugin's level rule: cd_values[0], default 3, clamped to 1..22. */
export const ZSTD_DEFAULT_LEVEL = 3;
const ZSTD_MAX_LEVEL = 22;

/**
 * HDF5 zstd filter (32015): the chunk is one plain zstd frame. numcodecs' wasm zstd is libzstd; it
 * decodes several times faster than fzstd and reports corrupt frames as errors.
 */
export class ZstdCodec implements Codec {
  readonly id = "zstd";
  readonly level: number;
  private readonly zstd: WasmCodec;

  constructor(level = ZSTD_DEFAULT_LEVEL) {
    this.level = Math.min(Math.max(Math.trunc(level), 1), ZSTD_MAX_LEVEL);
    this.zstd = Zstd.fromConfig({ id: "zstd", level: this.level });
  }

  async encode(bytes: Uint8Array): Promise<Uint8Array> {
    return this.zstd.encode(bytes);
  }

  async decode(bytes: Uint8Array): Promise<Uint8Array> {
    try {
      return await this.zstd.decode(bytes);
    } catch (err) {
      throw new CodecError(`zstd frame of ${bytes.length} bytes is corrupt: ${wasmErrorText(err)}`);
    }
  }
}

/** numcodecs' wasm rethrows C++ exceptions as [type, message] pairs rather than Error objects. */
function wasmErrorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (Array.isArray(err)) return String(err[err.length - 1]);
  return String(err);
}

/** What a codec may need to know about the chunk it transforms. */
export interface ChunkContext {
  /** Bytes per element of the dataset type (the element size that shuffles work on). */
  itemSize: number;
  /** Bytes of the fully decoded chunk. */
  chunkBytes: number;
}

/** One reversible transformation of chunk bytes (one HDF5 filter, or one step of HSDS's pipeline). */
export interface Codec {
  readonly id: string;
  encode(bytes: Uint8Array, ctx: ChunkContext): Promise<Uint8Array>;
  decode(bytes: Uint8Array, ctx: ChunkContext): Promise<Uint8Array>;
}

/** Bytes that a codec cannot decode (corrupt, truncated, wrong format) or cannot encode. */
export class CodecError extends Error {
  override name = "CodecError";
}

/** A filter description that is malformed, contradictory or not supported. */
export class FilterError extends Error {
  override name = "FilterError";
}

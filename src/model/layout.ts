// The chunk shape HSDS's POST /datasets stores as `layout.dims` (§2.6) and the chunk shape it computes for
// contiguous linked datasets (§5.1). Written by hand to reproduce HSDS 0.9.4 exactly (dset_sn.py with
// chunkUtil.guessChunk/expandChunk/shrinkChunk/getContiguousLayout), quirks included, because a store
// written by either server must be readable by the other with the same chunk keys.

import { VARIABLE, type Variable } from "./datatype.js";

export class LayoutError extends Error {
  override name = "LayoutError";
}

export interface ChunkLimits {
  /** config min_chunk_size: smaller chunks are expanded */
  minChunkSize: number;
  /** config max_chunk_size: larger chunks are shrunk */
  maxChunkSize: number;
}

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = { minChunkSize: 1024 * 1024, maxChunkSize: 4 * 1024 * 1024 };

/** HSDS sizes chunks of variable-length types as if every element took this many bytes. */
const VARIABLE_ITEM_GUESS = 128;
/** Unlimited dimensions start from this extent when no chunk shape is requested. */
const UNLIMITED_GUESS = 1024;

/**
 * Chunk dims for a dataset of extent `dims` (rank 0 = scalar) and `maxdims` (0 = unlimited; undefined =
 * not extensible), optionally from client-requested chunk dims. Requested dims are validated first
 * (LayoutError with HSDS's message); chunks below `minChunkSize` bytes are grown, above `maxChunkSize`
 * shrunk. Null-space datasets have no layout and must not be passed here.
 */
export function chunkLayoutFor(
  dims: readonly number[],
  maxdims: readonly number[] | undefined,
  itemSize: number | Variable,
  requested?: readonly number[] | number,
  limits: ChunkLimits = DEFAULT_CHUNK_LIMITS,
): number[] {
  const size = itemSize === VARIABLE ? VARIABLE_ITEM_GUESS : itemSize;
  const asked = requested === undefined ? undefined : validateRequested(requested, dims, maxdims);
  if (dims.length === 0) return [1];
  const chunk = asked ?? (maxdims ?? dims).map((extent) => (extent === 0 ? UNLIMITED_GUESS : extent));
  const bytes = chunkBytes(chunk, size);
  if (bytes < limits.minChunkSize) return expandChunk(chunk, size, dims, maxdims, limits.minChunkSize);
  if (bytes > limits.maxChunkSize) return shrinkChunk(chunk, size, limits.maxChunkSize);
  return chunk;
}

function validateRequested(
  requested: readonly number[] | number,
  dims: readonly number[],
  maxdims: readonly number[] | undefined,
): number[] {
  const chunk = typeof requested === "number" ? [requested] : [...requested];
  if (chunk.length !== dims.length) throw new LayoutError("Layout rank does not match shape rank");
  chunk.forEach((extent, i) => {
    if (!Number.isSafeInteger(extent)) throw new LayoutError("Layout dims must be integer or integer array");
    if (extent <= 0) throw new LayoutError("Invalid layout value");
    if (maxdims === undefined) {
      if (extent > dims[i]!) throw new LayoutError("Invalid layout value");
    } else if (maxdims[i] !== 0 && extent > maxdims[i]!) {
      throw new LayoutError("Invalid layout value for extensible dimension");
    }
  });
  return chunk;
}

function chunkBytes(chunk: readonly number[], itemSize: number): number {
  let bytes = itemSize;
  for (const extent of chunk) bytes *= extent;
  return bytes;
}

/** Size HSDS assumes for the whole dataset: zero extents count as one. */
function datasetBytes(dims: readonly number[], itemSize: number): number {
  let bytes = itemSize;
  for (const extent of dims) if (extent !== 0) bytes *= extent;
  return bytes;
}

/**
 * Double chunk extents, last dimension first, until the chunk exceeds `min` bytes or stops growing.
 * Mirrors chunkUtil.expandChunk including its bookkeeping quirk: a bounded dimension that reaches its
 * extent decrements the count of extensible dimensions even when it was never counted, after which the
 * remaining dimensions grow only up to their current extent.
 */
function expandChunk(
  chunk: number[],
  itemSize: number,
  dims: readonly number[],
  maxdims: readonly number[] | undefined,
  min: number,
): number[] {
  const rank = dims.length;
  let extensible = 0;
  if (maxdims) for (let d = 0; d < rank; d++) if (maxdims[d] === 0 || maxdims[d]! > dims[d]!) extensible++;
  if (datasetBytes(dims, itemSize) <= min && extensible === 0) return [...dims];

  const layout = [...chunk];
  let bytes = chunkBytes(layout, itemSize);
  while (bytes < min) {
    const before = bytes;
    for (let d = rank - 1; d >= 0; d--) {
      if (extensible > 0) {
        const max = maxdims![d]!;
        if (max === 0) {
          layout[d]! *= 2;
        } else if (max > layout[d]!) {
          layout[d]! *= 2;
          if (layout[d]! >= dims[d]!) {
            layout[d] = max;
            extensible--;
          }
        } else {
          continue;
        }
      } else if (dims[d]! > layout[d]!) {
        layout[d] = Math.min(layout[d]! * 2, dims[d]!);
      } else {
        continue;
      }
      bytes = chunkBytes(layout, itemSize);
      if (bytes > min) break;
    }
    if (bytes <= before || bytes > min) break;
  }
  return layout;
}

/** Halve extents (rounding up), first dimension first, until the chunk fits in `max` bytes. */
function shrinkChunk(chunk: number[], itemSize: number, max: number): number[] {
  const layout = [...chunk];
  let bytes = chunkBytes(layout, itemSize);
  while (bytes > max) {
    const before = bytes;
    for (let d = 0; d < layout.length; d++) {
      if (layout[d]! <= 1) continue;
      layout[d] = Math.ceil(layout[d]! / 2);
      bytes = chunkBytes(layout, itemSize);
      if (bytes <= max) break;
    }
    if (bytes >= before) break;
  }
  return layout;
}

/**
 * Chunk dims HSDS gives a contiguous linked dataset (H5D_CONTIGUOUS_REF), chosen so each chunk is one
 * contiguous byte range of the source: keep whole trailing dimensions while they fit under `maxChunkSize`,
 * halve the first one that does not, and use 1 for every dimension before it.
 */
export function contiguousChunkDims(
  dims: readonly number[],
  itemSize: number,
  maxChunkSize: number = DEFAULT_CHUNK_LIMITS.maxChunkSize,
): number[] {
  if (dims.length === 0) return [1];
  if (dims.includes(0)) return [...dims];
  const layout = dims.map(() => 1);
  let bytes = itemSize;
  for (let d = dims.length - 1; d >= 0; d--) {
    const extent = dims[d]!;
    if (extent * bytes < maxChunkSize) {
      layout[d] = extent;
      bytes *= extent;
      continue;
    }
    let n = extent;
    while (n > 1) {
      n = Math.ceil(n / 2);
      if (n * bytes < maxChunkSize) break;
    }
    layout[d] = n;
    break;
  }
  return layout;
}

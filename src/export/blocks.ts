// The blocks a dataset is copied in: hyperslabs made of whole chunks, so each read asks HSDS for whole
// chunks and each write fills whole HDF5 chunks, and small enough that memory stays bounded.

import type { Selection } from "../model/selection.js";

export interface Block {
  start: number[];
  count: number[];
}

/**
 * The HDF5 chunk shape for a dataset of extent `dims` (maxdims: 0 = unlimited) from HSDS's chunk shape:
 * HSDS's chunk, shrunk to the extent so a small dataset does not get a large mostly-empty chunk, and never
 * above a fixed maximum extent (HDF5 refuses that).
 */
export function hdf5ChunkShape(hsdsChunk: readonly number[], dims: readonly number[], maxdims: readonly number[]): number[] {
  return hsdsChunk.map((chunk, d) => {
    const extent = dims[d]!;
    const max = maxdims[d]!;
    let size = extent > 0 ? Math.min(chunk, extent) : chunk;
    if (max > 0) size = Math.min(size, max);
    return Math.max(1, size);
  });
}

/**
 * The block shape: one chunk, grown by whole chunks from the last dimension backwards while the block
 * stays within `targetBytes` (a block is never smaller than one chunk).
 */
export function blockShape(chunk: readonly number[], dims: readonly number[], itemBytes: number, targetBytes: number): number[] {
  const shape = chunk.map((c, d) => Math.min(c, Math.max(dims[d]!, 1)));
  for (let d = shape.length - 1; d >= 0; d--) {
    const others = itemBytes * shape.reduce((bytes, extent, i) => (i === d ? bytes : bytes * extent), 1);
    const chunksAcross = Math.ceil(dims[d]! / chunk[d]!);
    const fit = Math.max(1, Math.floor(targetBytes / (others * chunk[d]!)));
    const multiple = Math.min(chunksAcross, fit);
    shape[d] = Math.min(chunk[d]! * multiple, Math.max(dims[d]!, 1));
    if (multiple < chunksAcross) break;
  }
  return shape;
}

/** Blocks of `shape` tiling `dims` in C order, clipped at the extent; none when any extent is zero. */
export function* blocksOf(dims: readonly number[], shape: readonly number[]): Generator<Block> {
  if (dims.some((extent) => extent === 0)) return;
  const rank = dims.length;
  const start = new Array<number>(rank).fill(0);
  for (;;) {
    yield { start: [...start], count: start.map((s, d) => Math.min(shape[d]!, dims[d]! - s)) };
    let d = rank - 1;
    for (; d >= 0; d--) {
      start[d]! += shape[d]!;
      if (start[d]! < dims[d]!) break;
      start[d] = 0;
    }
    if (d < 0) return;
  }
}

export function blockCount(dims: readonly number[], shape: readonly number[]): number {
  return dims.reduce((n, extent, d) => n * Math.ceil(extent / shape[d]!), 1);
}

export function blockSelection(block: Block): Selection {
  return block.start.map((start, d) => ({ kind: "slice", start, stop: start + block.count[d]!, step: 1 }));
}

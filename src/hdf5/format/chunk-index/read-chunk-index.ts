import type { ChunkLocation } from "../../storage-info.js";
import type { ChunkIndexSpec } from "../messages/data-layout.js";
import { readBtreeV1Chunks } from "./btree-v1.js";
import { readBtreeV2Chunks } from "./btree-v2.js";
import { allGridCoords, chunkCounts, compareCoords, linearIndex } from "./chunk-grid.js";
import { chunkLocation, type ChunkIndexInput } from "./chunk-record.js";
import { readExtensibleArrayChunks } from "./extensible-array.js";
import { readFixedArrayChunks } from "./fixed-array.js";

/** Every allocated chunk of a chunked dataset, whatever its index type, in row-major order of chunk coordinates. */
export async function readChunkIndex(
  spec: ChunkIndexSpec,
  input: Omit<ChunkIndexInput, "address">,
): Promise<ChunkLocation[]> {
  if (spec.address === undefined) return [];
  const full: ChunkIndexInput = { ...input, address: spec.address };
  let chunks: ChunkLocation[];
  switch (spec.type) {
    case "btree-v1":
      chunks = await readBtreeV1Chunks(full);
      break;
    case "btree-v2":
      chunks = await readBtreeV2Chunks(full);
      break;
    case "fixed-array":
      chunks = await readFixedArrayChunks(full);
      break;
    case "extensible-array":
      chunks = await readExtensibleArrayChunks(full);
      break;
    case "single":
      chunks = [singleChunk(full, spec.filtered)];
      break;
    case "implicit":
      chunks = implicitChunks(full);
      break;
  }
  return chunks.sort((a, b) => compareCoords(a.index, b.index));
}

/** Single chunk index: the index address is the chunk; a filtered one has its size and mask in the layout. */
function singleChunk(
  input: ChunkIndexInput,
  filtered: { size: number; filterMask: number } | undefined,
): ChunkLocation {
  const index = input.chunkShape.map(() => 0);
  return chunkLocation(input.file, index, input.address, filtered?.size ?? input.chunkBytes, filtered?.filterMask ?? 0);
}

/**
 * Implicit index: every chunk is allocated, unfiltered and back to back from the index address, placed by its
 * row-major position in the grid of the maximum extent.
 */
function implicitChunks(input: ChunkIndexInput): ChunkLocation[] {
  const maxShape = input.maxShape.map((d, i) => d ?? input.shape[i]!);
  const maxCounts = chunkCounts(maxShape, input.chunkShape);
  const chunks: ChunkLocation[] = [];
  for (const index of allGridCoords(chunkCounts(input.shape, input.chunkShape))) {
    const address = input.address + linearIndex(index, maxCounts) * input.chunkBytes;
    chunks.push(chunkLocation(input.file, index, address, input.chunkBytes, 0));
  }
  return chunks;
}

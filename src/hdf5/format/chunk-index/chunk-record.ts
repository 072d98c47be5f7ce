import type { ChunkLocation } from "../../storage-info.js";
import type { ByteCursor } from "../byte-cursor.js";
import type { MetadataFile } from "../metadata-file.js";

/** What every chunk index reader is given. */
export interface ChunkIndexInput {
  readonly file: MetadataFile;
  /** Stored address of the index (or of the chunks, for single and implicit). */
  readonly address: number;
  readonly chunkShape: number[];
  /** Bytes of one unfiltered chunk: product of the chunk shape times the element size. */
  readonly chunkBytes: number;
  readonly shape: number[];
  readonly maxShape: (number | null)[];
}

/**
 * A chunk entry of a fixed array, extensible array or v2 B-tree: the address, then for filtered chunks the
 * stored size (in whatever width is left over) and the filter mask. `undefined` for an unallocated chunk.
 */
export function decodeChunkEntry(
  cursor: ByteCursor,
  filtered: boolean,
  entrySize: number,
  chunkBytes: number,
): { address: number; size: number; filterMask: number } | undefined {
  const address = cursor.address();
  let size = chunkBytes;
  let filterMask = 0;
  if (filtered) {
    size = cursor.uint(entrySize - cursor.sizes.offsetSize - 4);
    filterMask = cursor.u32();
  }
  return address === undefined ? undefined : { address, size, filterMask };
}

/** Builds the public record: absolute address, checked to lie inside the file. */
export function chunkLocation(
  file: MetadataFile,
  index: number[],
  address: number,
  size: number,
  filterMask: number,
): ChunkLocation {
  file.checkExtent(address, size, `chunk ${JSON.stringify(index)}`);
  return { index, address: file.absolute(address), size, filterMask };
}

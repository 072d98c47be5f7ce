// Selections read from and written to chunks: the data path behind GET/PUT/POST .../value.
import { chunksOfSelection, copyBetween, copyElementsBetween, selectionCount, type ChunkPart, type Selection } from "../model/selection.js";
import type { ChunkData, DatasetChunks } from "./chunk-io.js";
import type { ChunkSource } from "./chunk-source.js";

/** Chunks handled at once: enough to keep both cores busy with (de)compression, few enough to bound memory. */
const CHUNK_CONCURRENCY = 8;

async function forEachLimit<T>(items: Iterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failed: unknown;
  const worker = async () => {
    for (let next = iterator.next(); !next.done && failed === undefined; next = iterator.next()) {
      try {
        await work(next.value);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  if (failed !== undefined) throw failed;
}

/** The selected elements in C order: packed bytes, or one buffer per element for variable-length types. */
export async function readSelection(chunks: ChunkSource, sel: Selection): Promise<ChunkData> {
  const { view } = chunks;
  const count = selectionCount(sel);
  const out: ChunkData = view.itemSize === undefined ? new Array<Uint8Array>(count) : new Uint8Array(count * view.itemSize);
  await forEachLimit(chunksOfSelection(sel, view.dims, view.chunkDims), CHUNK_CONCURRENCY, async (part) => {
    copyPart(await chunks.readOrFill(part.index), out, part, view.itemSize, "read");
  });
  return out;
}

/** Write `data` (C order over the selection) into the chunks it covers. */
export async function writeSelection(chunks: DatasetChunks, sel: Selection, data: ChunkData): Promise<void> {
  const { view } = chunks;
  await forEachLimit(chunksOfSelection(sel, view.dims, view.chunkDims), CHUNK_CONCURRENCY, async (part) => {
    if (part.count === elementsInBounds(part.index, view.dims, view.chunkDims)) {
      // The selection covers every element of the chunk that lies inside the dataset: nothing of the
      // old chunk survives (beyond the edge is fill), so do not read it.
      const fresh = chunks.filled();
      copyPart(fresh, data, part, view.itemSize, "write");
      await chunks.write(part.index, fresh);
    } else {
      await chunks.update(part.index, (chunk) => copyPart(chunk, data, part, view.itemSize, "write"));
    }
  });
}

function elementsInBounds(index: readonly number[], dims: readonly number[], chunkDims: readonly number[]): number {
  let n = 1;
  for (let d = 0; d < dims.length; d++) n *= Math.min(chunkDims[d]!, dims[d]! - index[d]! * chunkDims[d]!);
  return n;
}

function copyPart(chunk: ChunkData, out: ChunkData, part: ChunkPart, itemSize: number | undefined, direction: "read" | "write"): void {
  if (itemSize === undefined) copyElementsBetween(chunk as Uint8Array[], out as Uint8Array[], part, direction);
  else copyBetween(chunk as Uint8Array, out as Uint8Array, part, itemSize, direction);
}

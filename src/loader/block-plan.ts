// How a dataset's values are cut for copying (pure): writes are whole target chunks (the server's layout, which
// may differ from the source's), and reads are blocks of whole target chunks grown to cover whole source chunks
// where those are larger, so no source chunk is decompressed once per target chunk it feeds.
import { type Box, boxElements, intersect } from "../hdf5/source/box.js";

/**
 * The read blocks covering `shape`, C order. Each is aligned to the target chunk grid; along a dimension where
 * the source chunk is larger, it spans as many target chunks as one source chunk does, as far as `maxBytes`
 * allows.
 */
export function* readBlocks(
  shape: readonly number[],
  targetChunk: readonly number[],
  sourceChunk: readonly number[] | undefined,
  itemBytes: number,
  maxBytes: number,
): Generator<Box> {
  const span = targetChunk.map((t, d) => {
    const covering = Math.ceil(Math.min(sourceChunk?.[d] ?? t, shape[d]!) / t);
    return Math.max(1, covering);
  });
  // Shrink the multiples, outermost dimension first, until a block fits the budget (or is one target chunk).
  const bytes = () => span.reduce((total, k, d) => total * k * targetChunk[d]!, itemBytes);
  for (let d = 0; d < span.length && bytes() > maxBytes; d++) {
    while (span[d]! > 1 && bytes() > maxBytes) span[d] = Math.ceil(span[d]! / 2);
  }
  yield* grid(shape, span.map((k, d) => k * targetChunk[d]!));
}

/** The target chunks inside a read block, each clipped to the dataset's extent. */
export function targetPieces(block: Box, shape: readonly number[], targetChunk: readonly number[]): Box[] {
  const pieces: Box[] = [];
  for (const chunk of grid(shape, targetChunk, block)) pieces.push(chunk);
  return pieces;
}

/** Cells of extent `cell` over `shape` (restricted to `within`), clipped to the shape, in C order. */
function* grid(shape: readonly number[], cell: readonly number[], within?: Box): Generator<Box> {
  const area: Box = within ?? { start: shape.map(() => 0), count: [...shape] };
  if (boxElements(area) === 0) return;
  const first = area.start.map((s, d) => Math.floor(s / cell[d]!));
  const last = area.start.map((s, d) => Math.floor((s + area.count[d]! - 1) / cell[d]!));
  const index = [...first];
  for (;;) {
    const cellBox: Box = { start: index.map((i, d) => i * cell[d]!), count: [...cell] };
    const clipped = intersect(cellBox, area);
    if (clipped) yield clipped;
    let d = index.length - 1;
    while (d >= 0 && ++index[d]! > last[d]!) index[d] = first[d--]!;
    if (d < 0) return;
  }
}

// Boxes (n-d hyperslabs with step 1) and copying elements between buffers laid out as different boxes of
// one dataspace: source chunks into a block, a block into the target chunks it covers. Written by hand:
// a row-run copy over C-order buffers, with trailing dimensions merged while both boxes span them whole.
import { stridesOf } from "../../model/shape.js";

export interface Box {
  start: number[];
  count: number[];
}

export function boxElements(box: Box): number {
  return box.count.reduce((a, b) => a * b, 1);
}

/** The part two boxes share, or undefined when they do not overlap. */
export function intersect(a: Box, b: Box): Box | undefined {
  const start: number[] = [];
  const count: number[] = [];
  for (let d = 0; d < a.start.length; d++) {
    const lo = Math.max(a.start[d]!, b.start[d]!);
    const hi = Math.min(a.start[d]! + a.count[d]!, b.start[d]! + b.count[d]!);
    if (hi <= lo) return undefined;
    start.push(lo);
    count.push(hi - lo);
  }
  return { start, count };
}

/** The selection text of a box, as HSDS's `select` takes it ("[0:10,5:7]"; "" for rank 0). */
export function boxSelect(box: Box): string {
  if (box.start.length === 0) return "";
  return `[${box.start.map((s, d) => `${s}:${s + box.count[d]!}`).join(",")}]`;
}

/**
 * Copy the elements (`itemSize` bytes each) where `srcBox` and `dstBox` overlap, from `src` (C order over
 * `srcBox`) into `dst` (C order over `dstBox`).
 */
export function copyOverlap(src: Uint8Array, srcBox: Box, dst: Uint8Array, dstBox: Box, itemSize: number): void {
  const overlap = intersect(srcBox, dstBox);
  if (!overlap) return;
  const rank = overlap.count.length;
  if (rank === 0) {
    dst.set(src.subarray(0, itemSize));
    return;
  }
  // Merge trailing dimensions that both buffers (and the overlap) span whole into one run.
  let inner = rank - 1;
  let run = overlap.count[inner]!;
  while (inner > 0 && overlap.count[inner]! === srcBox.count[inner]! && overlap.count[inner]! === dstBox.count[inner]!) {
    inner--;
    run *= overlap.count[inner]!;
  }
  const srcStrides = stridesOf(srcBox.count);
  const dstStrides = stridesOf(dstBox.count);
  const runBytes = run * itemSize;
  const index = new Array<number>(inner).fill(0);
  for (;;) {
    let s = 0;
    let t = 0;
    for (let d = 0; d <= inner; d++) {
      const at = overlap.start[d]! + (d < inner ? index[d]! : 0);
      s += (at - srcBox.start[d]!) * srcStrides[d]!;
      t += (at - dstBox.start[d]!) * dstStrides[d]!;
    }
    dst.set(src.subarray(s * itemSize, s * itemSize + runBytes), t * itemSize);
    let d = inner - 1;
    while (d >= 0 && ++index[d]! === overlap.count[d]!) index[d--] = 0;
    if (d < 0) return;
  }
}

/** Index tuples of the grid cells (of extent `cell`) that `box` touches, in C order. */
export function* cellsTouched(box: Box, cell: readonly number[]): Generator<number[]> {
  const rank = box.start.length;
  const lo = box.start.map((s, d) => Math.floor(s / cell[d]!));
  const hi = box.start.map((s, d) => Math.floor((s + box.count[d]! - 1) / cell[d]!));
  if (box.count.some((c) => c === 0)) return;
  const index = [...lo];
  for (;;) {
    yield [...index];
    let d = rank - 1;
    while (d >= 0 && ++index[d]! > hi[d]!) index[d] = lo[d--]!;
    if (d < 0) return;
  }
}

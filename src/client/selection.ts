// Selection strings and point lists in the form HSDS expects on /datasets/{id}/value.

/** `hyperslab([0, 5], [10, 9], [1, 2])` → `"[0:10,5:9:2]"`; a step of 1 is left out. */
export function hyperslab(start: readonly number[], stop: readonly number[], step?: readonly number[]): string {
  if (start.length !== stop.length || (step !== undefined && step.length !== start.length)) {
    throw new RangeError(`hyperslab: start, stop and step must have one entry per dimension`);
  }
  const dims = start.map((first, i) => {
    const s = step?.[i] ?? 1;
    return s === 1 ? `${first}:${stop[i]}` : `${first}:${stop[i]}:${s}`;
  });
  return `[${dims.join(",")}]`;
}

/** Point coordinates as HSDS reads a binary point selection: uint64 little-endian, rank per point. */
export function packPoints(points: readonly (readonly number[])[]): Uint8Array {
  const rank = points[0]?.length ?? 0;
  const out = new Uint8Array(points.length * rank * 8);
  const view = new DataView(out.buffer);
  points.forEach((point, p) => {
    if (point.length !== rank) throw new RangeError(`point ${p} has ${point.length} coordinates, expected ${rank}`);
    point.forEach((coord, d) => view.setBigUint64((p * rank + d) * 8, BigInt(coord), true));
  });
  return out;
}

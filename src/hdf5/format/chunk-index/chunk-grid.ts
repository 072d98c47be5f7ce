/** Chunks per dimension needed to cover `extent` (ceil division), e.g. the current or the maximum shape. */
export function chunkCounts(extent: number[], chunkShape: number[]): number[] {
  return extent.map((d, i) => Math.ceil(d / chunkShape[i]!));
}

/** Row-major linear index of chunk coordinates in a grid of `counts`. */
export function linearIndex(coords: number[], counts: number[]): number {
  let index = 0;
  for (let i = 0; i < counts.length; i++) index = index * counts[i]! + coords[i]!;
  return index;
}

/** Inverse of linearIndex; counts[0] may be unbounded (Infinity) since only the later dimensions are used. */
export function gridCoords(index: number, counts: number[]): number[] {
  const coords = new Array<number>(counts.length);
  for (let i = counts.length - 1; i > 0; i--) {
    coords[i] = index % counts[i]!;
    index = Math.floor(index / counts[i]!);
  }
  coords[0] = index;
  return coords;
}

/** Every chunk coordinate of a grid, in row-major order. */
export function* allGridCoords(counts: number[]): Generator<number[]> {
  const total = counts.reduce((a, b) => a * b, 1);
  for (let i = 0; i < total; i++) yield gridCoords(i, counts);
}

/** Sorts chunk locations by their coordinates, row-major, so every index type reports in the same order. */
export function compareCoords(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return 0;
}

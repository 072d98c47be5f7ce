// Index arithmetic of C-order (row-major) arrays, shared by selections, chunk grids and chunk tables.

/** Elements between consecutive indexes of each dimension of an array of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d]!;
  }
  return strides;
}

/** The coordinates of element `index` of an array of `shape`; `out` is filled when given (hot loops reuse one). */
export function unravel(index: number, shape: readonly number[], out = new Array<number>(shape.length)): number[] {
  for (let d = shape.length - 1, rest = index; d >= 0; d--) {
    out[d] = rest % shape[d]!;
    rest = Math.floor(rest / shape[d]!);
  }
  return out;
}

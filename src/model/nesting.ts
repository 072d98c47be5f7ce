// Nested JSON lists <-> flat C-order element lists, for dataset/attribute shapes and array-type elements.

import type { JsonValue } from "./json.js";
import { product } from "./datatype.js";
import { ValueError } from "./value-error.js";

/** Nest a flat C-order list into lists of lists following `shape`; shape [] returns the single element. */
export function nestValues(flat: readonly JsonValue[], shape: readonly number[]): JsonValue {
  if (shape.length === 0) return flat[0] ?? null;
  const strides = shape.map((_, d) => product(shape.slice(d + 1)));
  const build = (depth: number, offset: number): JsonValue[] => {
    const extent = shape[depth]!;
    if (depth === shape.length - 1) return flat.slice(offset, offset + extent);
    const level: JsonValue[] = new Array(extent);
    for (let i = 0; i < extent; i++) level[i] = build(depth + 1, offset + i * strides[depth]!);
    return level;
  };
  return build(0, 0);
}

/**
 * Flatten `value` to `∏shape` elements in C order. Accepted forms: lists nested exactly as `shape`, or
 * (HSDS reshapes any list with the right count) one flat list of all the elements. Shape [] means the
 * value itself is the one element.
 */
export function flattenValue(value: unknown, shape: readonly number[]): unknown[] {
  if (shape.length === 0) return [value];
  const count = product(shape);
  const out: unknown[] = [];
  if (collectNested(value, shape, 0, out)) return out;
  if (Array.isArray(value) && value.length === count) return value;
  throw new ValueError(`value does not match shape [${shape.join(",")}]: ${describeShape(value, shape.length)}`);
}

function collectNested(value: unknown, shape: readonly number[], depth: number, out: unknown[]): boolean {
  if (!Array.isArray(value) || value.length !== shape[depth]) return false;
  if (depth === shape.length - 1) {
    for (const item of value) out.push(item);
    return true;
  }
  for (const item of value) if (!collectNested(item, shape, depth + 1, out)) return false;
  return true;
}

/** The list lengths along the first item of each level, e.g. "got lists of [3,2]". */
function describeShape(value: unknown, levels: number): string {
  const lengths: number[] = [];
  let v = value;
  for (let i = 0; i < levels && Array.isArray(v); i++) {
    lengths.push(v.length);
    v = v[0];
  }
  return lengths.length === 0 ? "got a single value" : `got lists of [${lengths.join(",")}]`;
}

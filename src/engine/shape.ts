// Shapes as clients send them (int, list, "H5S_NULL", "H5S_SCALAR", a shape object) and as HSDS
// stores them (§2.3: unlimited = 0 in maxdims; older files say "H5S_UNLIMITED").
import type { ShapeJson } from "./documents.js";
import { badRequest } from "./http-error.js";

function extent(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw badRequest(`Invalid ${what}: ${JSON.stringify(value)}`);
  return value;
}

/** The shape of a POST /datasets or attribute PUT body; absent means scalar. */
export function parseShape(raw: unknown): ShapeJson {
  if (raw === undefined || raw === null || raw === "H5S_SCALAR") return { class: "H5S_SCALAR" };
  if (raw === "H5S_NULL") return { class: "H5S_NULL" };
  if (typeof raw === "number") return { class: "H5S_SIMPLE", dims: [extent(raw, "shape")] };
  if (Array.isArray(raw)) {
    return raw.length === 0 ? { class: "H5S_SCALAR" } : { class: "H5S_SIMPLE", dims: raw.map((d) => extent(d, "shape")) };
  }
  if (typeof raw === "object") {
    const obj = raw as Record<string, unknown>;
    if (obj.class === "H5S_NULL" || obj.class === "H5S_SCALAR") return { class: obj.class };
    if (obj.class === "H5S_SIMPLE" && Array.isArray(obj.dims)) {
      const shape: ShapeJson = { class: "H5S_SIMPLE", dims: obj.dims.map((d) => extent(d, "shape")) };
      if (obj.maxdims !== undefined) shape.maxdims = parseMaxdims(obj.maxdims, shape.dims);
      return shape;
    }
  }
  throw badRequest(`Invalid shape: ${JSON.stringify(raw)}`);
}

/** maxdims for dims: int or list of the same rank, 0 (or "H5S_UNLIMITED"/null) = unlimited, else >= dim. */
export function parseMaxdims(raw: unknown, dims: number[]): number[] {
  const list = typeof raw === "number" ? [raw] : raw;
  if (!Array.isArray(list) || list.length !== dims.length) throw badRequest("maxdims rank does not match shape");
  return list.map((m, i) => {
    if (m === 0 || m === "H5S_UNLIMITED" || m === null) return 0;
    const max = extent(m, "maxdims");
    if (max < dims[i]!) throw badRequest("maxdims must be greater than or equal to dims");
    return max;
  });
}

/** Extents of a stored shape: [] for scalar (and for null, which has no elements). */
export function dimsOf(shape: ShapeJson): number[] {
  return shape.class === "H5S_SIMPLE" ? shape.dims : [];
}

/** Stored maxdims with unlimited as 0, or undefined when the dataset is not extensible. */
export function maxdimsOf(shape: ShapeJson): number[] | undefined {
  if (shape.class !== "H5S_SIMPLE" || shape.maxdims === undefined) return undefined;
  return shape.maxdims.map((m) => (m === "H5S_UNLIMITED" ? 0 : m));
}

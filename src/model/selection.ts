// Selections over n-d arrays (§4.8: hyperslabs, coordinate lists, points) and their intersection with a
// chunk grid, down to copying element bytes between a chunk buffer and a selection's output buffer.
// Written by hand: the syntax and bounds rules are HSDS 0.9.4's (dsetUtil.getSelectionList), and the copy
// plan is ours — it merges dimensions that are contiguous in both buffers so whole rows (or a whole chunk)
// move with one TypedArray.set.

import { product } from "./datatype.js";
import { stridesOf } from "./shape.js";

/** One dimension of a selection: a half-open strided range, or a coordinate list. */
export type DimSelection =
  | { readonly kind: "slice"; readonly start: number; readonly stop: number; readonly step: number }
  | { readonly kind: "coords"; readonly coords: readonly number[] };

/**
 * One entry per dataset dimension. Coordinate lists in several dimensions are zipped (point i takes the
 * i-th coordinate of each) and give one output axis, placed where the first of them is. A point
 * selection is a selection whose every dimension is a coordinate list.
 */
export type Selection = readonly DimSelection[];

export class SelectionError extends Error {
  override name = "SelectionError";
  /** The text HSDS puts in the 400 response body after "400: ". */
  readonly reason: string;
  constructor(reason: string, detail: string) {
    super(`${reason}: ${detail}`);
    this.reason = reason;
  }
}

const INVALID_SELECTION = "Invalid selection";

function invalid(detail: string): never {
  throw new SelectionError(INVALID_SELECTION, detail);
}

/** The whole dataspace. */
export function selectAll(dims: readonly number[]): Selection {
  return dims.map((extent) => ({ kind: "slice", start: 0, stop: extent, step: 1 }));
}

/**
 * Parse a `select` query value such as "[0:10:2, 5, [1,3,7], :]" against dataset extents `dims`.
 * Undefined or "" selects everything. Scalar datasets (dims []) take no selection.
 */
export function parseSelection(select: string | undefined, dims: readonly number[]): Selection {
  if (select === undefined || select === "") return selectAll(dims);
  if (dims.length === 0) invalid("a scalar dataset takes no selection");
  const elements = splitSelectElements(select);
  if (elements.length !== dims.length) {
    invalid(`selection has ${elements.length} dimensions, the dataset has ${dims.length}`);
  }
  const sel = elements.map((element, dim) => parseDimension(element, dims[dim]!, dim));
  selectionShape(sel); // rejects coordinate lists that cannot be zipped
  return sel;
}

/**
 * The selection of a JSON body's `start`/`stop`/`step` keys (numbers or lists), which HSDS turns into a
 * select string and parses like one.
 */
export function selectionFromBody(
  body: { start?: unknown; stop?: unknown; step?: unknown },
  dims: readonly number[],
): Selection {
  const listify = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
  if (body.start === undefined || body.stop === undefined) invalid("both 'start' and 'stop' are required");
  const start = listify(body.start);
  const stop = listify(body.stop);
  const step = body.step === undefined ? undefined : listify(body.step);
  if (stop.length !== start.length) invalid("start and stop values have different ranks");
  if (step && step.length !== start.length) invalid("step values have a different rank from start and stop");
  const parts = start.map((s, i) => `${s}:${stop[i]}${step ? `:${step[i]}` : ""}`);
  return parseSelection(`[${parts.join(",")}]`, dims);
}

/** Split "[a, b:c, [1,2]]" into per-dimension texts, whitespace removed (dsetUtil._getSelectElements). */
function splitSelectElements(select: string): string[] {
  const inner = select.startsWith("[") && select.endsWith("]") ? select.slice(1, -1) : select;
  const elements: string[] = [];
  let current = "";
  let inList = false;
  for (const ch of inner) {
    if (/\s/.test(ch)) continue;
    if (ch === "," && !inList) {
      if (current === "") invalid(`empty dimension in ${JSON.stringify(select)}`);
      elements.push(current);
      current = "";
      continue;
    }
    if (ch === "[") {
      if (inList) invalid(`nested coordinate list in ${JSON.stringify(select)}`);
      inList = true;
    } else if (ch === "]") {
      if (!inList) invalid(`unbalanced ']' in ${JSON.stringify(select)}`);
      inList = false;
    } else if (ch === ":" && inList) {
      invalid(`range inside a coordinate list in ${JSON.stringify(select)}`);
    }
    current += ch;
  }
  if (current === "") invalid(`empty dimension in ${JSON.stringify(select)}`);
  elements.push(current);
  return elements;
}

function parseInteger(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

function parseDimension(element: string, extent: number, dim: number): DimSelection {
  if (element.startsWith("[")) {
    if (!element.endsWith("]")) invalid(`invalid coordinate list for dim ${dim}`);
    const coords = element.slice(1, -1).split(",").map((field) => {
      const coord = parseInteger(field);
      if (coord === undefined) invalid(`invalid coordinate ${JSON.stringify(field)} for dim ${dim}`);
      if (coord < 0 || coord >= extent) invalid(`coordinate ${coord} for dim ${dim} not in range 0-${extent - 1}`);
      return coord;
    });
    return { kind: "coords", coords };
  }
  if (element === ":") return { kind: "slice", start: 0, stop: extent, step: 1 };
  if (element.includes(":")) {
    const fields = element.split(":");
    if (fields.length > 3) invalid(`invalid range ${JSON.stringify(element)} for dim ${dim}`);
    let start = 0;
    if (fields[0] !== "") {
      const value = parseInteger(fields[0]!);
      if (value === undefined) invalid(`invalid start value for dim ${dim}`);
      if (value < 0 || value >= extent) invalid(`start value ${value} out of range for dim ${dim}`);
      start = value;
    }
    let stop = extent;
    if (fields[1] !== "") {
      const value = parseInteger(fields[1]!);
      if (value === undefined) invalid(`invalid stop value for dim ${dim}`);
      if (value < 0 || value > extent || value <= start) invalid(`stop value ${value} out of range for dim ${dim}`);
      stop = value;
    }
    let step = 1;
    if (fields.length === 3 && fields[2] !== "") {
      const value = parseInteger(fields[2]!);
      if (value === undefined) invalid(`invalid step value for dim ${dim}`);
      if (value <= 0) invalid(`step value ${value} out of range for dim ${dim}`);
      step = value;
    }
    return { kind: "slice", start, stop, step };
  }
  const index = parseInteger(element);
  if (index === undefined) invalid(`invalid index ${JSON.stringify(element)} for dim ${dim}`);
  if (index < 0 || index >= extent) invalid(`index ${index} out of range for dim ${dim}`);
  return { kind: "slice", start: index, stop: index + 1, step: 1 };
}

const POINTS_NOT_VALID = "point list not valid for dataset shape";

/**
 * A point selection from a POST/PUT body: a JSON list of coordinates ([i, j, ...] for rank 1, [[i, j], ...]
 * otherwise) or packed uint64-LE coordinates, `rank` per point. Points must lie inside `dims`.
 */
export function parsePoints(points: unknown, dims: readonly number[]): Selection {
  const rank = dims.length;
  if (rank === 0) throw new SelectionError(POINTS_NOT_VALID, "a scalar dataset takes no points");
  const rows = points instanceof Uint8Array ? binaryPointRows(points, rank) : jsonPointRows(points, rank);
  const coords: number[][] = dims.map(() => new Array<number>(rows.length));
  rows.forEach((row, k) => {
    row.forEach((coord, d) => {
      if (coord >= dims[d]!) {
        throw new SelectionError(
          `point [${row.join(", ")}] is not within the bounds of the dataset`,
          `dim ${d} has extent ${dims[d]}`,
        );
      }
      coords[d]![k] = coord;
    });
  });
  return coords.map((list) => ({ kind: "coords", coords: list }));
}

function binaryPointRows(bytes: Uint8Array, rank: number): number[][] {
  if (bytes.length % 8 !== 0) throw new SelectionError(POINTS_NOT_VALID, `${bytes.length} bytes is not a whole number of uint64 values`);
  const values = bytes.length / 8;
  if (values % rank !== 0) {
    throw new SelectionError("Number of point values is not consistent with dataset rank", `${values} values for rank ${rank}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows: number[][] = [];
  for (let i = 0; i < values; i += rank) {
    const row: number[] = [];
    for (let d = 0; d < rank; d++) {
      const v = view.getBigUint64((i + d) * 8, true);
      // Anything beyond 2^53 is far outside any extent; keep it large so the bounds check names it.
      row.push(v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v));
    }
    rows.push(row);
  }
  return rows;
}

function jsonPointRows(points: unknown, rank: number): number[][] {
  if (!Array.isArray(points)) throw new SelectionError("expected a list of points", `got ${typeof points}`);
  return points.map((point: unknown) => {
    const row = rank === 1 && !Array.isArray(point) ? [point] : point;
    if (!Array.isArray(row) || row.length !== rank) {
      throw new SelectionError("point value did not match dataset rank", `point ${JSON.stringify(point)} for rank ${rank}`);
    }
    return row.map((coord: unknown) => {
      if (typeof coord !== "number" || !Number.isSafeInteger(coord) || coord < 0) {
        throw new SelectionError(POINTS_NOT_VALID, `coordinate ${JSON.stringify(coord)} is not a non-negative integer`);
      }
      return coord;
    });
  });
}

function sliceCount(s: { start: number; stop: number; step: number }): number {
  return s.stop > s.start ? Math.ceil((s.stop - s.start) / s.step) : 0;
}

/** Extents of the selection's output array (zipped coordinate lists give one axis). */
export function selectionShape(sel: Selection): number[] {
  const shape: number[] = [];
  let pointCount: number | undefined;
  for (const s of sel) {
    if (s.kind === "slice") {
      shape.push(sliceCount(s));
    } else if (pointCount === undefined) {
      pointCount = s.coords.length;
      shape.push(pointCount);
    } else if (s.coords.length !== pointCount) {
      throw new SelectionError(
        `shape mismatch: indexing arrays could not be broadcast together with shapes (${pointCount},) (${s.coords.length},)`,
        "coordinate lists are zipped and must have equal lengths",
      );
    }
  }
  return shape;
}

/** Number of elements a selection selects. */
export function selectionCount(sel: Selection): number {
  return product(selectionShape(sel));
}

/** Canonical select text, e.g. "[0:10,2:4:2,[1,3,5]]" (HSDS's getSliceQueryParam); "" for rank 0. */
export function selectionToString(sel: Selection): string {
  if (sel.length === 0) return "";
  const parts = sel.map((s) =>
    s.kind === "coords" ? `[${s.coords.join(",")}]` : `${s.start}:${s.stop}${s.step > 1 ? `:${s.step}` : ""}`,
  );
  return `[${parts.join(",")}]`;
}

// ---- chunk intersection -------------------------------------------------------------------------------

/** A loop of the copy plan: evenly strided, or explicit offsets (coordinate lists). Units are elements. */
export type CopyLoop =
  | { readonly count: number; readonly chunkStride: number; readonly outStride: number }
  | { readonly chunkOffsets: readonly number[]; readonly outOffsets: readonly number[] };

/**
 * The part of a selection that lies in one chunk. Element `chunkBase + Σ loop offsets + r` of the chunk
 * (C order over the full chunk shape) corresponds to element `outBase + Σ loop offsets + r` of the
 * selection's output array, for every combination of the nested `loops` and every r < `run`.
 */
export interface ChunkPart {
  /** chunk index along each dimension (floor(coordinate / chunk extent)) */
  readonly index: readonly number[];
  /** number of selected elements in this chunk */
  readonly count: number;
  readonly chunkBase: number;
  readonly outBase: number;
  /** outermost first */
  readonly loops: readonly CopyLoop[];
  /** contiguous elements per innermost step, in both buffers */
  readonly run: number;
}

interface Segment {
  chunk: number;
  /** first selected position along the dimension inside the chunk, chunk-local */
  local: number;
  /** index of that position within the dimension's selection */
  first: number;
  count: number;
}

function sliceSegments(s: { start: number; stop: number; step: number }, chunkExtent: number): Segment[] {
  const total = sliceCount(s);
  const segments: Segment[] = [];
  let i = 0;
  while (i < total) {
    const pos = s.start + i * s.step;
    const chunk = Math.floor(pos / chunkExtent);
    const last = Math.min(total - 1, Math.floor(((chunk + 1) * chunkExtent - 1 - s.start) / s.step));
    segments.push({ chunk, local: pos - chunk * chunkExtent, first: i, count: last - i + 1 });
    i = last + 1;
  }
  return segments;
}

interface PointGroup {
  /** chunk index for each coordinate-list dimension, in dimension order */
  chunks: number[];
  chunkOffsets: number[];
  outOffsets: number[];
}

/**
 * Every chunk the selection touches (chunk grid `chunkDims` over extents `dims`), with the mapping of its
 * selected elements to positions in the selection's output array. Chunks come in C order of their index,
 * except that chunks reached through coordinate lists come in order of first appearance.
 */
export function* chunksOfSelection(
  sel: Selection,
  dims: readonly number[],
  chunkDims: readonly number[],
): Generator<ChunkPart> {
  const rank = dims.length;
  if (sel.length !== rank || chunkDims.length !== rank) {
    throw new SelectionError(INVALID_SELECTION, `selection rank ${sel.length}, dataset rank ${rank}, chunk rank ${chunkDims.length}`);
  }
  const outShape = selectionShape(sel);
  const outStrides = stridesOf(outShape);
  const chunkStrides = stridesOf(chunkDims);

  // Output axis of each dimension; all coordinate-list dimensions share the first one's axis.
  const axisOf: number[] = [];
  let pointAxis = -1;
  let nextAxis = 0;
  sel.forEach((s) => {
    if (s.kind === "slice") axisOf.push(nextAxis++);
    else {
      if (pointAxis < 0) pointAxis = nextAxis++;
      axisOf.push(pointAxis);
    }
  });

  const segments = sel.map((s, d) => (s.kind === "slice" ? sliceSegments(s, chunkDims[d]!) : []));
  const pointDims = sel.flatMap((s, d) => (s.kind === "coords" ? [d] : []));
  const groups = pointDims.length > 0 ? groupPoints(sel, dims, pointDims, chunkDims, chunkStrides, outStrides[pointAxis]!) : [];
  const firstPointDim = pointDims[0] ?? -1;

  const index = new Array<number>(rank).fill(0);
  const loops: CopyLoop[] = [];

  function* visit(d: number, chunkBase: number, outBase: number): Generator<ChunkPart> {
    if (d === rank) {
      yield makePart([...index], chunkBase, outBase, loops);
      return;
    }
    const s = sel[d]!;
    if (s.kind === "coords") {
      if (d !== firstPointDim) {
        yield* visit(d + 1, chunkBase, outBase);
        return;
      }
      for (const group of groups) {
        pointDims.forEach((pd, i) => (index[pd] = group.chunks[i]!));
        loops.push({ chunkOffsets: group.chunkOffsets, outOffsets: group.outOffsets });
        yield* visit(d + 1, chunkBase, outBase);
        loops.pop();
      }
      return;
    }
    for (const seg of segments[d]!) {
      index[d] = seg.chunk;
      loops.push({ count: seg.count, chunkStride: s.step * chunkStrides[d]!, outStride: outStrides[axisOf[d]!]! });
      yield* visit(d + 1, chunkBase + seg.local * chunkStrides[d]!, outBase + seg.first * outStrides[axisOf[d]!]!);
      loops.pop();
    }
  }
  yield* visit(0, 0, 0);
}

function groupPoints(
  sel: Selection,
  dims: readonly number[],
  pointDims: readonly number[],
  chunkDims: readonly number[],
  chunkStrides: readonly number[],
  outStride: number,
): PointGroup[] {
  const lists = pointDims.map((d) => (sel[d] as { coords: readonly number[] }).coords);
  const extents = pointDims.map((d) => chunkDims[d]!);
  const strides = pointDims.map((d) => chunkStrides[d]!);
  // Number the chunks of the coordinate-list dimensions' grid so a point's group is a Map lookup.
  const gridCounts = pointDims.map((d) => Math.ceil(dims[d]! / chunkDims[d]!));
  const count = lists[0]!.length;
  const groups = new Map<number, PointGroup>();
  for (let k = 0; k < count; k++) {
    let key = 0;
    let offset = 0;
    for (let i = 0; i < lists.length; i++) {
      const coord = lists[i]![k]!;
      const chunk = Math.floor(coord / extents[i]!);
      key = key * gridCounts[i]! + chunk;
      offset += (coord - chunk * extents[i]!) * strides[i]!;
    }
    let group = groups.get(key);
    if (!group) {
      group = { chunks: lists.map((list, i) => Math.floor(list[k]! / extents[i]!)), chunkOffsets: [], outOffsets: [] };
      groups.set(key, group);
    }
    group.chunkOffsets.push(offset);
    group.outOffsets.push(k * outStride);
  }
  return [...groups.values()];
}

/**
 * Simplify the loops: single-iteration loops fold into the bases, and innermost loops that are contiguous
 * in both buffers merge into the run, so a fully covered chunk becomes one run.
 */
function makePart(index: number[], chunkBase: number, outBase: number, nested: readonly CopyLoop[]): ChunkPart {
  const loops: CopyLoop[] = [];
  let count = 1;
  for (const loop of nested) {
    if ("count" in loop) {
      count *= loop.count;
      if (loop.count !== 1) loops.push(loop);
    } else {
      count *= loop.chunkOffsets.length;
      if (loop.chunkOffsets.length === 1) {
        chunkBase += loop.chunkOffsets[0]!;
        outBase += loop.outOffsets[0]!;
      } else {
        loops.push(loop);
      }
    }
  }
  let run = 1;
  for (;;) {
    const last = loops[loops.length - 1];
    if (!last || !("count" in last) || last.chunkStride !== run || last.outStride !== run) break;
    run *= last.count;
    loops.pop();
  }
  return { index, count, chunkBase, outBase, loops, run };
}

/** Call `visit(chunkOffset, outOffset)` (in elements) for every run of the part. */
export function forEachRun(part: ChunkPart, visit: (chunkOffset: number, outOffset: number) => void): void {
  const { loops } = part;
  const walk = (depth: number, chunkOffset: number, outOffset: number): void => {
    if (depth === loops.length) {
      visit(chunkOffset, outOffset);
      return;
    }
    const loop = loops[depth]!;
    if ("count" in loop) {
      for (let i = 0; i < loop.count; i++) walk(depth + 1, chunkOffset + i * loop.chunkStride, outOffset + i * loop.outStride);
    } else {
      for (let k = 0; k < loop.chunkOffsets.length; k++) {
        walk(depth + 1, chunkOffset + loop.chunkOffsets[k]!, outOffset + loop.outOffsets[k]!);
      }
    }
  };
  walk(0, part.chunkBase, part.outBase);
}

/** "read": chunk -> output (serving a read); "write": output -> chunk (applying a write). */
export type CopyDirection = "read" | "write";

/** Runs shorter than this many bytes are copied byte by byte: cheaper than creating a subarray. */
const SMALL_RUN_BYTES = 64;

/**
 * Copy the part's elements of `itemSize` bytes between a full chunk buffer and the selection's output
 * buffer. Contiguous runs move with one TypedArray.set each.
 */
export function copyBetween(
  chunk: Uint8Array,
  out: Uint8Array,
  part: ChunkPart,
  itemSize: number,
  direction: CopyDirection,
): void {
  const [src, dst] = direction === "read" ? [chunk, out] : [out, chunk];
  const runBytes = part.run * itemSize;
  const small = runBytes < SMALL_RUN_BYTES;
  forEachRun(part, (chunkOffset, outOffset) => {
    const chunkByte = chunkOffset * itemSize;
    const outByte = outOffset * itemSize;
    const [from, to] = direction === "read" ? [chunkByte, outByte] : [outByte, chunkByte];
    if (small) {
      for (let b = 0; b < runBytes; b++) dst[to + b] = src[from + b]!;
    } else {
      dst.set(src.subarray(from, from + runBytes), to);
    }
  });
}

/** copyBetween for arrays holding one item per element (e.g. variable-length element buffers). */
export function copyElementsBetween<T>(chunk: T[], out: T[], part: ChunkPart, direction: CopyDirection): void {
  const run = part.run;
  forEachRun(part, (chunkOffset, outOffset) => {
    for (let r = 0; r < run; r++) {
      if (direction === "read") out[outOffset + r] = chunk[chunkOffset + r]!;
      else chunk[chunkOffset + r] = out[outOffset + r]!;
    }
  });
}

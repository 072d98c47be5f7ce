// Chunk tables of linked datasets (hsds-reference §5.1): where each HDF5 chunk of a source sits, laid out on the
// HDF5 chunk grid, for one file (H5D_CHUNKED_REF_INDIRECT), for files stacked along a new leading dimension
// (-a --link) or placed one after another along an extended dimension (--link --extend). Pure: the rows, their
// binary form and the checks that decide whether sources can share one table.
import type { LayoutJson } from "../client/hsds-types.js";
import type { DatasetStorageInfo } from "../hdf5/storage-info.js";
import type { HsdsType } from "../model/datatype.js";
import { contiguousChunkDims, DEFAULT_CHUNK_LIMITS } from "../model/layout.js";
import { unravel } from "../model/shape.js";
import { encodeElements } from "../model/values.js";

/** Where one HDF5 chunk's stored bytes are in its file; size 0 = the chunk was never written. */
export interface ChunkRef {
  offset: number;
  size: number;
}

/** The chunk references of one source dataset over its HDF5 chunk grid. */
export interface SourceChunkRefs {
  /** The HDF5 chunk shape (for contiguous data: virtual chunks, each one whole byte range). */
  chunk: number[];
  /** ceil(shape / chunk) per dimension. */
  grid: number[];
  /** One per grid cell, C order. */
  refs: ChunkRef[];
}

/** A chunk table to create: a dataset of {offset, size[, file_uri]} over (leading dimension +) chunk grid. */
export interface PlannedChunkTable {
  shape: number[];
  /** 0 = unlimited. */
  maxdims: number[];
  /** One per element, C order. */
  refs: ChunkRef[];
  /** One per element when each row names its own file (no file_uri in the layout). */
  fileUris?: string[];
}

/** Sources that cannot share one chunk table, or a placement that would mix two files in one chunk. */
export class LinkTableError extends Error {
  override name = "LinkTableError";
}

const OFFSET_FIELD = { name: "offset", type: { class: "H5T_INTEGER", base: "H5T_STD_I64LE" } } as const;
const SIZE_FIELD = { name: "size", type: { class: "H5T_INTEGER", base: "H5T_STD_I32LE" } } as const;
// h5pyd stores variable-length bytes; UTF-8 text keeps non-ASCII paths intact and reads the same.
const FILE_URI_FIELD = {
  name: "file_uri",
  type: { class: "H5T_STRING", charSet: "H5T_CSET_UTF8", strPad: "H5T_STR_NULLTERM", length: "H5T_VARIABLE" },
} as const;

/** The compound element type HSDS reads chunk tables as. */
export function chunkTableType(withFileUri: boolean): HsdsType {
  const fields = withFileUri ? [OFFSET_FIELD, SIZE_FIELD, FILE_URI_FIELD] : [OFFSET_FIELD, SIZE_FIELD];
  return { class: "H5T_COMPOUND", fields } as unknown as HsdsType;
}

/** The table's values in HSDS binary form, for one write of the whole table. */
export function encodeChunkTable(table: Pick<PlannedChunkTable, "refs" | "fileUris">): Uint8Array {
  const uris = table.fileUris;
  const rows = table.refs.map((r, i) => (uris ? [r.offset, r.size, uris[i]] : [r.offset, r.size]));
  return encodeElements(rows, chunkTableType(uris !== undefined));
}

function chunkGrid(shape: readonly number[], chunk: readonly number[]): number[] {
  return shape.map((extent, d) => Math.ceil(extent / chunk[d]!));
}

/**
 * Every HDF5 chunk of a source dataset on its grid. Contiguous data is cut into virtual chunks that are whole
 * trailing rows (as HSDS cuts H5D_CONTIGUOUS_REF data), with the split extent a divisor of its dimension so
 * every virtual chunk is full: a table entry must decode to exactly one chunk.
 */
export function chunkRefsOf(info: DatasetStorageInfo, maxChunkBytes = DEFAULT_CHUNK_LIMITS.maxChunkSize): SourceChunkRefs {
  const storage = info.storage;
  if (storage.layout === "compact") throw new LinkTableError("compact data has no chunks to reference");
  if (storage.layout === "contiguous") {
    const chunk = fullContiguousChunk(info.shape, info.elementSize, maxChunkBytes);
    const grid = chunkGrid(info.shape, chunk);
    const cells = grid.reduce((a, b) => a * b, 1);
    const bytes = chunk.reduce((a, b) => a * b, info.elementSize);
    const address = storage.address;
    const refs = Array.from({ length: cells }, (_, i) => (address === undefined ? { offset: 0, size: 0 } : { offset: address + i * bytes, size: bytes }));
    return { chunk, grid, refs };
  }
  const grid = chunkGrid(info.shape, storage.chunkShape);
  const refs: ChunkRef[] = Array.from({ length: grid.reduce((a, b) => a * b, 1) }, () => ({ offset: 0, size: 0 }));
  for (const c of storage.chunks) {
    // Chunks of an extensible dataset may lie beyond its current extent: they hold no element of it.
    if (c.index.some((i, d) => i >= grid[d]!)) continue;
    refs[c.index.reduce((at, i, d) => at * grid[d]! + i, 0)] = { offset: c.address, size: c.size };
  }
  return { chunk: [...storage.chunkShape], grid, refs };
}

function fullContiguousChunk(shape: readonly number[], itemSize: number, maxChunkBytes: number): number[] {
  const chunk = contiguousChunkDims(shape, itemSize, maxChunkBytes);
  const split = chunk.findIndex((c, d) => c !== shape[d]);
  if (split < 0) return chunk;
  let extent = chunk[split]!;
  while (shape[split]! % extent !== 0) extent--;
  chunk[split] = extent;
  return chunk;
}

/** The table of one file: its grid, with the file named by the layout. */
export function singleSourceTable(source: SourceChunkRefs): PlannedChunkTable {
  return { shape: [...source.grid], maxdims: [...source.grid], refs: source.refs };
}

/** Why `next` cannot share a chunk table (and so one HSDS layout) with `first`, or undefined if it can. */
export function sharedTableProblem(first: Pick<SourceChunkRefs, "chunk">, next: Pick<SourceChunkRefs, "chunk">): string | undefined {
  if (first.chunk.length !== next.chunk.length) return `rank ${next.chunk.length} differs from ${first.chunk.length}`;
  if (first.chunk.some((c, d) => c !== next.chunk[d])) return `HDF5 chunks (${next.chunk.join(",")}) differ from (${first.chunk.join(",")})`;
  return undefined;
}

/** The shape of a table files are stacked into, `rows` of them so far; the leading dimension is unlimited. */
export function stackedTableShape(source: SourceChunkRefs, rows: number): Pick<PlannedChunkTable, "shape" | "maxdims"> {
  return { shape: [rows, ...source.grid], maxdims: [0, ...source.grid] };
}

/** The shape of a table files are placed into along dimension `dim`, `extent` elements long so far (unlimited). */
export function extendedTableShape(source: SourceChunkRefs, dim: number, extent: number): Pick<PlannedChunkTable, "shape" | "maxdims"> {
  const shape = [...source.grid];
  shape[dim] = Math.ceil(extent / source.chunk[dim]!);
  const maxdims = [...source.grid];
  maxdims[dim] = 0;
  return { shape, maxdims };
}

/** The shape of a shared chunk table for a dataset of `shape` whose layout has `layoutDims`: an entry per chunk. */
export function sharedTableShape(shape: readonly number[], layoutDims: readonly number[]): number[] {
  return chunkGrid(shape, layoutDims);
}

/**
 * The layout of a dataset whose files share one chunk table naming each entry's file (no layout file_uri): one
 * HDF5 chunk per HSDS chunk, with a leading 1 when files are stacked. Hyper-chunks are not used: along the
 * stacked or extended dimension each file is its own chunk.
 */
export function sharedTableLayout(source: SourceChunkRefs, stacked: boolean): LayoutJson {
  return { class: "H5D_CHUNKED_REF_INDIRECT", dims: stacked ? [1, ...source.chunk] : [...source.chunk] };
}

/** Entries to write into an existing table at `start` (`count` = the block's extent), each naming its file. */
export interface TableBlock {
  start: number[];
  count: number[];
  refs: ChunkRef[];
  fileUris: string[];
}

/** Row `row` of a stacked table (a target that already has the leading dimension grows by one row per file). */
export function stackedTableBlock(source: SourceChunkRefs, fileUri: string, row: number): TableBlock {
  return { start: [row, ...source.grid.map(() => 0)], count: [1, ...source.grid], refs: source.refs, fileUris: source.refs.map(() => fileUri) };
}

/** Where a source placed along an extended dimension goes, in elements of the dataset. */
export interface ExtendPlacement {
  dim: number;
  /** First index of the source along `dim` (the target's extent before, or --extend-offset). */
  offset: number;
  /** The source's extent along `dim`. */
  extent: number;
  /** The target's extent along `dim` before this source is placed. */
  targetExtent: number;
}

/**
 * The block of the chunk table a source placed along an extended dimension fills (its own grid, shifted along
 * `dim` by offset / chunk) and the table's extent along `dim` afterwards. Fails unless the source's chunks line
 * up with the table's: it must start on a chunk boundary, and a partial last chunk may only end the dataset
 * (its padding would hide the next file's elements otherwise).
 */
export function extendedTableBlock(source: SourceChunkRefs, fileUri: string, placement: ExtendPlacement): TableBlock & { tableExtent: number } {
  const { dim, offset, extent, targetExtent } = placement;
  const c = source.chunk[dim]!;
  if (offset % c !== 0) {
    throw new LinkTableError(
      `its chunks are ${c} long along the extended dimension ${dim} but it would start at ${offset}, inside a chunk (it holds ${extent} along that dimension): ` +
        "linked data can only be extended where chunk boundaries align (chunk extent 1 along the extended dimension always does)",
    );
  }
  if (extent % c !== 0 && offset + extent < targetExtent) {
    throw new LinkTableError(
      `its last chunk along the extended dimension ${dim} is partial (${extent} is not a multiple of ${c}) and data follows it at ${offset + extent}`,
    );
  }
  const start = source.grid.map(() => 0);
  start[dim] = offset / c;
  const tableExtent = Math.ceil(Math.max(targetExtent, offset + extent) / c);
  return { start, count: [...source.grid], refs: source.refs, fileUris: source.refs.map(() => fileUri), tableExtent };
}

/** An INDIRECT layout's table as read back from the target: its shape and entries in C order. */
export interface ExistingTable {
  shape: number[];
  refs: ChunkRef[];
}

/**
 * The chunk references of a dataset the target already links to one file, whatever its reference layout, and
 * that file: what becomes row 0 when the dataset is re-created stacked (-a --link onto an earlier --link load).
 */
export function refsOfLinkedLayout(
  layout: LayoutJson,
  shape: readonly number[],
  itemSize: number,
  maxChunkBytes: number,
  table?: ExistingTable,
): { refs: SourceChunkRefs; fileUri: string } {
  const fileUri = layout.file_uri;
  if (typeof fileUri !== "string") throw new LinkTableError(`a ${layout.class} layout without one file_uri cannot be stacked again`);
  switch (layout.class) {
    case "H5D_CONTIGUOUS_REF": {
      const size = Number(layout.size ?? 0);
      const address = size > 0 ? Number(layout.offset) : undefined;
      const info: DatasetStorageInfo = { shape: [...shape], maxShape: [...shape], elementSize: itemSize, filters: [], storage: { layout: "contiguous", address, size } };
      return { refs: chunkRefsOf(info, maxChunkBytes), fileUri };
    }
    case "H5D_CHUNKED_REF": {
      const chunk = linkedLayoutChunk(layout, shape, itemSize, maxChunkBytes);
      const grid = chunkGrid(shape, chunk);
      const refs: ChunkRef[] = Array.from({ length: grid.reduce((a, b) => a * b, 1) }, () => ({ offset: 0, size: 0 }));
      for (const [key, [offset, size]] of Object.entries(layout.chunks as Record<string, [number, number]>)) {
        const at = key.split("_").reduce((n, i, d) => n * grid[d]! + Number(i), 0);
        refs[at] = { offset: Number(offset), size: Number(size) };
      }
      return { refs: { chunk: [...chunk], grid, refs }, fileUri };
    }
    case "H5D_CHUNKED_REF_INDIRECT": {
      const chunk = linkedLayoutChunk(layout, shape, itemSize, maxChunkBytes);
      const grid = chunkGrid(shape, chunk);
      if (!table || table.shape.length !== grid.length || table.shape.some((t, d) => t !== grid[d])) {
        throw new LinkTableError(`the chunk table's shape (${table?.shape.join(",")}) is not the chunk grid (${grid.join(",")})`);
      }
      return { refs: { chunk: [...chunk], grid, refs: table.refs }, fileUri };
    }
    default:
      throw new LinkTableError(`${layout.class} is not a reference layout`);
  }
}

/** The HDF5 chunk shape of a reference layout's entries (for contiguous data, the virtual chunks chunkRefsOf cuts). */
export function linkedLayoutChunk(layout: LayoutJson, shape: readonly number[], itemSize: number, maxChunkBytes: number): number[] {
  switch (layout.class) {
    case "H5D_CONTIGUOUS_REF":
      return fullContiguousChunk(shape, itemSize, maxChunkBytes);
    case "H5D_CHUNKED_REF":
      return [...layout.dims!];
    case "H5D_CHUNKED_REF_INDIRECT":
      return [...((layout.hyper_dims as number[] | undefined) ?? layout.dims!)];
    default:
      throw new LinkTableError(`${layout.class} is not a reference layout`);
  }
}

/** Coordinates of an element whose bytes a table block points at (its first stored chunk), or undefined if none are stored. */
export function storedElementOfBlock(block: TableBlock, layoutDims: readonly number[]): number[] | undefined {
  const at = block.refs.findIndex((r) => r.size > 0);
  if (at < 0) return undefined;
  return unravel(at, block.count).map((i, d) => (block.start[d]! + i) * layoutDims[d]!);
}

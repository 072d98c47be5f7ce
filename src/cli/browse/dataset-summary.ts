// What hsls -v says about a dataset — shape, numpy type, chunk shape and use, filters — computed
// from the dataset JSON the server sends (pure; the caller fetches statistics and chunk tables).
import type { CreationProperties, DatasetInfo, LayoutJson } from "../../client/hsds-types.js";
import { type HsdsType, fixedItemSize, normalizeType, numpyDtypeString, product } from "../../model/datatype.js";
import type { ChunkUsage, DatasetSummary, FilterSummary, ObjectClassName, StorageSummary } from "../format/object-listing.js";

const CHUNKED_CLASSES = new Set(["H5D_CHUNKED", "H5D_CHUNKED_REF", "H5D_CHUNKED_REF_INDIRECT"]);
const LINKED_CLASSES = new Set(["H5D_CONTIGUOUS_REF", "H5D_CHUNKED_REF", "H5D_CHUNKED_REF_INDIRECT"]);

/** numpy's itemsize for the dtype h5pyd builds: variable-length parts are 8-byte object pointers. */
export function numpyItemSize(t: HsdsType): number {
  switch (t.class) {
    case "H5T_STRING":
      return t.length === "H5T_VARIABLE" ? 8 : t.length;
    case "H5T_VLEN":
      return 8;
    case "H5T_COMPOUND":
      return t.fields.reduce((sum, f) => sum + numpyItemSize(f.type), 0);
    case "H5T_ARRAY":
      return numpyItemSize(t.base) * product(t.dims);
    default:
      return fixedItemSize(t);
  }
}

/** h5pyd's class for a dataset: one-dimensional compound datasets are Tables. */
export function datasetClassName(dataset: Pick<DatasetInfo, "shape" | "type">): ObjectClassName {
  const compound = typeof dataset.type === "object" && dataset.type.class === "H5T_COMPOUND";
  return compound && dataset.shape.class === "H5S_SIMPLE" && dataset.shape.dims?.length === 1 ? "Table" : "Dataset";
}

/** The reference layout of a dataset loaded with hsload --link (HSDS keeps it in creationProperties). */
export function linkedLayoutOf(dataset: Pick<DatasetInfo, "creationProperties" | "layout">): LayoutJson | undefined {
  const candidates = [dataset.creationProperties?.layout, dataset.layout];
  return candidates.find((layout) => layout !== undefined && LINKED_CLASSES.has(layout.class));
}

function filterSummary(properties: CreationProperties | undefined, compressors: readonly string[]): FilterSummary {
  const filters = properties?.filters ?? [];
  const shuffle = filters.some((f) => f.class === "H5Z_FILTER_SHUFFLE" || f.name === "shuffle");
  const compressor = filters.find((f) => f.name !== undefined && compressors.includes(f.name));
  const level = compressor?.level;
  return {
    shuffle,
    compression: compressor?.name,
    options: typeof level === "number" || typeof level === "string" ? String(level) : undefined,
  };
}

/** One entry of an H5D_CHUNKED_REF_INDIRECT chunk table: where an HDF5 chunk sits in its file. */
export interface ChunkTableEntry {
  offset: number;
  size: number;
}

/** h5pyd counts table entries with a positive offset and size as linked chunks. */
export function linkedUsageOfTable(entries: readonly ChunkTableEntry[]): ChunkUsage {
  const linked = entries.filter((e) => e.offset > 0 && e.size > 0);
  return { kind: "linked", count: linked.length, bytes: linked.reduce((sum, e) => sum + e.size, 0) };
}

export interface StorageFacts {
  /** num_chunks and allocated_size from GET /datasets/{id}?verbose=1. */
  allocated?: { count: number; bytes: number };
  /** The chunk table of an INDIRECT layout. */
  chunkTable?: readonly ChunkTableEntry[];
}

function gridCount(shape: readonly number[], chunkDims: readonly number[]): number {
  return shape.reduce((n, extent, i) => n * Math.ceil(extent / chunkDims[i]!), 1);
}

function storageSummary(
  dataset: DatasetInfo,
  shape: number[],
  itemSize: number,
  facts: StorageFacts,
): StorageSummary | undefined {
  const layout = dataset.layout ?? dataset.creationProperties?.layout;
  const linked = linkedLayoutOf(dataset);
  const serverDims = layout && CHUNKED_CLASSES.has(layout.class) ? layout.dims : undefined;
  const base = (chunkDims: number[], layoutClass: string) => ({
    layoutClass,
    chunkDims,
    chunkBytes: itemSize * product(chunkDims.slice(0, shape.length)),
    maxChunks: gridCount(shape, chunkDims),
    logicalBytes: itemSize * product(shape),
  });
  switch (linked?.class) {
    case "H5D_CHUNKED_REF_INDIRECT": {
      // One table entry per HDF5 chunk: show those chunks (hyper_dims), not the server's larger ones.
      const dims = (linked.hyper_dims as number[] | undefined) ?? linked.dims ?? serverDims;
      if (dims === undefined) return undefined;
      const summary = base(dims, linked.class);
      if (facts.chunkTable === undefined) return summary;
      return { ...summary, maxChunks: facts.chunkTable.length, usage: linkedUsageOfTable(facts.chunkTable) };
    }
    case "H5D_CHUNKED_REF": {
      const dims = linked.dims ?? serverDims;
      if (dims === undefined) return undefined;
      const ranges = Object.values((linked.chunks ?? {}) as Record<string, [number, number]>).filter(([, size]) => size > 0);
      const usage: ChunkUsage = { kind: "linked", count: ranges.length, bytes: ranges.reduce((sum, [, size]) => sum + size, 0) };
      return { ...base(dims, linked.class), usage };
    }
    case "H5D_CONTIGUOUS_REF": {
      if (serverDims === undefined) return undefined;
      const summary = base(serverDims, linked.class);
      const size = typeof linked.size === "number" ? linked.size : 0;
      return { ...summary, usage: { kind: "linked", count: size > 0 ? summary.maxChunks : 0, bytes: size } };
    }
    default: {
      if (serverDims === undefined) return undefined;
      const summary = base(serverDims, layout!.class);
      return facts.allocated === undefined ? summary : { ...summary, usage: { kind: "allocated", ...facts.allocated } };
    }
  }
}

export function datasetSummary(dataset: DatasetInfo, compressors: readonly string[], facts: StorageFacts = {}): DatasetSummary {
  const type = normalizeType(dataset.type);
  const shapeJson = dataset.shape;
  const shape = shapeJson.class === "H5S_NULL" ? null : shapeJson.class === "H5S_SCALAR" ? [] : (shapeJson.dims ?? []);
  const maxdims = shapeJson.maxdims ?? shape ?? [];
  const maxshape = maxdims.map((m) => (m === 0 || (m as unknown) === "H5S_UNLIMITED" ? null : m));
  let typeText: string;
  try {
    typeText = numpyDtypeString(type);
  } catch {
    typeText = type.class;
  }
  return {
    shape,
    maxshape,
    type: typeText,
    storage: shape === null ? undefined : storageSummary(dataset, shape, numpyItemSize(type), facts),
    filters: filterSummary(dataset.creationProperties, compressors),
  };
}

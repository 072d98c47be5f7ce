// hsload --link for one dataset (pure): whether it is linked or copied, and its reference layout in the form
// h5pyd sends and HSDS stores (hsds-reference §5.1): H5D_CONTIGUOUS_REF for contiguous data, H5D_CHUNKED_REF with
// the chunks inline when there are few, H5D_CHUNKED_REF_INDIRECT with a chunk table (hyper-chunked, as h5pyd does
// for HSDS 0.9) otherwise. The filters come from the source, since the server decodes the file's bytes with them.
import type { CreationProperties, LayoutJson } from "../client/hsds-types.js";
import { hdf5FilterToHsds, type HsdsFilter, linkedPipelineProblem } from "../codecs/filters.js";
import { isMapped, type ObjectKey, type SourceDataset } from "../hdf5/source/source-tree.js";
import type { DatasetStorageInfo } from "../hdf5/storage-info.js";
import { isVariableLength, itemSize } from "../model/datatype.js";
import { unravel } from "../model/shape.js";
import type { PlannedDataset, PlanNote } from "./load-plan.js";
import { chunkRefsOf, singleSourceTable } from "./link-table.js";

/** What plan() needs to link a file's datasets. */
export interface LinkSource {
  /** The file as the server will name it. */
  fileUri: string;
  /** The storage of every dataset `copiedBecause` does not rule out, by object key. */
  storage: ReadonlyMap<ObjectKey, DatasetStorageInfo>;
}

/** h5pyd copies datasets of this many elements or fewer instead of linking them (MIN_DSET_ELEMENTS_FOR_LINKING). */
const MAX_COPIED_ELEMENTS = 512;
/** h5pyd keeps up to this many chunks inline (H5D_CHUNKED_REF); more go to a chunk table. */
const MAX_INLINE_CHUNKS = 10;
/** h5pyd grows hyper-chunked layout dims until a chunk holds at least this much (its MIN_CHUNK_SIZE). */
const MIN_HYPER_CHUNK_BYTES = 1024 * 1024;

/**
 * Why a dataset is copied rather than linked, judged from the tree alone (undefined: it may be linked, once its
 * storage is known). Only candidates need their chunk index read.
 */
export function copiedBecause(dataset: SourceDataset): string | undefined {
  if (dataset.shape === null || dataset.shape.length === 0) return "it has no dimensions";
  const elements = dataset.shape.reduce((a, b) => a * b, 1);
  if (elements <= MAX_COPIED_ELEMENTS) return `it has ${elements} elements (datasets of more than ${MAX_COPIED_ELEMENTS} are linked)`;
  if (!isMapped(dataset.type) || isVariableLength(dataset.type.type)) return "its elements have variable length";
  if (dataset.layout.class === "compact") return "its data is stored inside the object header (compact)";
  if (dataset.layout.class === "unknown") return `its storage cannot be described: ${dataset.layout.reason}`;
  return undefined;
}

/**
 * A dataset's plan under --link: linked, or its copy-mode plan `copy` unchanged when it is copied. The notes to
 * keep are the copy's (`copyNotes`) and why it is copied, or none for a linked dataset.
 */
export function linkDataset(copy: PlannedDataset, copyNotes: readonly PlanNote[], dataset: SourceDataset, link: LinkSource): { planned: PlannedDataset; notes: PlanNote[] } {
  const copied = (reason: string) => ({ planned: copy, notes: [{ path: dataset.path, message: `copied, not linked: ${reason}` }, ...copyNotes] });
  const early = copiedBecause(dataset);
  if (early) return copied(early);
  const info = link.storage.get(dataset.key);
  if (!info) throw new Error(`no storage was read for ${dataset.path}`);
  const size = itemSize(copy.type.type) as number;
  if (info.elementSize !== size) return copied(`its elements take ${info.elementSize} bytes in the file but ${size} in HSDS`);
  const problem = linkedPipelineProblem(info.filters);
  if (problem) return copied(problem);
  const masked = info.storage.layout === "chunked" ? info.storage.chunks.filter((c) => c.filterMask !== 0).length : 0;
  if (masked > 0) return copied(`${masked} of its chunks skip a filter (HDF5 filter mask), which reference layouts cannot express`);

  const reference = referenceLayout(info, link.fileUri, size);
  if (!reference) return copied("its data was never written");
  const creationProperties: CreationProperties = { ...copy.creationProperties, layout: reference.layout };
  const filters = info.filters.map((f) => hdf5FilterToHsds(f).filter as HsdsFilter);
  if (filters.length > 0) creationProperties.filters = filters;
  else delete creationProperties.filters;
  const linked: PlannedDataset = { ...copy, values: "none", creationProperties };
  delete linked.sourceChunks;
  if (reference.chunkTable) linked.chunkTable = reference.chunkTable;
  return { planned: linked, notes: [] };
}

/** The reference layout of a dataset's storage; undefined for contiguous data that was never written. */
function referenceLayout(info: DatasetStorageInfo, fileUri: string, size: number): Pick<PlannedDataset, "chunkTable"> & { layout: LayoutJson } | undefined {
  const storage = info.storage;
  if (storage.layout === "compact") throw new Error("compact data cannot be linked");
  if (storage.layout === "contiguous") {
    if (storage.address === undefined) return undefined;
    return { layout: { class: "H5D_CONTIGUOUS_REF", file_uri: fileUri, offset: storage.address, size: storage.size } };
  }
  const chunk = storage.chunkShape;
  if (storage.chunks.length <= MAX_INLINE_CHUNKS) {
    const chunks = Object.fromEntries(storage.chunks.map((c) => [c.index.join("_"), [c.address, c.size]]));
    return { layout: { class: "H5D_CHUNKED_REF", file_uri: fileUri, dims: [...chunk], chunks } };
  }
  return {
    layout: { class: "H5D_CHUNKED_REF_INDIRECT", file_uri: fileUri, dims: hyperChunkDims(chunk, info.shape, size), hyper_dims: [...chunk] },
    chunkTable: singleSourceTable(chunkRefsOf(info)),
  };
}

/**
 * HSDS chunk dims for hyper-chunks of the HDF5 chunk `chunk` (h5pyd's expandChunk): double one dimension at a
 * time, the last first, while it stays within the dataset's extent, until a chunk holds MIN_HYPER_CHUNK_BYTES.
 * Doubling keeps every dimension a multiple of the HDF5 chunk, as HSDS requires.
 */
export function hyperChunkDims(chunk: readonly number[], shape: readonly number[], itemBytes: number): number[] {
  const dims = [...chunk];
  const bytes = () => dims.reduce((a, b) => a * b, itemBytes);
  while (bytes() > 0 && bytes() < MIN_HYPER_CHUNK_BYTES) {
    let d = dims.length - 1;
    while (d >= 0 && dims[d]! * 2 > shape[d]!) d--;
    if (d < 0) break;
    dims[d] = dims[d]! * 2;
  }
  return dims;
}

/** Coordinates of an element whose bytes a linked dataset reads from its file, or undefined if none are stored. */
export function storedElement(dataset: PlannedDataset): number[] | undefined {
  const layout = dataset.creationProperties?.layout;
  const shape = dataset.shape;
  if (!layout || shape === "H5S_NULL") return undefined;
  switch (layout.class) {
    case "H5D_CONTIGUOUS_REF":
      return Number(layout.size) > 0 ? shape.map(() => 0) : undefined;
    case "H5D_CHUNKED_REF": {
      const first = Object.keys(layout.chunks as Record<string, unknown>)[0];
      return first?.split("_").map((i, d) => Number(i) * layout.dims![d]!);
    }
    case "H5D_CHUNKED_REF_INDIRECT": {
      const table = dataset.chunkTable;
      const at = table ? table.refs.findIndex((r) => r.size > 0) : -1;
      if (!table || at < 0) return undefined;
      const chunk = layout.hyper_dims as number[];
      return unravel(at, table.shape).map((i, d) => i * chunk[d]!);
    }
    default:
      return undefined;
  }
}

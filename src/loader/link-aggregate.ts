// What -a needs to aggregate linked datasets (pure), in its own terms: a planned dataset's chunk references, how a
// dataset of the domain holds its values (copied, linked to one file, or linked through a chunk table files
// share), the creation of a dataset that several files share through one chunk table (stacked along a new leading
// dimension, or placed along an extended one), the table block each file writes at its slot, and the checks that
// decide whether a file can join. The table blocks replace the values copy of copied datasets.
import type { CreationProperties } from "../client/hsds-types.js";
import { itemSize } from "../model/datatype.js";
import { DEFAULT_CHUNK_LIMITS } from "../model/layout.js";
import type { Slot } from "./ledger-records.js";
import type { PlannedDataset } from "./load-plan.js";
import {
  extendedTableBlock,
  extendedTableShape,
  linkedLayoutChunk,
  type PlannedChunkTable,
  refsOfLinkedLayout,
  sharedTableLayout,
  sharedTableProblem,
  type SourceChunkRefs,
  stackedTableBlock,
  stackedTableShape,
  type TableBlock,
} from "./link-table.js";

const REFERENCE_CLASSES = new Set(["H5D_CONTIGUOUS_REF", "H5D_CHUNKED_REF", "H5D_CHUNKED_REF_INDIRECT"]);

/** A source dataset --link links: its chunks on the HDF5 chunk grid and the file they are in. */
export interface LinkedRefs {
  refs: SourceChunkRefs;
  fileUri: string;
}

/** The chunk references of a planned dataset that --link links; undefined for one it copies. */
export function linkedRefsOf(planned: PlannedDataset, maxChunkBytes = DEFAULT_CHUNK_LIMITS.maxChunkSize): LinkedRefs | undefined {
  const layout = planned.creationProperties?.layout;
  if (!layout || !REFERENCE_CLASSES.has(layout.class) || planned.shape === "H5S_NULL") return undefined;
  return refsOfLinkedLayout(layout, planned.shape, itemSize(planned.type.type) as number, maxChunkBytes, planned.chunkTable);
}

/**
 * How a linked dataset holds its values: linked to one file (a plain --link load, a file spliced in), or shared by
 * files through one chunk table whose entries each name their file.
 */
export interface LinkedStorage {
  shared: boolean;
  /** Shared: the layout's dims, one HDF5 chunk each (with a leading 1 when the files are stacked). One file: its HDF5 chunk. */
  dims: number[];
  filters: CreationProperties["filters"];
  /** One file: the file. */
  fileUri?: string;
}

/** How a dataset of the domain holds its values; undefined when they are copied into the domain. */
export function linkedStorageOf(properties: CreationProperties | undefined, shape: readonly number[] | null, elementSize: number): LinkedStorage | undefined {
  const layout = properties?.layout;
  if (!layout || !REFERENCE_CLASSES.has(layout.class) || shape === null) return undefined;
  const filters = properties.filters;
  if (typeof layout.file_uri !== "string") return { shared: true, dims: [...layout.dims!], filters };
  return { shared: false, dims: linkedLayoutChunk(layout, shape, elementSize, DEFAULT_CHUNK_LIMITS.maxChunkSize), filters, fileUri: layout.file_uri };
}

/** A source dataset's linked storage, before any other file joins it. */
export function sourceStorage(planned: Pick<PlannedDataset, "creationProperties">, linked: LinkedRefs): LinkedStorage {
  return { shared: false, dims: [...linked.refs.chunk], filters: planned.creationProperties?.filters, fileUri: linked.fileUri };
}

/** The storage once files share it through one chunk table: stacked (a leading dimension per file) or placed along a dimension. */
export function asShared(storage: LinkedStorage, stacked: boolean): LinkedStorage {
  if (storage.shared) return storage;
  const { fileUri: _, ...rest } = storage;
  return { ...rest, shared: true, dims: stacked ? [1, ...storage.dims] : storage.dims };
}

/**
 * What the files sharing one chunk table must have in common — the HDF5 chunk shape and the filters, since the
 * server decodes every entry with the dataset's filters, as one chunk shape — and who set them, for messages.
 */
export interface TableTerms {
  chunk: number[];
  filters: CreationProperties["filters"];
  setBy: string;
}

/** The terms of a shared storage, as files joining it by `slot` (a row, or a block along a dimension) see them. */
export function tableTerms(storage: LinkedStorage, slot: Slot, setBy: string): TableTerms {
  return { chunk: slot.stacked ? storage.dims.slice(1) : storage.dims, filters: storage.filters, setBy };
}

/** The terms a linked source dataset brings. */
export function sourceTerms(planned: Pick<PlannedDataset, "creationProperties">, linked: LinkedRefs): TableTerms {
  return { chunk: linked.refs.chunk, filters: planned.creationProperties?.filters, setBy: linked.fileUri };
}

/** Why a file (`next`) cannot join a dataset files link through one table, or undefined if it can. */
export function joinProblem(table: TableTerms, next: TableTerms): string | undefined {
  const chunks = sharedTableProblem(table, next);
  if (chunks) return `it cannot share the chunk table of ${table.setBy}: ${chunks}`;
  const ids = (t: TableTerms) => JSON.stringify((t.filters ?? []).map((f) => f.id));
  const shown = (t: TableTerms) => JSON.stringify((t.filters ?? []).map((f) => [f.id, f.name]));
  if (ids(table) !== ids(next)) return `it cannot share the chunk table of ${table.setBy}: its filters ${shown(next)} differ from ${shown(table)}`;
  return undefined;
}

/** How the files share the dataset: a row each along a new leading dimension, or blocks along dimension `dim`. */
export type SharedForm = { stacked: true; rows: number } | { stacked: false; dim: number; extent: number };

/**
 * The creation of a dataset files share through one chunk table: its creation properties (the layout names the
 * table, created first and empty; each file then writes its block) and the table to create. Filters and fill
 * value are the first file's.
 */
export function sharedLinkedCreation(
  first: { planned: Pick<PlannedDataset, "creationProperties">; linked: Pick<LinkedRefs, "refs"> },
  form: SharedForm,
): { creationProperties: CreationProperties; table: PlannedChunkTable } {
  const refs = first.linked.refs;
  const shape = form.stacked ? stackedTableShape(refs, form.rows) : extendedTableShape(refs, form.dim, form.extent);
  return {
    creationProperties: { ...first.planned.creationProperties, layout: sharedTableLayout(refs, form.stacked) },
    table: { ...shape, refs: [], fileUris: [] },
  };
}

/**
 * The table block a file writes at its slot (the ledger's slot of its values), and the table's extent along the
 * slot's dimension afterwards. Throws LinkTableError when the file's chunks do not line up with the table's.
 */
export function slotBlock(linked: LinkedRefs, slot: Slot, targetExtent: number): TableBlock & { tableExtent: number } {
  if (slot.stacked) return { ...stackedTableBlock(linked.refs, linked.fileUri, slot.start), tableExtent: Math.max(targetExtent, slot.start + 1) };
  return extendedTableBlock(linked.refs, linked.fileUri, { dim: slot.dim, offset: slot.start, extent: slot.count, targetExtent });
}

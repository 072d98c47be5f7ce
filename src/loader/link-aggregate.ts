// What -a needs to aggregate linked datasets (pure), in its own terms: a planned dataset's chunk references, the
// creation of a dataset that several files share through one chunk table (stacked along a new leading dimension,
// or placed along an extended one), the table block each file writes at its slot, and the checks that decide
// whether a file can join. The table blocks replace the values copy of copied datasets.
import type { CreationProperties } from "../client/hsds-types.js";
import { itemSize } from "../model/datatype.js";
import { DEFAULT_CHUNK_LIMITS } from "../model/layout.js";
import type { Slot } from "./ledger-records.js";
import type { PlannedDataset } from "./load-plan.js";
import {
  extendedTableBlock,
  extendedTableShape,
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
 * Why a file's linked dataset cannot join a dataset other files link through one table: its HDF5 chunks or
 * filters differ (the server decodes every entry with the dataset's filters, as one chunk shape). Undefined if
 * it can.
 */
export function joinProblem(first: { planned: PlannedDataset; linked: LinkedRefs }, next: { planned: PlannedDataset; linked: LinkedRefs }): string | undefined {
  const chunks = sharedTableProblem(first.linked.refs, next.linked.refs);
  if (chunks) return `it cannot share the chunk table of ${first.linked.fileUri}: ${chunks}`;
  const filters = (p: PlannedDataset) => JSON.stringify((p.creationProperties?.filters ?? []).map((f) => [f.id, f.name]));
  if (filters(first.planned) !== filters(next.planned)) {
    return `it cannot share the chunk table of ${first.linked.fileUri}: its filters ${filters(next.planned)} differ from ${filters(first.planned)}`;
  }
  return undefined;
}

/** How the files share the dataset: a row each along a new leading dimension, or blocks along dimension `dim`. */
export type SharedForm = { stacked: true; rows: number } | { stacked: false; dim: number; extent: number };

/**
 * The creation of a dataset files share through one chunk table: its creation properties (the layout names the
 * table, created first and empty; each file then writes its block) and the table to create. Filters and fill
 * value are the first file's.
 */
export function sharedLinkedCreation(first: { planned: PlannedDataset; linked: LinkedRefs }, form: SharedForm): { creationProperties: CreationProperties; table: PlannedChunkTable } {
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

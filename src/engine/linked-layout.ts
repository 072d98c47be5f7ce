// The reference layouts of hsload --link (hsds-reference §5.1): where the bytes of a linked
// dataset's chunks sit in its HDF5 source files.
import { decodeElements } from "../model/values.js";
import { selectAll } from "../model/selection.js";
import { product } from "../model/datatype.js";
import { DatasetChunks } from "./chunk-io.js";
import { datasetView, type DatasetView } from "./dataset-view.js";
import type { LayoutJson } from "./documents.js";
import { HttpError } from "./http-error.js";
import type { KeyedLock } from "./keyed-lock.js";
import type { MetadataStore } from "./metadata.js";
import { readSelection } from "./value-io.js";

export interface ChunkTableEntry {
  offset: number;
  size: number;
  fileUri?: string;
}

/** All entries of an INDIRECT layout's chunk table, in C order of the HDF5 chunk grid. */
export async function readChunkTable(meta: MetadataStore, locks: KeyedLock, layout: LayoutJson): Promise<{ view: DatasetView; entries: ChunkTableEntry[] }> {
  const tableId = layout.chunk_table;
  if (typeof tableId !== "string") throw new HttpError(500, "chunk_table missing from an indirect layout");
  const view = datasetView(await meta.dataset(tableId));
  const chunks = new DatasetChunks(view, meta.store, locks);
  const data = await readSelection(chunks, selectAll(view.dims));
  const values = Array.isArray(data)
    ? data.map((element) => decodeElements(element, view.type, 1)[0])
    : decodeElements(data, view.type, product(view.dims));
  const entries = values.map((row) => {
    const [offset, size, fileUri] = row as [number | bigint, number, string | undefined];
    return { offset: Number(offset), size: Number(size), ...(fileUri ? { fileUri } : {}) };
  });
  return { view, entries };
}

export interface LinkedUsage {
  chunks: number;
  bytes: number;
}

/** Chunks and bytes a linked dataset references in its source files (the .info.json linked_* fields). */
export async function linkedUsage(meta: MetadataStore, locks: KeyedLock, view: DatasetView): Promise<LinkedUsage> {
  const layout = view.linkedLayout;
  if (!layout) return { chunks: 0, bytes: 0 };
  switch (layout.class) {
    case "H5D_CONTIGUOUS_REF": {
      const chunks = view.dims.reduce((n, d, i) => n * Math.ceil(d / view.chunkDims[i]!), 1);
      return { chunks, bytes: Number(layout.size ?? 0) };
    }
    case "H5D_CHUNKED_REF": {
      const entries = Object.values((layout.chunks ?? {}) as Record<string, [number, number]>);
      return { chunks: entries.length, bytes: entries.reduce((sum, [, size]) => sum + Number(size), 0) };
    }
    default: {
      const { entries } = await readChunkTable(meta, locks, layout);
      const used = entries.filter((e) => e.size > 0);
      return { chunks: used.length, bytes: used.reduce((sum, e) => sum + e.size, 0) };
    }
  }
}


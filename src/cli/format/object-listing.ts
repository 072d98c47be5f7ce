// hsls lines for the contents of a domain: one line per link or object, and with -v the UUID,
// chunk, storage, filter and type lines, right-aligned labels as h5pyd prints them.
import { attributeLine } from "./attribute-summary.js";
import { pyFixed, pyIntList } from "./python-style.js";
import { countText } from "./sizes.js";

export type ObjectClassName = "Group" | "Dataset" | "Table" | "Datatype";

/** Chunks in use: allocated in the store, or linked into an HDF5 file (hsload --link). */
export interface ChunkUsage {
  kind: "allocated" | "linked";
  count: number;
  bytes: number;
}

export interface StorageSummary {
  /** "H5D_CHUNKED" or the linked layout's class. */
  layoutClass: string;
  chunkDims: number[];
  chunkBytes: number;
  maxChunks: number;
  logicalBytes: number;
  /** Absent when the server has no statistics for the dataset. */
  usage?: ChunkUsage;
}

export interface FilterSummary {
  shuffle: boolean;
  /** A compressor the server knows ("gzip", "lz4", ...). */
  compression?: string;
  /** Its level (or other option), shown in braces on every filter line as h5pyd does. */
  options?: string;
}

export interface DatasetSummary {
  /** null for a null dataspace, [] for a scalar. */
  shape: number[] | null;
  /** null marks an unlimited dimension. */
  maxshape: (number | null)[];
  /** numpy's dtype string. */
  type: string;
  /** Chunked datasets only. */
  storage?: StorageSummary;
  filters: FilterSummary;
}

export interface AttributeEntry {
  name: string;
  summary: string;
  value?: unknown;
}

export type ListedEntry =
  | {
      kind: "object";
      path: string;
      className: ObjectClassName;
      id: string;
      dataset?: DatasetSummary;
      attributes?: AttributeEntry[];
    }
  /** A hard link to an object already listed (recursive listings). */
  | { kind: "seen"; path: string; className: ObjectClassName; sameAs: string }
  | { kind: "soft"; path: string; h5path: string }
  | { kind: "external"; path: string; h5path: string; h5domain: string }
  /** A hard link whose object is gone. */
  | { kind: "missing"; path: string };

export interface ObjectListingOptions {
  verbose: boolean;
  humanReadable: boolean;
  /**
   * Recursive listings pad link names to 24 columns and write external links as {path//domain};
   * flat ones write {domain//path}. Both are h5pyd's layouts.
   */
  recursive: boolean;
}

export function shapeText(dataset: Pick<DatasetSummary, "shape" | "maxshape">, verbose: boolean): string {
  const { shape, maxshape } = dataset;
  if (shape === null) return "{NULL}";
  if (shape.length === 0) return "{{SCALAR}}";
  const extents = shape.map((extent, i) => {
    if (!verbose) return String(extent);
    const max = maxshape[i];
    return `${extent}/${max === null || max === undefined ? "Inf" : max}`;
  });
  return `{${extents.join(", ")}}`;
}

const label = (text: string) => `    ${text.padStart(32)}: `;

function storageLines(storage: StorageSummary, humanReadable: boolean): string[] {
  const n = (value: number) => countText(value, humanReadable);
  const { usage } = storage;
  const dims = pyIntList(storage.chunkDims);
  if (usage === undefined) return [`${label("Chunks")}${dims} ${n(storage.chunkBytes)} bytes`];
  const lines = [`${label("Chunks")}${dims} ${n(storage.chunkBytes)} bytes, ${n(usage.count)}/${n(storage.maxChunks)} ${usage.kind} chunks`];
  const head = `${label(`Storage ${storage.layoutClass}`)}${n(storage.logicalBytes)} logical bytes, ${n(usage.bytes)} ${usage.kind} bytes`;
  lines.push(storage.logicalBytes > 0 ? `${head}, ${pyFixed((usage.bytes / storage.logicalBytes) * 100, 2)}% utilization` : head);
  return lines;
}

function filterLines(filters: FilterSummary): string[] {
  const names = [...(filters.shuffle ? ["shuffle"] : []), ...(filters.compression ? [filters.compression] : [])];
  return names.map((name, i) => `    ${"Filter".padStart(30)}-${i}: ${name} OPT {${filters.options ?? ""}}`);
}

function datasetDetailLines(dataset: DatasetSummary, humanReadable: boolean): string[] {
  if (dataset.shape === null || dataset.storage === undefined) return [];
  return [...storageLines(dataset.storage, humanReadable), ...filterLines(dataset.filters), `${label("Type")}${dataset.type}`];
}

export function entryLines(entry: ListedEntry, options: ObjectListingOptions): string[] {
  const name = (path: string) => (options.recursive ? path.padEnd(24) : path);
  switch (entry.kind) {
    case "seen":
      return [`${entry.path.padEnd(24)} ${entry.className}, same as ${entry.sameAs}`];
    case "soft":
      return [`${name(entry.path)} SoftLink {${entry.h5path}}`];
    case "external":
      return [
        options.recursive
          ? `${name(entry.path)} ExternalLink {${entry.h5path}//${entry.h5domain}}`
          : `${entry.path} ExternalLink {${entry.h5domain}//${entry.h5path}}`,
      ];
    case "missing":
      return [`${name(entry.path)} HardLink {Missing hardlink object}`];
    case "object": {
      const desc = entry.dataset ? ` ${shapeText(entry.dataset, options.verbose)}` : "";
      const lines = [`${entry.path} ${entry.className}${desc}`];
      if (options.verbose) {
        lines.push(`${label("UUID")}${entry.id}`);
        if (entry.dataset) lines.push(...datasetDetailLines(entry.dataset, options.humanReadable));
      }
      for (const attr of entry.attributes ?? []) lines.push(attributeLine(attr.name, attr.summary));
      return lines;
    }
  }
}

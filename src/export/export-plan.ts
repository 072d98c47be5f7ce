// From a domain snapshot to what the HDF5 file will hold: paths for every object (the first path the walk
// reaches; later hard links stay links to the same object), the h5wasm form of every dataset and
// attribute, the blocks values are copied in, and every change h5wasm forces, by HDF5 path.

import type { LinkItem } from "../client/hsds-types.js";
import { HSDS_DEFAULT_LEVEL, HSDS_FILTER_TABLE } from "../codecs/filters.js";
import { type HsdsType, TypeJsonError, VARIABLE, itemSize, normalizeType } from "../model/datatype.js";
import { chunkLayoutFor } from "../model/layout.js";
import { ValueError, decodeBase64, encodeValues } from "../model/values.js";
import { blockCount, blockShape, hdf5ChunkShape } from "./blocks.js";
import { attributeKey, planDimensionScales } from "./dimension-scales.js";
import type { AttributeSnapshot, DatasetSnapshot, DomainSnapshot, ObjectSnapshot } from "./domain-snapshot.js";
import { UnwritableTypeError, type WritableType, writableType } from "./writable-type.js";

/** One HDF5 filter; h5wasm sets exactly one per dataset. */
export interface FilterSpec {
  id: number;
  cdValues: number[];
}

export interface DatasetPlan {
  id: string;
  path: string;
  type: WritableType;
  /** HSDS extent: what value selections are made over ([] for scalar and null datasets). */
  dims: number[];
  /** HDF5 extent: dims plus the type's extra dimensions ([0] for a null dataspace). */
  shape: number[];
  /** null: unlimited. */
  maxshape: Array<number | null>;
  /** HDF5 chunk shape, or undefined for a contiguous dataset (scalar, null or empty fixed extent). */
  chunks?: number[];
  filter?: FilterSpec;
  /** Values are copied in blocks of this shape (over `dims`); 0 blocks for datasets without values. */
  blockShape: number[];
  blocks: number;
  /** HSDS bytes per element (a guess for variable-length types), for progress and block sizes. */
  itemBytes: number;
}

export interface AttributePlan {
  objectPath: string;
  name: string;
  type: WritableType;
  shape: number[];
  /** Elements in HSDS's binary form (§3.1 / §3.5). */
  value: Uint8Array;
}

export type LinkPlan =
  | { kind: "hard"; path: string; target: string }
  | { kind: "soft"; path: string; target: string }
  | { kind: "external"; path: string; file: string; target: string };

export interface ExportPlan {
  groups: Array<{ path: string; trackOrder: boolean }>;
  datasets: DatasetPlan[];
  links: LinkPlan[];
  /** Every object written, for object references. */
  objects: Array<{ id: string; path: string }>;
  scales: Array<{ path: string; name?: string }>;
  attachments: Array<{ path: string; dim: number; scale: string }>;
  attributes: AttributePlan[];
  /** What the file will not hold as the domain does, by HDF5 path (in walk order). */
  changes: Map<string, string[]>;
}

export interface PlanOptions {
  /** Bytes a block of values aims at (at least one chunk). */
  blockBytes: number;
}

/** HSDS sizes blocks of variable-length types as if every element took this many bytes. */
const VARIABLE_ITEM_GUESS = 128;
const UNLIMITED = 0;

export function planExport(snapshot: DomainSnapshot, options: PlanOptions): ExportPlan {
  const plan: ExportPlan = {
    groups: [],
    datasets: [],
    links: [],
    objects: [],
    scales: [],
    attachments: [],
    attributes: [],
    changes: new Map(),
  };
  const note = (path: string, ...changes: string[]) => {
    const list = plan.changes.get(path) ?? [];
    for (const change of changes) if (!list.includes(change)) list.push(change);
    if (list.length > 0) plan.changes.set(path, list);
  };
  /** Where each written object is; objects that cannot be written are left out. */
  const written = new Map<string, string>();
  const notWritten = new Map<string, string>();
  const withAttributes: Array<{ path: string; object: ObjectSnapshot }> = [];

  const root = snapshot.objects.get(snapshot.rootId)!;
  written.set(root.id, "/");
  plan.objects.push({ id: root.id, path: "/" });
  withAttributes.push({ path: "/", object: root });

  const visit = (groupPath: string, link: LinkItem) => {
    const path = groupPath === "/" ? `/${link.title}` : `${groupPath}/${link.title}`;
    if (link.class === "H5L_TYPE_SOFT") {
      plan.links.push({ kind: "soft", path, target: link.h5path ?? "" });
      return;
    }
    if (link.class === "H5L_TYPE_EXTERNAL") {
      plan.links.push({ kind: "external", path, file: link.h5domain ?? "", target: link.h5path ?? "" });
      return;
    }
    const id = link.id ?? "";
    const known = written.get(id);
    if (known !== undefined) {
      plan.links.push({ kind: "hard", path, target: known });
      return;
    }
    const reason = notWritten.get(id);
    if (reason !== undefined) return note(path, reason);
    const object = snapshot.objects.get(id);
    if (object === undefined) return note(path, `hard link to ${id}, which the domain does not have; not written`);
    if (object.kind === "datatype") {
      notWritten.set(id, "committed datatype not written (h5wasm cannot commit datatypes; users of it carry the type inline)");
      return note(path, notWritten.get(id)!);
    }
    if (object.kind === "dataset") {
      const dataset = planDataset(object, path, options, note);
      if (dataset === undefined) {
        notWritten.set(id, plan.changes.get(path)!.at(-1)!);
        return;
      }
      plan.datasets.push(dataset);
    } else {
      plan.groups.push({ path, trackOrder: object.trackOrder });
    }
    written.set(id, path);
    plan.objects.push({ id, path });
    withAttributes.push({ path, object });
    if (object.kind === "group") for (const child of object.links) visit(path, child);
  };
  if (root.kind === "group") for (const link of root.links) visit("/", link);

  const scales = planDimensionScales(
    plan.datasets.map((d) => ({
      id: d.id,
      path: d.path,
      rank: d.dims.length,
      attributes: (snapshot.objects.get(d.id) as DatasetSnapshot).attributes,
    })),
  );
  plan.scales = scales.scales;
  plan.attachments = scales.attachments;
  for (const { path, change } of scales.changes) note(path, change);

  for (const { path, object } of withAttributes) {
    for (const attr of object.attributes) {
      if (scales.recreated.has(attributeKey(path, attr.name))) continue;
      const planned = planAttribute(path, attr, note);
      if (planned) plan.attributes.push(planned);
    }
  }
  return plan;
}

type Note = (path: string, ...changes: string[]) => void;

function planDataset(d: DatasetSnapshot, path: string, options: PlanOptions, note: Note): DatasetPlan | undefined {
  let hsdsType: HsdsType;
  let type: WritableType;
  try {
    hsdsType = normalizeType(d.type);
    type = writableType(hsdsType);
  } catch (err) {
    if (!(err instanceof UnwritableTypeError || err instanceof TypeJsonError)) throw err;
    note(path, `dataset not written: ${err.message}`);
    return undefined;
  }
  note(path, ...type.changes);
  const size = itemSize(hsdsType);
  const itemBytes = size === VARIABLE ? VARIABLE_ITEM_GUESS : size;
  const fillValue = d.creationProperties?.fillValue;
  if (fillValue !== undefined && fillValue !== null) {
    note(path, `fill value ${JSON.stringify(fillValue)} not kept (h5wasm cannot set fill values); every value is written`);
  }
  const filters = (d.creationProperties?.filters ?? []) as unknown[];
  const extra = type.extraDims;

  if (d.shape.class === "H5S_NULL") {
    note(path, "null dataspace written as an empty one-dimensional dataspace");
    noteDroppedFilters(path, filters, "a dataset without chunks", note);
    return { id: d.id, path, type, dims: [], shape: [0, ...extra], maxshape: [0, ...extra], blockShape: [], blocks: 0, itemBytes };
  }
  if (d.shape.class === "H5S_SCALAR") {
    noteDroppedFilters(path, filters, "a scalar dataset", note);
    return { id: d.id, path, type, dims: [], shape: [...extra], maxshape: [...extra], blockShape: [], blocks: 1, itemBytes };
  }
  const dims = d.shape.dims ?? [];
  // No maxdims: not extensible. In maxdims, 0 is unlimited.
  const declared = d.shape.maxdims;
  const maxdims = declared ?? dims;
  const maxshape = [...maxdims.map((m) => (declared !== undefined && m === UNLIMITED ? null : m)), ...extra];
  if (declared === undefined && dims.includes(0)) {
    // HDF5 cannot chunk a fixed dimension of extent 0, and there are no values to copy.
    noteDroppedFilters(path, filters, "a dataset without chunks", note);
    return { id: d.id, path, type, dims, shape: [...dims, ...extra], maxshape, blockShape: dims.map(() => 1), blocks: 0, itemBytes };
  }
  const hsdsChunk = d.layout?.dims ?? d.creationProperties?.layout?.dims ?? chunkLayoutFor(dims, declared, size);
  const chunk = hdf5ChunkShape(hsdsChunk, dims, maxdims);
  const shape = blockShape(chunk, dims, itemBytes, options.blockBytes);
  const filter = chooseFilter(path, filters, type.variable, note);
  return {
    id: d.id,
    path,
    type,
    dims,
    shape: [...dims, ...extra],
    maxshape,
    chunks: [...chunk, ...extra],
    filter,
    blockShape: shape,
    blocks: blockCount(dims, shape),
    itemBytes,
  };
}

const COMPRESSORS = new Set(["gzip", "deflate", "blosclz", "lz4", "lz4hc", "snappy", "zstd"]);
/** HDF5's built-in filter ids. */
const DEFLATE = 1;
const SHUFFLE = 2;
const FLETCHER32 = 3;

/**
 * The one filter h5wasm can set, among those HDF5 has built in: deflate for the compressor (at its level,
 * at most 9), else a byte shuffle, else fletcher32. Everything else is dropped and said so.
 */
function chooseFilter(path: string, filters: readonly unknown[], variable: boolean, note: Note): FilterSpec | undefined {
  const entries = filters.flatMap((entry) => {
    const name = filterName(entry);
    return name === undefined ? [] : [{ name, level: (entry as { level?: unknown }).level }];
  });
  if (entries.length === 0) return undefined;
  if (variable) {
    note(path, `filters ${entries.map((e) => e.name).join(", ")} not applied to variable-length data`);
    return undefined;
  }
  const chosen =
    entries.find((e) => COMPRESSORS.has(e.name)) ?? entries.find((e) => e.name === "shuffle") ?? entries.find((e) => e.name === "fletcher32");
  const dropped = entries.filter((e) => e !== chosen).map((e) => e.name);
  let spec: FilterSpec | undefined;
  let kept: string | undefined;
  if (chosen && COMPRESSORS.has(chosen.name)) {
    const level = typeof chosen.level === "number" ? chosen.level : HSDS_DEFAULT_LEVEL;
    spec = { id: DEFLATE, cdValues: [Math.max(0, Math.min(9, Math.trunc(level)))] };
    kept = "deflate";
    if (chosen.name !== "gzip" && chosen.name !== "deflate") {
      note(path, `${chosen.name} compression written as deflate (the only compressor HDF5 has built in)`);
    }
  } else if (chosen) {
    spec = { id: chosen.name === "shuffle" ? SHUFFLE : FLETCHER32, cdValues: [] };
    kept = chosen.name;
  }
  if (dropped.length > 0) {
    const why = kept ? `h5wasm writes one filter per dataset and ${kept} was kept` : "not an HDF5 built-in filter";
    note(path, `filter ${dropped.join(", ")} dropped (${why})`);
  }
  return spec;
}

function noteDroppedFilters(path: string, filters: readonly unknown[], what: string, note: Note): void {
  const names = filters.map(filterName).filter((n): n is string => n !== undefined);
  if (names.length > 0) note(path, `filters ${names.join(", ")} dropped (${what} cannot have filters)`);
}

/** The HSDS name of a filter entry ("gzip", "shuffle", "lz4", ...). */
function filterName(entry: unknown): string | undefined {
  if (typeof entry === "string") return entry;
  if (typeof entry !== "object" || entry === null) return undefined;
  const { class: cls, name, id } = entry as { class?: unknown; name?: unknown; id?: unknown };
  if (typeof name === "string") return name;
  return HSDS_FILTER_TABLE.find((e) => e.class === cls || e.id === id)?.name;
}

function planAttribute(objectPath: string, attr: AttributeSnapshot, note: Note): AttributePlan | undefined {
  const where = `${objectPath} attribute ${attr.name}`;
  let type: WritableType;
  let hsdsType: HsdsType;
  try {
    hsdsType = normalizeType(attr.type);
    type = writableType(hsdsType);
  } catch (err) {
    if (!(err instanceof UnwritableTypeError || err instanceof TypeJsonError)) throw err;
    note(where, `not written: ${err.message}`);
    return undefined;
  }
  note(where, ...type.changes);
  if (attr.shape.class === "H5S_NULL") {
    note(where, "null dataspace written as an empty one-dimensional dataspace");
    return { objectPath, name: attr.name, type, shape: [0, ...type.extraDims], value: new Uint8Array(0) };
  }
  const dims = attr.shape.class === "H5S_SCALAR" ? [] : (attr.shape.dims ?? []);
  try {
    const value =
      attr.encoding === "base64" && typeof attr.value === "string"
        ? decodeBase64(attr.value)
        : encodeValues(attr.value, hsdsType, dims);
    return { objectPath, name: attr.name, type, shape: [...dims, ...type.extraDims], value };
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    note(where, `not written: its value does not fit its type (${err.message})`);
    return undefined;
  }
}


// The walk that turns an open file into a SourceTree: links in each group's order from the root, every object
// once (by header address), with its attributes read and mapped to HSDS form. h5wasm names the objects and
// reads values; the object headers (our format reader) add what h5wasm cannot say.
import type { Metadata } from "h5wasm/node";
import type { HsdsType } from "../../model/datatype.js";
import type { ObjectDetails } from "../format/object-details.js";
import type { DatasetStorageInfo } from "../storage-info.js";
import { dimensionScaleInfo } from "./dimension-scales.js";
import { elementConverter, h5wasmCannotRead, h5wasmNumberOrder } from "./element-conversion.js";
import type { H5WasmFile, ObjectKind } from "./h5wasm-file.js";
import { SourceObjectError } from "./source-errors.js";
import type {
  ObjectKey,
  SourceAttribute,
  SourceDataset,
  SourceDatatype,
  SourceGroup,
  SourceLayout,
  SourceLink,
  SourceObject,
  SourceTree,
  SourceType,
} from "./source-tree.js";
import { isMapped } from "./source-tree.js";
import { containsReference, containsVariable, hsdsTypeOf, UnsupportedTypeError } from "./type-mapping.js";

/** What the walk reads a file through. */
export interface WalkSource {
  file: string;
  h5: H5WasmFile;
  details(address: ObjectKey): Promise<ObjectDetails>;
  storage(address: ObjectKey): Promise<DatasetStorageInfo>;
}

/** What the reader keeps of a dataset to read its values later. */
export interface DatasetHandle {
  key: ObjectKey;
  path: string;
  metadata: Metadata;
  type: HsdsType;
  shape: number[];
  /** The values must be read from the file's bytes: h5wasm cannot convert this type. */
  raw: boolean;
}

export interface WalkResult {
  tree: SourceTree;
  datasets: Map<ObjectKey, DatasetHandle>;
}

/** HDF5 filters h5wasm decodes: the library's own and those of h5wasm-plugins. */
const READABLE_FILTERS = new Set([1, 2, 3, 4, 5, 6, 307, 32000, 32001, 32004, 32008, 32013, 32015, 32019, 32022, 32023, 32026]);

export async function walkTree(source: WalkSource): Promise<WalkResult> {
  const { h5 } = source;
  const objects: SourceObject[] = [];
  const datasets = new Map<ObjectKey, DatasetHandle>();
  const seen = new Set<ObjectKey>();

  const visit = async (path: string, kind: ObjectKind, key: ObjectKey): Promise<void> => {
    seen.add(key);
    const details = await objectDetails(source, key);
    const attributes = readAttributes(source, path, details);
    if (kind === "group") {
      const group: SourceGroup = { kind, key, path, attributes, links: [], trackOrder: details.tracksLinkOrder };
      objects.push(group);
      for (const name of h5.linkNames(path)) {
        const child = path === "/" ? `/${name}` : `${path}/${name}`;
        const info = h5.link(child);
        if (info.kind === "soft") {
          group.links.push({ name, kind: "soft", path: info.target });
        } else if (info.kind === "external") {
          group.links.push({ name, kind: "external", file: info.file, path: info.path });
        } else {
          const target = h5.address(child);
          group.links.push({ name, kind: "hard", target } satisfies SourceLink);
          if (!seen.has(target)) await visit(child, info.object, target);
        }
      }
    } else if (kind === "datatype") {
      objects.push({ kind, key, path, attributes, type: mapType(h5.datatypeMetadata(path)) } satisfies SourceDatatype);
    } else {
      const { dataset, handle } = await readDataset(source, path, key, attributes, details);
      objects.push(dataset);
      if (handle) datasets.set(key, handle);
    }
  };

  const root = h5.address("/");
  await visit("/", "group", root);
  return { tree: { file: source.file, root, objects }, datasets };
}

/** Object header details; a header our reader cannot parse only costs what they add (committed types...). */
async function objectDetails(source: WalkSource, key: ObjectKey): Promise<ObjectDetails> {
  try {
    return await source.details(key);
  } catch {
    return { tracksLinkOrder: false, attributes: new Map(), denseAttributes: false };
  }
}

function mapType(metadata: Metadata, committed?: ObjectKey): SourceType {
  try {
    const type = hsdsTypeOf(metadata);
    return committed === undefined ? { type } : { type, committed };
  } catch (err) {
    if (err instanceof UnsupportedTypeError) return { unsupported: err.message };
    throw err;
  }
}

function readAttributes(source: WalkSource, path: string, details: ObjectDetails): SourceAttribute[] {
  const { h5 } = source;
  return h5.attributeNames(path).map((name) => {
    const stored = details.attributes.get(name);
    const metadata = h5.attributeMetadata(path, name);
    const type = mapType(metadata, stored?.committedType);
    const shape = metadata.shape;
    if (isMapped(type) && h5wasmCannotRead(metadata) && !stored) {
      // Only the header's own attribute messages are parsed for their raw bytes, not dense attribute storage.
      return { name, type: { unsupported: "a big-endian enum attribute in dense attribute storage cannot be read" }, shape };
    }
    const attribute: SourceAttribute = { name, type, shape };
    if (!isMapped(type) || shape === null) return attribute;
    const count = metadata.total_size;
    try {
      if (h5wasmCannotRead(metadata)) {
        attribute.value = elementConverter(metadata, type.type, "as-stored").convert(stored!.data.slice(0, count * metadata.size), count);
      } else {
        const converter = elementConverter(metadata, type.type, h5wasmNumberOrder(metadata));
        attribute.value = h5.readAttribute(path, name, metadata, (bytes, heap) => converter.convert(bytes.slice(), count, heap));
      }
    } catch (err) {
      throw new SourceObjectError(source.file, `${path}@${name}`, `cannot read attribute: ${err instanceof Error ? err.message : String(err)}`);
    }
    return attribute;
  });
}

async function readDataset(
  source: WalkSource,
  path: string,
  key: ObjectKey,
  attributes: SourceAttribute[],
  details: ObjectDetails,
): Promise<{ dataset: SourceDataset; handle?: DatasetHandle }> {
  const m = source.h5.datasetMetadata(path);
  const type = mapType(m, details.committedType);
  const dataset: SourceDataset = {
    kind: "dataset",
    key,
    path,
    attributes,
    type,
    shape: m.shape,
    maxShape: m.maxshape && m.maxshape.map((extent) => (extent >= Number.MAX_SAFE_INTEGER ? null : extent)),
    layout: { class: "contiguous" },
    filters: [],
    allocated: true,
    ...dimensionScaleInfo(attributes),
  };
  let storage: DatasetStorageInfo | undefined;
  try {
    storage = await source.storage(key);
  } catch (err) {
    dataset.layout = { class: "unknown", reason: err instanceof Error ? err.message : String(err) };
  }
  if (storage) {
    dataset.layout = layoutOf(storage);
    dataset.filters = storage.filters;
    dataset.allocated = isAllocated(storage);
    if (m.shape !== null) dataset.maxShape = storage.maxShape;
    const missing = storage.filters.find((f) => !READABLE_FILTERS.has(f.id));
    if (missing) dataset.unreadable = `HDF5 filter ${missing.id} (${missing.name ?? "unnamed"}) is not available to decode it`;
  }
  if (!isMapped(type) || m.shape === null) return { dataset };
  // A variable-length fill value is a heap reference, and reference fill values point nowhere useful: HSDS
  // gets neither (as with h5pyd).
  const fill = storage?.fillValue;
  if (fill && fill.some((b) => b !== 0) && !containsVariable(m) && !containsReference(m) && fill.length === m.size) {
    dataset.fillValue = elementConverter(m, type.type, "as-stored").convert(fill.slice(), 1);
  }
  const raw = h5wasmCannotRead(m);
  if (raw && !storage) dataset.unreadable = "h5wasm cannot convert this big-endian enum type and the storage is not readable";
  return { dataset, handle: { key, path, metadata: m, type: type.type, shape: m.shape, raw } };
}

function layoutOf(storage: DatasetStorageInfo): SourceLayout {
  const s = storage.storage;
  return s.layout === "chunked" ? { class: "chunked", chunks: s.chunkShape } : { class: s.layout };
}

function isAllocated(storage: DatasetStorageInfo): boolean {
  const s = storage.storage;
  if (s.layout === "chunked") return s.chunks.length > 0;
  if (s.layout === "contiguous") return s.address !== undefined;
  return true;
}

// From a source tree to the plan of its copy (pure): which objects, links and attributes to create, each
// dataset's HSDS definition (type, shape, maxdims, chunk shape, filters, fill value) and how its values are
// copied; what cannot be copied fails the plan, or with `ignore` is left out and reported.
import { HSDS_COMPRESSORS } from "../codecs/filters.js";
import type { CreationProperties } from "../client/hsds-types.js";
import { type HsdsType, isVariableLength, itemSize, VARIABLE } from "../model/datatype.js";
import { contiguousChunkDims, DEFAULT_CHUNK_LIMITS } from "../model/layout.js";
import { decodeValues, encodeBase64, ValueError } from "../model/values.js";
import {
  isMapped,
  type ObjectKey,
  type SourceAttribute,
  type SourceDataset,
  type SourceGroup,
  type SourceLink,
  type SourceObject,
  type SourceTree,
  type SourceType,
} from "../hdf5/source/source-tree.js";
import { planFilters } from "./filter-plan.js";
import { linkDataset, type LinkSource } from "./link-layout.js";
import type {
  LoadPlan,
  PlannedAttribute,
  PlannedDataset,
  PlannedGroup,
  PlannedLink,
  PlannedType,
  PlanNote,
} from "./load-plan.js";

export interface PlanOptions {
  /** Create objects and attributes but copy no dataset values (--nodata). */
  nodata?: boolean;
  /** Leave out what cannot be copied and report it, instead of failing (--ignore). */
  ignore?: boolean;
  ignoreFilters?: boolean;
  /** Compressor for datasets that have none (-z LEVEL, --compression NAME). */
  defaultCompression?: { name: string; level: number };
  /** The target domain's `compressors` (default: what HSDS 0.9.4 offers). */
  compressors?: readonly string[];
  /** The target's largest chunk (its `limits.max_chunk_size`), for chunking contiguous sources. */
  maxChunkSize?: number;
  /** --link: the source's datasets are linked where they can be (link-layout.ts), copied otherwise. */
  link?: LinkSource;
}

/** The source has things HSDS cannot hold (and --ignore was not given). */
export class PlanError extends Error {
  override name = "PlanError";
  constructor(readonly problems: PlanNote[]) {
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    super(`cannot copy ${first.path}: ${first.message}${more}; --ignore leaves such objects out`);
  }
}

/** Variable-length elements are sized like this for progress and chunking estimates, as HSDS does. */
const VARIABLE_ITEM_ESTIMATE = 128;

export function plan(tree: SourceTree, options: PlanOptions = {}): LoadPlan {
  const problems: PlanNote[] = [];
  const notes: PlanNote[] = [];
  const objects = new Map(tree.objects.map((o) => [o.key, o]));
  const copied = new Set<ObjectKey>();
  const result: LoadPlan = { source: tree.file, root: tree.root, groups: [], datatypes: [], datasets: [], links: [], attributes: [], skipped: [], notes };

  const problem = (path: string, message: string) => problems.push({ path, message });
  const typeOf = (t: SourceType, path: string): PlannedType | undefined => {
    if (!isMapped(t)) {
      problem(path, t.unsupported);
      return undefined;
    }
    // A committed datatype that is not itself copied (unreachable, or unsupported) is used inline.
    const committed = t.committed !== undefined && isCopiedDatatype(objects.get(t.committed)) ? t.committed : undefined;
    return committed === undefined ? { type: t.type } : { type: t.type, committed };
  };

  for (const object of tree.objects) {
    if (object.kind === "group") {
      copied.add(object.key);
      if (object.key === tree.root) {
        if (object.trackOrder) result.rootCreationProperties = { CreateOrder: 1 };
      } else {
        result.groups.push(groupPlan(object));
      }
    } else if (object.kind === "datatype") {
      const type = typeOf(object.type, object.path);
      if (!type) continue;
      copied.add(object.key);
      result.datatypes.push({ key: object.key, path: object.path, type: type.type });
    } else {
      if (object.unreadable) {
        problem(object.path, `its values cannot be read: ${object.unreadable}`);
        continue;
      }
      const type = typeOf(object.type, object.path);
      if (!type) continue;
      copied.add(object.key);
      const copyNotes: PlanNote[] = [];
      const copy = datasetPlan(object, type, options, copyNotes);
      const chosen = options.link ? linkDataset(copy, copyNotes, object, options.link) : { planned: copy, notes: copyNotes };
      result.datasets.push(chosen.planned);
      notes.push(...chosen.notes);
    }
  }

  for (const object of tree.objects) {
    if (!copied.has(object.key)) continue;
    const attributes: PlannedAttribute[] = [];
    for (const attribute of object.attributes) {
      const path = `${object.path}@${attribute.name}`;
      const type = typeOf(attribute.type, path);
      if (!type) continue;
      if (!hasJsonForm(attribute, type.type)) problem(path, "its variable-length text is not UTF-8, which HSDS cannot store");
      else attributes.push(attributePlan(attribute, type));
    }
    if (attributes.length > 0) result.attributes.push({ object: object.key, attributes });
    if (object.kind === "group") {
      const links = object.links.flatMap((link) => linkPlan(link, object, objects, copied, result.skipped));
      if (links.length > 0) result.links.push({ group: object.key, links });
    }
  }

  if (problems.length > 0 && !options.ignore) throw new PlanError(problems);
  result.skipped.unshift(...problems);
  return result;
}

function isCopiedDatatype(object: SourceObject | undefined): boolean {
  return object?.kind === "datatype" && isMapped(object.type);
}

function groupPlan(group: SourceGroup): PlannedGroup {
  return group.trackOrder ? { key: group.key, path: group.path, creationProperties: { CreateOrder: 1 } } : { key: group.key, path: group.path };
}

function linkPlan(
  link: SourceLink,
  group: SourceGroup,
  objects: ReadonlyMap<ObjectKey, SourceObject>,
  copied: ReadonlySet<ObjectKey>,
  skipped: PlanNote[],
): PlannedLink[] {
  if (link.kind === "soft") return [{ name: link.name, target: { h5path: link.path } }];
  if (link.kind === "external") return [{ name: link.name, target: { h5path: link.path, h5domain: link.file } }];
  if (copied.has(link.target)) return [{ name: link.name, target: { object: link.target } }];
  // The object's own report names its first path; other links to it are reported here.
  const path = joinPath(group.path, link.name);
  if (objects.get(link.target)?.path !== path) skipped.push({ path, message: "link to an object that is not copied" });
  return [];
}

function joinPath(group: string, name: string): string {
  return group === "/" ? `/${name}` : `${group}/${name}`;
}

/** Fixed-size values without a JSON form go as base64; variable-length ones have no other form. */
function hasJsonForm(attribute: SourceAttribute, type: HsdsType): boolean {
  if (!attribute.value || attribute.shape === null || !isVariableLength(type)) return true;
  try {
    decodeValues(attribute.value, type, attribute.shape);
    return true;
  } catch (err) {
    if (err instanceof ValueError) return false;
    throw err;
  }
}

function attributePlan(attribute: SourceAttribute, type: PlannedType): PlannedAttribute {
  const planned: PlannedAttribute = { name: attribute.name, type, shape: attribute.shape ?? "H5S_NULL" };
  if (attribute.value) planned.value = attribute.value;
  return planned;
}

function datasetPlan(dataset: SourceDataset, type: PlannedType, options: PlanOptions, notes: PlanNote[]): PlannedDataset {
  const size = itemSize(type.type);
  const bytesPerItem = size === VARIABLE ? VARIABLE_ITEM_ESTIMATE : size;
  if (dataset.shape === null) {
    return { key: dataset.key, path: dataset.path, type, shape: "H5S_NULL", values: "none", bytes: 0 };
  }
  const shape = dataset.shape;
  const elements = shape.reduce((a, b) => a * b, 1);
  const planned: PlannedDataset = {
    key: dataset.key,
    path: dataset.path,
    type,
    shape,
    values: !dataset.allocated || options.nodata || elements === 0 ? "none" : shape.length === 0 ? "scalar" : "blocks",
    bytes: elements * bytesPerItem,
  };
  if (shape.length === 0) return withFill(planned, dataset, type.type);

  const maxShape = dataset.maxShape ?? shape;
  // HSDS writes unlimited as 0, so a fixed extent of 0 must go without maxdims (not extensible) to stay fixed.
  const fixedEmpty = maxShape.every((extent, d) => extent === shape[d]) && shape.includes(0);
  if (!fixedEmpty) planned.maxdims = maxShape.map((extent) => extent ?? 0);
  const creationProperties: CreationProperties = {};
  if (dataset.layout.class === "chunked") {
    planned.sourceChunks = dataset.layout.chunks;
    creationProperties.layout = { class: "H5D_CHUNKED", dims: dataset.layout.chunks };
  } else if (!shape.includes(0)) {
    // Contiguous data: chunks that are whole trailing rows, so each is one contiguous range of the source.
    creationProperties.layout = { class: "H5D_CHUNKED", dims: contiguousChunkDims(shape, bytesPerItem, options.maxChunkSize ?? DEFAULT_CHUNK_LIMITS.maxChunkSize) };
  }
  const filters = planFilters(dataset.filters, {
    ignoreFilters: options.ignoreFilters ?? false,
    defaultCompression: options.defaultCompression,
    compressors: options.compressors ?? HSDS_COMPRESSORS,
    variableLength: size === VARIABLE,
  });
  for (const message of filters.notes) notes.push({ path: dataset.path, message });
  if (filters.filters.length > 0) creationProperties.filters = filters.filters;
  planned.creationProperties = creationProperties;
  return withFill(planned, dataset, type.type);
}

/** The source's fill value, as JSON when it has a JSON form (base64 otherwise). */
function withFill(planned: PlannedDataset, dataset: SourceDataset, type: HsdsType): PlannedDataset {
  if (!dataset.fillValue) return planned;
  planned.fill = dataset.fillValue;
  const properties = (planned.creationProperties ??= {});
  try {
    properties.fillValue = decodeValues(dataset.fillValue, type, []);
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    properties.fillValue = encodeBase64(dataset.fillValue);
    properties.fillValue_encoding = "base64";
  }
  return planned;
}

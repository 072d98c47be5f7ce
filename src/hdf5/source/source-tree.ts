// The object graph of an HDF5 file as the loader sees it: metadata only, already in HSDS terms (type JSON,
// shapes, attribute values as HSDS binary), with every object named by its object header address so hard
// links to one object stay one object. Produced by the source worker, consumed by the loader's plan.
import type { HsdsType } from "../../model/datatype.js";
import type { Hdf5Filter } from "../storage-info.js";

/** An object's header address in its file: the identity hard links and object references share. */
export type ObjectKey = number;

/** A type the loader can create, possibly a use of a committed datatype of the same file. */
export interface MappedType {
  type: HsdsType;
  /** Set when the file stores the type as a reference to this committed datatype. */
  committed?: ObjectKey;
}

/** Why something cannot be copied, in words that name the HDF5 construct (not the path: callers add it). */
export interface Unsupported {
  unsupported: string;
}

export type SourceType = MappedType | Unsupported;

export interface SourceAttribute {
  name: string;
  type: SourceType;
  /** [] scalar, null for a null dataspace (no value). */
  shape: number[] | null;
  /**
   * The value in HSDS binary form (§3.1 packed, or §3.5 for variable-length types) in the type's byte order,
   * object references written with `sourceReference`. Absent for a null dataspace or an unsupported type.
   */
  value?: Uint8Array;
}

export type SourceLink =
  | { name: string; kind: "hard"; target: ObjectKey }
  | { name: string; kind: "soft"; path: string }
  | { name: string; kind: "external"; file: string; path: string };

interface ObjectCommon {
  key: ObjectKey;
  /** The path the object was first reached by (a walk in link order from the root). */
  path: string;
  attributes: SourceAttribute[];
}

export interface SourceGroup extends ObjectCommon {
  kind: "group";
  /** In the group's own order: creation order when the file tracks it, else by name. */
  links: SourceLink[];
  /** The file tracks link creation order for this group (h5py's track_order). */
  trackOrder: boolean;
}

export interface SourceDatatype extends ObjectCommon {
  kind: "datatype";
  type: SourceType;
}

/** How the source stores a dataset's values. */
export type SourceLayout =
  | { class: "contiguous" | "compact" }
  | { class: "chunked"; chunks: number[] }
  /** The storage could not be described (e.g. virtual datasets); values are read without allocation info. */
  | { class: "unknown"; reason: string };

export interface SourceDataset extends ObjectCommon {
  kind: "dataset";
  type: SourceType;
  /** [] scalar, null for a null dataspace. */
  shape: number[] | null;
  /** Same rank as shape; null marks an unlimited dimension. */
  maxShape: (number | null)[] | null;
  layout: SourceLayout;
  /** The HDF5 filter pipeline in the order filters are applied when writing. */
  filters: Hdf5Filter[];
  /** The fill value the file defines, in the HSDS binary form of `type`; absent = the library default (zeros). */
  fillValue?: Uint8Array;
  /** False when no raw data was ever written (every element reads as the fill value). */
  allocated: boolean;
  /** Dimension scales attached to each dimension (from DIMENSION_LIST), when there are any. */
  scales?: ObjectKey[][];
  /** Set when the dataset is a dimension scale: its NAME ("" when it has none). */
  scaleName?: string;
  /** Why the values cannot be read, when the type maps but the storage does not (external raw data files). */
  unreadable?: string;
}

export type SourceObject = SourceGroup | SourceDataset | SourceDatatype;

export interface SourceTree {
  /** The file as it was opened. */
  file: string;
  root: ObjectKey;
  /** Every object reachable from the root, each once, parents before children (a pre-order walk). */
  objects: SourceObject[];
}

export function isMapped(t: SourceType): t is MappedType {
  return !("unsupported" in t);
}

// An object reference inside HSDS binary values is a 48-byte "<collection>/<id>" string. The source
// does not know the target ids, so it writes this placeholder and the loader rewrites it.
const REFERENCE_PREFIX = "hdf5-object:";

/** The placeholder text for a reference to the object with header address `key`. */
export function sourceReference(key: ObjectKey): string {
  return `${REFERENCE_PREFIX}${key}`;
}

/** The object a placeholder names, or undefined for text that is not one (e.g. an empty, null reference). */
export function parseSourceReference(text: string): ObjectKey | undefined {
  if (!text.startsWith(REFERENCE_PREFIX)) return undefined;
  const key = Number(text.slice(REFERENCE_PREFIX.length));
  return Number.isSafeInteger(key) ? key : undefined;
}

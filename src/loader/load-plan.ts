// What a load will create, as data: the plan of one source file into one domain. `plan()` makes it from a
// SourceTree without touching the server; `runPlan()` carries it out; a dry run can print it.
import type { CreationProperties } from "../client/hsds-types.js";
import type { HsdsType } from "../model/datatype.js";
import type { ObjectKey } from "../hdf5/source/source-tree.js";
import type { PlannedChunkTable } from "./link-table.js";

/** A type to create with: inline, or (when the source uses a committed datatype that is copied too) that one. */
export interface PlannedType {
  type: HsdsType;
  committed?: ObjectKey;
}

export interface PlannedGroup {
  key: ObjectKey;
  path: string;
  creationProperties?: CreationProperties;
}

export interface PlannedDatatype {
  key: ObjectKey;
  path: string;
  type: HsdsType;
}

/** How a dataset's values are copied: not at all, as one scalar, or block by block. */
export type ValueCopy = "none" | "scalar" | "blocks";

export interface PlannedDataset {
  key: ObjectKey;
  path: string;
  type: PlannedType;
  shape: number[] | "H5S_NULL";
  /** 0 = unlimited. */
  maxdims?: number[];
  creationProperties?: CreationProperties;
  values: ValueCopy;
  /** The source's chunk shape, which reads of the source are best aligned to. */
  sourceChunks?: number[];
  /** The target's fill value in HSDS binary form (absent: zeros), to recognise blocks that need no write. */
  fill?: Uint8Array;
  /** Bytes of the values (∏shape × item size; an estimate for variable-length types). */
  bytes: number;
  /** --link with an H5D_CHUNKED_REF_INDIRECT layout: the chunk table to create first; its id completes the layout. */
  chunkTable?: PlannedChunkTable;
}

export type PlannedLinkTarget = { object: ObjectKey } | { h5path: string; h5domain?: string };

export interface PlannedLink {
  name: string;
  target: PlannedLinkTarget;
}

export interface PlannedAttribute {
  name: string;
  type: PlannedType;
  /** [] = scalar. */
  shape: number[] | "H5S_NULL";
  /** HSDS binary form with object references as source placeholders (see source-tree.ts). */
  value?: Uint8Array;
}

/** Something of the source that the load leaves out (only with --ignore) or changes, and why. */
export interface PlanNote {
  path: string;
  message: string;
}

export interface LoadPlan {
  source: string;
  root: ObjectKey;
  rootCreationProperties?: CreationProperties;
  /** Groups other than the root, parents first. */
  groups: PlannedGroup[];
  datatypes: PlannedDatatype[];
  datasets: PlannedDataset[];
  /** Every group's links (the root's too), each group's in its own order. */
  links: { group: ObjectKey; links: PlannedLink[] }[];
  attributes: { object: ObjectKey; attributes: PlannedAttribute[] }[];
  /** Objects, attributes and links left out because they cannot be copied. */
  skipped: PlanNote[];
  /** Changes the copy makes (filters HSDS cannot apply, ...). */
  notes: PlanNote[];
}

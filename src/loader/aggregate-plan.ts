// What an aggregate load (hsload -a) will do, as data: every source with its status and, per dataset, the slot
// its values go to; the structure the run creates, re-creates (concatenates) or resizes; the links it adds and
// the attributes each object ends with. aggregate-planner.ts makes it without writing anything; --dry-run
// prints it; aggregate-run.ts carries it out.
import type { CreationProperties } from "../client/hsds-types.js";
import type { HsdsType } from "../model/datatype.js";
import type { ObjectKey, SourceTree } from "../hdf5/source/source-tree.js";
import type { TargetState } from "./aggregate-target.js";
import type { Indexed, LedgerRecord, Slot, SourceRecord } from "./ledger-records.js";
import type { PlannedChunkTable } from "./link-table.js";
import type { LoadPlan, PlannedAttribute, PlannedType } from "./load-plan.js";
import type { SourceIdentity } from "./aggregate-identity.js";

/**
 * new: not in the ledger. resume: its record is "loading" (a run was stopped): loaded again into its slots.
 * reload: --force over a complete record: loaded again into its slots. skip: loaded already. adopt: not in the
 * ledger, but its values are in the domain already (a load without -a put them there): recorded, not written.
 */
export type SourceStatus = "new" | "resume" | "reload" | "skip" | "adopt";

export interface AggregateSourceInput {
  file: string;
  identity: SourceIdentity & { sha256?: string };
  status: SourceStatus;
  /** Why a source is skipped. */
  reason?: string;
  /** The ledger record of a resumed, reloaded or skipped source. */
  record?: Indexed<SourceRecord>;
  /** An adopted source: where the domain holds its values. */
  found?: Record<string, Slot | null>;
  /** Loaded sources only. */
  tree?: SourceTree;
  loadPlan?: LoadPlan;
}

export interface AggregatePlanInput {
  domain: string;
  target: TargetState;
  /** The domain does not exist yet: the run creates it. */
  newDomain: boolean;
  ledger: readonly Indexed<LedgerRecord>[];
  /** In load order: resumed and reloaded sources first, then new ones. */
  sources: readonly AggregateSourceInput[];
  /** --extend: the dimension scale whose dimension grows. */
  extend?: string;
  /** --extend-offset: where the run's first source goes along that dimension. */
  extendOffset?: number;
}

export type PlacementAction = "spliced" | "concatenated" | "extended" | "unchanged";

/** Where one source's values of one dataset go. */
export interface DatasetPlacement {
  path: string;
  key: ObjectKey;
  /** null: in place. */
  slot: Slot | null;
  action: PlacementAction;
  /** The extent along the slot's dimension before and after this source (concatenated, extended). */
  extent?: { from: number; to: number };
  /** False when no values are written: none to copy (linked), or in place and a later source of the run writes there too. */
  write: boolean;
  /**
   * --link: the dataset references the source's chunks through a layout made for this source alone (it creates the
   * dataset), or through a chunk table the files share, in which this source writes its block at its slot.
   */
  linked?: "layout" | "table";
  /** The region may hold values already, so blocks of fill values are written too. */
  overwrite: boolean;
  bytes: number;
}

export interface PlannedSource {
  file: string;
  name: string;
  status: SourceStatus;
  reason?: string;
  identity: SourceIdentity & { sha256?: string };
  /** Its ledger record (resumed, reloaded, skipped). */
  record?: number;
  datasets: DatasetPlacement[];
  /** The ledger's view of `datasets`. */
  slots: Record<string, Slot | null>;
}

export type DatasetChange =
  | {
      change: "create";
      path: string;
      source: number;
      key: ObjectKey;
      type: PlannedType;
      shape: number[] | "H5S_NULL";
      maxdims?: number[];
      creationProperties?: CreationProperties;
      /** The fill value of the created dataset, binary (absent: zeros). */
      fill?: Uint8Array;
      /** Created with a leading dimension the sources do not have. */
      stacked: boolean;
      /**
       * The shape to create it with when the run grows it: the growing dimension at 0, as h5pyd creates
       * aggregated datasets. HSDS chooses the chunk shape from the shape at creation, so each row (or
       * step along time) then gets chunks of its own and a later run adds rows without rewriting chunks.
       */
      createdShape?: number[];
      /** --link: the chunk table to create first, which the layout then names. */
      chunkTable?: PlannedChunkTable;
    }
  | {
      change: "concatenate";
      path: string;
      id: string;
      from: number[];
      shape: number[];
      maxdims: number[];
      /** The dataset is linked and stays so: row 0 references the old dataset's chunks in a chunk table the files share. */
      linked?: true;
    }
  | {
      change: "resize";
      path: string;
      id: string;
      from: number[];
      shape: number[];
      /** The new shape of the chunk table the dataset's files share, resized first. */
      tableShape?: number[];
    };

export interface SourcedAttribute {
  source: number;
  attribute: PlannedAttribute;
}

export interface AggregatePlan {
  domain: string;
  extend?: string;
  newDomain: boolean;
  rootCreationProperties?: CreationProperties;
  sources: PlannedSource[];
  /** Parents first. */
  groups: { path: string; source: number; creationProperties?: CreationProperties }[];
  datatypes: { path: string; source: number; type: HsdsType }[];
  datasets: DatasetChange[];
  links: { group: string; name: string; target: { path: string } | { h5path: string; h5domain?: string } }[];
  /** The attributes each object gets, the last source's where names repeat. */
  attributes: { path: string; attributes: SourcedAttribute[] }[];
  /** Records of earlier runs whose values become row 0 of a dataset this run concatenates. */
  recordUpdates: { index: number; path: string; slot: Slot }[];
}

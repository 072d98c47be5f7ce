// The plan of an aggregate load (pure): every source of the run checked against the target and against the
// sources before it, in load order, and the whole run's structure decided once — which groups, datatypes and
// datasets to create (a dataset that several sources stack is created once, with its final shape), which
// target datasets to re-create with a leading dimension (concatenate) or to resize (extend, add rows), which
// links to add, the attributes each object ends with (later sources win), and for every source and dataset
// the slot its values go to. The rules are h5pyd's intended ones (reference §6.2.4). With --link, files that
// stack or extend one dataset share one chunk table, each writing its block at its slot; a file whose chunks
// cannot line up with the table's, or linked values meeting copied ones in one dataset, fail the plan.
import { basename } from "node:path";
import type { CreationProperties } from "../client/hsds-types.js";
import { type HsdsType, itemSize, numpyDtypeString, VARIABLE } from "../model/datatype.js";
import type { ObjectKey, SourceDataset, SourceObject } from "../hdf5/source/source-tree.js";
import type { AggregatePlan, AggregatePlanInput, AggregateSourceInput, DatasetChange, DatasetPlacement, PlannedSource, SourcedAttribute } from "./aggregate-plan.js";
import { joinPath, type TargetDataset, type TargetEntry } from "./aggregate-target.js";
import type { LoadPlan, PlannedDataset, PlannedLinkTarget } from "./load-plan.js";
import { type Indexed, isStep, type Slot, type SourceRecord } from "./ledger-records.js";
import {
  asShared,
  joinProblem,
  type LinkedRefs,
  type LinkedStorage,
  linkedRefsOf,
  linkedStorageOf,
  sharedLinkedCreation,
  slotBlock,
  sourceStorage,
  sourceTerms,
  tableTerms,
} from "./link-aggregate.js";
import { LinkTableError, sharedTableShape } from "./link-table.js";

/** A source does not fit the target or the sources before it; nothing has been written. */
export class AggregatePlanError extends Error {
  override name = "AggregatePlanError";
}

interface DatasetState {
  kind: "dataset";
  path: string;
  type: HsdsType;
  /** The shape so far in the run. */
  shape: number[] | null;
  maxdims?: number[];
  /** The target's dataset, or the plan of the source that creates it. */
  origin: { target: TargetDataset } | { source: number; planned: PlannedDataset };
  /** Its shape before the run, in the domain. */
  before: number[] | null;
  /** The extent that holds values already (zeros for a dataset the run creates), for `overwrite`. */
  initial: number[] | null;
  /** The run gives it a leading dimension its sources do not have. */
  stacked: boolean;
  /** The dimension the run grows (stacked: 0; extended: the scale's), for a dataset the run creates. */
  grows?: number;
  /** In-place placements so far, in load order: only the last one writes. */
  inPlace: DatasetPlacement[];
  /** Its values are in HDF5 files (--link), and who set the chunk shape and filters, for messages. */
  linked?: LinkedStorage & { setBy: string };
}

type Entry = DatasetState | { kind: "group" | "datatype"; type?: HsdsType } | Extract<TargetEntry, { kind: "soft" | "external" }>;

const ROW = (start: number): Slot => ({ dim: 0, start, count: 1, stacked: true });

/** A source dataset --link links. */
interface LinkedSource {
  planned: PlannedDataset;
  linked: LinkedRefs;
}

export function planAggregate(input: AggregatePlanInput): AggregatePlan {
  const planner = new Planner(input);
  input.sources.forEach((source, index) => planner.add(source, index));
  return planner.finish();
}

interface SourceContext {
  index: number;
  input: AggregateSourceInput;
  objects: Map<ObjectKey, SourceObject>;
  recorded: Record<string, Slot | null>;
  planned: PlannedSource;
}

class Planner {
  private readonly entries = new Map<string, Entry>();
  private readonly datasets: DatasetState[] = [];
  /** --extend-offset: the next free index along the extended dimension, per dataset. */
  private readonly cursors = new Map<string, number>();
  private readonly plan: AggregatePlan;
  private readonly attributes = new Map<string, Map<string, SourcedAttribute>>();
  /** The placements of linked source datasets, and what they link. */
  private readonly links = new Map<DatasetPlacement, LinkedSource>();

  constructor(private readonly input: AggregatePlanInput) {
    this.plan = { domain: input.domain, newDomain: input.newDomain, sources: [], groups: [], datatypes: [], datasets: [], links: [], attributes: [], recordUpdates: [] };
    if (input.extend !== undefined) this.plan.extend = input.extend;
    const byId = new Map<string, DatasetState>();
    for (const [path, entry] of input.target.entries) {
      if (entry.kind !== "dataset") {
        this.entries.set(path, entry.kind === "datatype" ? { kind: "datatype", type: entry.type } : entry.kind === "group" ? { kind: "group" } : entry);
        continue;
      }
      let state = byId.get(entry.id);
      if (!state) {
        state = {
          kind: "dataset",
          path,
          type: entry.type,
          shape: entry.shape && [...entry.shape],
          maxdims: entry.maxdims,
          origin: { target: entry },
          before: entry.shape,
          initial: entry.shape,
          stacked: false,
          inPlace: [],
        };
        const size = itemSize(entry.type);
        const linked = size === VARIABLE ? undefined : linkedStorageOf(entry.creationProperties, entry.shape, size);
        if (linked) state.linked = { ...linked, setBy: `${path} in ${input.domain}` };
        byId.set(entry.id, state);
        this.datasets.push(state);
      }
      this.entries.set(path, state);
    }
  }

  add(input: AggregateSourceInput, index: number): void {
    const planned: PlannedSource = { file: input.file, name: input.identity.name, status: input.status, identity: input.identity, datasets: [], slots: {} };
    if (input.reason !== undefined) planned.reason = input.reason;
    if (input.record) planned.record = input.record.index;
    this.plan.sources.push(planned);
    if (input.status === "skip") return;
    const tree = input.tree!;
    const loadPlan = input.loadPlan!;
    const recorded = input.found ?? input.record?.record.slots ?? {};
    const ctx: SourceContext = { index, input, objects: new Map(tree.objects.map((o) => [o.key, o])), recorded, planned };
    if (this.input.newDomain && index === this.firstLoaded() && loadPlan.rootCreationProperties) this.plan.rootCreationProperties = loadPlan.rootCreationProperties;
    if (input.status === "adopt") {
      // Its values are in the domain already, and so is the rest of it: only its slots are recorded.
      for (const dataset of loadPlan.datasets) if (dataset.path in recorded) planned.datasets.push(this.place(ctx, dataset));
      return;
    }
    if (this.input.extend !== undefined && !tree.objects.some((o) => this.isExtendScale(o))) {
      this.fail(ctx, `no dimension scale named ${this.input.extend} to extend (--extend ${this.input.extend})`);
    }
    for (const group of loadPlan.groups) {
      const there = this.entries.get(group.path);
      if (there === undefined) {
        this.entries.set(group.path, { kind: "group" });
        this.plan.groups.push(group.creationProperties ? { path: group.path, source: index, creationProperties: group.creationProperties } : { path: group.path, source: index });
      } else if (there.kind !== "group") {
        this.fail(ctx, `${group.path} is a group in the source but ${article(there.kind)} in ${this.input.domain}`);
      }
    }
    for (const datatype of loadPlan.datatypes) {
      const there = this.entries.get(datatype.path);
      if (there === undefined) {
        this.entries.set(datatype.path, { kind: "datatype", type: datatype.type });
        this.plan.datatypes.push({ path: datatype.path, source: index, type: datatype.type });
      } else if (there.kind !== "datatype") {
        this.fail(ctx, `${datatype.path} is a datatype in the source but ${article(there.kind)} in ${this.input.domain}`);
      } else if (there.type && valueTypeKey(there.type) !== valueTypeKey(datatype.type)) {
        this.fail(ctx, `${datatype.path} is the datatype ${numpyDtypeString(datatype.type)} in the source but ${numpyDtypeString(there.type)} in ${this.input.domain}`);
      }
    }
    for (const dataset of loadPlan.datasets) planned.datasets.push(this.place(ctx, dataset));
    this.addLinks(ctx, loadPlan);
    for (const { object, attributes } of loadPlan.attributes) {
      const path = ctx.objects.get(object)!.path;
      const merged = this.attributes.get(path) ?? new Map<string, SourcedAttribute>();
      for (const attribute of attributes) merged.set(attribute.name, { source: index, attribute });
      this.attributes.set(path, merged);
    }
  }

  finish(): AggregatePlan {
    for (const state of this.datasets) {
      // In place, the last source with values wins: the others need not write.
      const last = state.inPlace.findLastIndex((p) => p.write);
      state.inPlace.forEach((placement, i) => (placement.write &&= i === last));
      const change = this.changeOf(state);
      if (change) this.plan.datasets.push(change);
    }
    for (const source of this.plan.sources) {
      for (const placement of source.datasets) source.slots[placement.path] = placement.slot;
    }
    for (const [path, attributes] of this.attributes) this.plan.attributes.push({ path, attributes: [...attributes.values()] });
    return this.plan;
  }

  private firstLoaded(): number {
    return this.input.sources.findIndex((s) => s.status !== "skip");
  }

  // ---- datasets -------------------------------------------------------------------------------

  private place(ctx: SourceContext, planned: PlannedDataset): DatasetPlacement {
    const path = planned.path;
    const shape = planned.shape === "H5S_NULL" ? null : planned.shape;
    const placement: DatasetPlacement = { path, key: planned.key, slot: null, action: "unchanged", write: planned.values !== "none", overwrite: ctx.input.status === "reload", bytes: planned.bytes };
    const recorded = ctx.recorded[path];
    const source = ctx.objects.get(planned.key) as SourceDataset;
    const extendDim = shape && shape.length > 0 ? this.extendDimOf(source, ctx) : undefined;
    if (ctx.input.status === "adopt") placement.write = false;
    // An adopted source writes nothing, so what it links does not matter.
    const linked = ctx.input.status === "adopt" ? undefined : linkedRefsOf(planned);
    if (linked) this.links.set(placement, { planned, linked });
    const there = this.entries.get(path);
    if (there === undefined) {
      this.placeNew(ctx, planned, shape, recorded, extendDim, placement);
      return placement;
    }
    if (there.kind !== "dataset") this.fail(ctx, `${path} is a dataset in the source but ${article(there.kind)} in ${this.input.domain}`);
    const state = there;
    if (valueTypeKey(planned.type.type) !== valueTypeKey(state.type)) {
      this.fail(ctx, `${path} has type ${numpyDtypeString(planned.type.type)}, but ${path} in ${this.input.domain} has type ${numpyDtypeString(state.type)}`);
    }
    if (shape === null || shape.length === 0 || state.shape === null || state.shape.length === 0) {
      if (shapeKey(shape) !== shapeKey(state.shape)) this.mismatch(ctx, path, shape, state.shape);
      this.inPlace(ctx, state, placement);
    } else if (recorded === null) {
      if (shapeKey(shape) !== shapeKey(state.shape)) this.mismatch(ctx, path, shape, state.shape);
      this.inPlace(ctx, state, placement);
    } else if (recorded?.stacked) {
      if (!state.stacked && shapeKey(state.shape) === shapeKey(shape)) this.stack(ctx, state, shape, placement);
      this.addRow(ctx, state, shape, placement, recorded.start);
    } else if (recorded) {
      this.extendAlong(ctx, state, shape, placement, recorded);
    } else if (extendDim !== undefined) {
      const start = this.cursors.get(path) ?? this.input.extendOffset ?? state.shape[extendDim]!;
      this.extendAlong(ctx, state, shape, placement, { dim: extendDim, start, count: shape[extendDim]! });
    } else if (this.input.extend !== undefined) {
      // Datasets without the extended scale are written in place: the last source wins.
      if (shapeKey(shape) !== shapeKey(state.shape)) this.mismatch(ctx, path, shape, state.shape);
      this.inPlace(ctx, state, placement);
    } else if (shapeKey(state.shape) === shapeKey(shape) && !state.stacked) {
      this.stack(ctx, state, shape, placement);
      this.addRow(ctx, state, shape, placement, state.shape[0]!);
    } else if (state.shape.length === shape.length + 1 && shapeKey(state.shape.slice(1)) === shapeKey(shape)) {
      this.addRow(ctx, state, shape, placement, state.shape[0]!);
    } else {
      this.mismatch(ctx, path, shape, state.shape);
    }
    return placement;
  }

  private placeNew(ctx: SourceContext, planned: PlannedDataset, shape: number[] | null, recorded: Slot | null | undefined, extendDim: number | undefined, placement: DatasetPlacement): void {
    const state: DatasetState = {
      kind: "dataset",
      path: planned.path,
      type: planned.type.type,
      shape: shape && [...shape],
      maxdims: planned.maxdims,
      origin: { source: ctx.index, planned },
      before: null,
      initial: shape && shape.map(() => 0),
      stacked: false,
      inPlace: [],
    };
    const link = this.links.get(placement);
    if (link) state.linked = { ...sourceStorage(link.planned, link.linked), setBy: link.linked.fileUri };
    this.entries.set(planned.path, state);
    this.datasets.push(state);
    placement.overwrite = false;
    if (shape === null || shape.length === 0 || recorded === null || (recorded === undefined && extendDim === undefined)) {
      placement.action = "spliced";
      if (link) placement.linked = "layout";
      state.inPlace.push(placement);
    } else if (recorded?.stacked) {
      this.share(state, true);
      state.stacked = true;
      state.grows = 0;
      state.maxdims = [0, ...(planned.maxdims ?? shape)];
      state.shape = [0, ...shape];
      state.initial = [0, ...shape.map(() => 0)];
      this.addRow(ctx, state, shape, placement, recorded.start);
    } else {
      const slot = recorded ?? { dim: extendDim!, start: this.cursors.get(planned.path) ?? this.input.extendOffset ?? 0, count: shape[extendDim!]! };
      state.maxdims = (planned.maxdims ?? shape).map((m, d) => (d === slot.dim ? 0 : m));
      state.shape![slot.dim] = 0;
      state.grows = slot.dim;
      this.share(state, false);
      this.extendAlong(ctx, state, shape, placement, slot);
    }
  }

  private inPlace(ctx: SourceContext, state: DatasetState, placement: DatasetPlacement): void {
    placement.overwrite ||= "target" in state.origin;
    this.join(ctx, state, placement);
    state.inPlace.push(placement);
  }

  /** From here on the files share the dataset's chunk table (if it is linked). */
  private share(state: DatasetState, stacked: boolean): void {
    if (state.linked) state.linked = { ...asShared(state.linked, stacked), setBy: state.linked.setBy };
  }

  /**
   * Give the dataset a leading dimension: its values so far become row 0. A linked dataset stays linked when the
   * file that stacks it is linked (its old chunk references become row 0 of a shared table); otherwise the
   * concatenation copies the old values, wherever they are.
   */
  private stack(ctx: SourceContext, state: DatasetState, shape: number[], stacking: DatasetPlacement): void {
    const earlier = state.inPlace;
    state.inPlace = [];
    if ("target" in state.origin) {
      if (!this.links.has(stacking)) delete state.linked;
      else if (state.linked?.shared) this.fail(ctx, `${state.path} in ${this.input.domain} links the chunks of several files and cannot also be concatenated`);
    }
    this.share(state, true);
    state.stacked = true;
    state.grows = 0;
    state.maxdims = [0, ...(state.maxdims ?? shape)];
    state.shape = [1, ...shape];
    // Row 0 holds values already when they are the domain's.
    state.initial = ["target" in state.origin ? 1 : 0, ...shape];
    const owner = earlier.at(-1);
    for (const placement of earlier.slice(0, -1)) placement.write = false;
    if (owner) {
      owner.slot = ROW(0);
      owner.action = "concatenated";
      owner.extent = { from: 0, to: 1 };
      if (owner.linked) owner.linked = "table";
      return;
    }
    if ("target" in state.origin) {
      const record = this.inPlaceOwner(state.path);
      if (record) this.plan.recordUpdates.push({ index: record.index, path: state.path, slot: ROW(0) });
    } else {
      // Made by an earlier source of the run along an extended dimension, as a resumed run with --extend did.
      this.fail(ctx, `${state.path} is extended along a dimension by the files before it, and cannot also be concatenated; give the --extend option of the run that loaded them`);
    }
  }

  /** The latest complete record whose values of `path` were written in place: its values become row 0. */
  private inPlaceOwner(path: string): Indexed<SourceRecord> | undefined {
    let owner: Indexed<SourceRecord> | undefined;
    for (const entry of this.input.ledger) {
      const record = entry.record;
      if (!isStep(record) && record.state === "complete" && record.slots[path] === null) owner = entry as Indexed<SourceRecord>;
    }
    return owner;
  }

  private addRow(ctx: SourceContext, state: DatasetState, shape: number[], placement: DatasetPlacement, row: number): void {
    const current = state.shape!;
    if (current.length !== shape.length + 1 || shapeKey(current.slice(1)) !== shapeKey(shape)) this.mismatch(ctx, state.path, shape, current);
    const max = state.maxdims?.[0] ?? current[0]!;
    if (max !== 0 && row + 1 > max) {
      this.fail(ctx, `${state.path} cannot take row ${row}: its maximum shape in ${this.input.domain} is ${pyShape(state.maxdims ?? current)}`);
    }
    placement.slot = ROW(row);
    placement.action = "concatenated";
    placement.extent = { from: current[0]!, to: Math.max(current[0]!, row + 1) };
    placement.overwrite ||= row < state.initial![0]!;
    this.join(ctx, state, placement);
    current[0] = placement.extent.to;
  }

  private extendAlong(ctx: SourceContext, state: DatasetState, shape: number[], placement: DatasetPlacement, slot: Slot): void {
    const current = state.shape!;
    const dim = slot.dim;
    const fits = current.length === shape.length && current.every((extent, d) => d === dim || extent === shape[d]);
    if (!fits) this.mismatch(ctx, state.path, shape, current);
    if (slot.count !== shape[dim]) {
      this.fail(ctx, `${state.path} has shape ${pyShape(shape)}, but its recorded slot in ${this.input.domain} holds ${slot.count} along dimension ${dim}`);
    }
    const end = slot.start + slot.count;
    if (end > current[dim]!) {
      const max = state.maxdims?.[dim] ?? current[dim]!;
      if (max !== 0 && end > max) {
        const hint = this.input.extend ? `; load the first file with -a --extend ${this.input.extend}` : "";
        this.fail(ctx, `${state.path} cannot grow along ${this.dimensionName(dim)} from ${current[dim]} to ${end}: its maximum shape in ${this.input.domain} is ${pyShape(state.maxdims ?? current)}${hint}`);
      }
    }
    placement.slot = slot;
    placement.action = "extended";
    placement.extent = { from: current[dim]!, to: Math.max(current[dim]!, end) };
    placement.overwrite ||= slot.start < state.initial![dim]!;
    this.join(ctx, state, placement);
    current[dim] = placement.extent.to;
    if (this.input.extendOffset !== undefined) this.cursors.set(state.path, end);
  }

  /**
   * Whether the placement's values can go into the dataset as it holds them: linked values join a shared chunk
   * table with the same chunks and filters, at a slot their chunks line up with (the placement then writes a table
   * block); copied values cannot be written into a linked dataset (the server refuses), nor linked ones join copied.
   */
  private join(ctx: SourceContext, state: DatasetState, placement: DatasetPlacement): void {
    const link = this.links.get(placement);
    const { path } = state;
    const there = `${path} in ${this.input.domain}`;
    if (!link) {
      if (!placement.write || !state.linked) return;
      const why = ctx.input.loadPlan!.notes.find((n) => n.path === path && n.message.startsWith("copied, not linked"));
      this.fail(ctx, `${there} is linked to HDF5 files, so copied values cannot be written into it (${why ? `this file's ${path} is ${why.message}` : "give --link"})`);
    }
    const slot = placement.slot;
    if (slot === null) {
      this.relinkInPlace(ctx, state, link);
      return;
    }
    if (!state.linked) {
      this.fail(ctx, `${path} is linked (--link), but ${there} holds copied values: linked and copied values cannot share one dataset`);
    }
    if (!state.linked.shared) this.fail(ctx, `${there} is linked to one file (${state.linked.fileUri}); other files can join it only as rows of a concatenation`);
    const problem = joinProblem(tableTerms(state.linked, slot, state.linked.setBy), sourceTerms(link.planned, link.linked));
    if (problem) this.fail(ctx, `${path}: ${problem}`);
    if (!slot.stacked) {
      try {
        slotBlock(link.linked, slot, placement.extent!.from);
      } catch (err) {
        if (!(err instanceof LinkTableError)) throw err;
        this.fail(ctx, `${path} cannot be linked along ${this.dimensionName(slot.dim)}: ${err.message}`);
      }
    }
    placement.linked = "table";
  }

  /**
   * A linked dataset written in place keeps the layout it was created with: later files leave it as it is (the
   * first file wins, where copies let the last win). Only --force of the very file it links would need a new
   * layout, which cannot be given to an existing dataset.
   */
  private relinkInPlace(ctx: SourceContext, state: DatasetState, link: LinkedSource): void {
    if (ctx.input.status !== "reload" || !("target" in state.origin) || state.linked?.fileUri !== link.linked.fileUri) return;
    const layout = (properties: PlannedDataset["creationProperties"]) => {
      const { chunk_table: table, ...rest } = properties?.layout ?? { class: "" };
      return table === undefined ? canonicalJson(rest) : undefined;
    };
    const before = layout(state.origin.target.creationProperties);
    if (before === undefined || before !== layout(link.planned.creationProperties)) {
      this.fail(ctx, `${state.path} in ${this.input.domain} links this file's chunks as they were when it was loaded, and --force cannot link them anew in place: remove ${state.path} or load into a new domain`);
    }
  }

  private changeOf(state: DatasetState): DatasetChange | undefined {
    if ("source" in state.origin) {
      const planned = state.origin.planned;
      const change: DatasetChange = {
        change: "create",
        path: state.path,
        source: state.origin.source,
        key: planned.key,
        type: planned.type,
        shape: state.shape ?? "H5S_NULL",
        stacked: state.stacked,
      };
      if (state.maxdims) change.maxdims = state.maxdims;
      if (state.grows !== undefined && state.shape) change.createdShape = state.shape.map((d, i) => (i === state.grows ? 0 : d));
      if (state.linked?.shared) {
        const shape = state.shape!;
        const form = state.stacked ? { stacked: true as const, rows: shape[0]! } : { stacked: false as const, dim: state.grows!, extent: shape[state.grows!]! };
        const shared = sharedLinkedCreation({ planned, linked: linkedRefsOf(planned)! }, form);
        change.creationProperties = shared.creationProperties;
        change.chunkTable = shared.table;
      } else {
        const properties = planned.creationProperties && stackedProperties(planned.creationProperties, state.stacked);
        if (properties) change.creationProperties = properties;
        if (planned.chunkTable) change.chunkTable = planned.chunkTable;
      }
      if (planned.fill) change.fill = planned.fill;
      return change;
    }
    const target = state.origin.target;
    if (state.shape === null || state.before === null) return undefined;
    if (state.stacked) {
      const change: DatasetChange = { change: "concatenate", path: state.path, id: target.id, from: state.before, shape: state.shape, maxdims: state.maxdims! };
      if (state.linked) change.linked = true;
      return change;
    }
    if (shapeKey(state.shape) === shapeKey(state.before)) return undefined;
    const change: DatasetChange = { change: "resize", path: state.path, id: target.id, from: state.before, shape: state.shape };
    if (state.linked?.shared) change.tableShape = sharedTableShape(state.shape, state.linked.dims);
    return change;
  }

  // ---- links ----------------------------------------------------------------------------------

  private addLinks(ctx: SourceContext, loadPlan: LoadPlan): void {
    for (const { group, links } of loadPlan.links) {
      const groupPath = ctx.objects.get(group)!.path;
      for (const link of links) {
        const path = joinPath(groupPath, link.name);
        if ("object" in link.target) {
          const objectPath = ctx.objects.get(link.target.object)!.path;
          // The object's own path is made with the object; an existing name is left alone (h5pyd).
          if (objectPath === path || this.entries.has(path)) continue;
          this.entries.set(path, this.entries.get(objectPath)!);
          this.plan.links.push({ group: groupPath, name: link.name, target: { path: objectPath } });
          continue;
        }
        const mine = linkEntry(link.target);
        const there = this.entries.get(path);
        if (there === undefined) {
          this.entries.set(path, mine);
          this.plan.links.push({ group: groupPath, name: link.name, target: link.target as { h5path: string; h5domain?: string } });
        } else if (describeEntry(there) !== describeEntry(mine)) {
          this.fail(ctx, `link ${path} points to ${describeEntry(mine)}, but ${path} in ${this.input.domain} is ${describeEntry(there)}`);
        }
      }
    }
  }

  // ---- dimension scales -----------------------------------------------------------------------

  private isExtendScale(object: SourceObject | undefined): boolean {
    return this.input.extend !== undefined && isScaleNamed(object, this.input.extend);
  }

  private extendDimOf(dataset: SourceDataset, ctx: SourceContext): number | undefined {
    return this.input.extend === undefined ? undefined : scaleDimension(dataset, ctx.objects, this.input.extend);
  }

  private dimensionName(dim: number): string {
    return this.input.extend ?? `dimension ${dim}`;
  }

  // ---- errors ---------------------------------------------------------------------------------

  private mismatch(ctx: SourceContext, path: string, shape: number[] | null, there: number[] | null): never {
    return this.fail(ctx, `${path} has shape ${pyShape(shape)}, which does not fit ${path} of shape ${pyShape(there)} in ${this.input.domain}`);
  }

  private fail(ctx: SourceContext, message: string): never {
    throw new AggregatePlanError(`${ctx.input.file}: ${message}`);
  }
}

/** Whether the object is a dimension scale called `name` (by its NAME, or its own name when NAME says nothing). */
export function isScaleNamed(object: SourceObject | undefined, name: string): boolean {
  if (object?.kind !== "dataset" || object.scaleName === undefined) return false;
  return object.scaleName === name || basename(object.path) === name;
}

/** The dimension of `dataset` the scale `name` is attached to (0 for the scale itself), if any. */
export function scaleDimension(dataset: SourceDataset, objects: ReadonlyMap<ObjectKey, SourceObject>, name: string): number | undefined {
  if (isScaleNamed(dataset, name)) return 0;
  const dim = (dataset.scales ?? []).findIndex((keys) => keys.some((key) => isScaleNamed(objects.get(key), name)));
  return dim < 0 ? undefined : dim;
}

function stackedProperties(properties: CreationProperties, stacked: boolean): CreationProperties {
  const dims = properties.layout?.dims;
  if (!stacked || !dims) return properties;
  return { ...properties, layout: { ...properties.layout!, dims: [1, ...dims] } };
}

/** JSON with object keys in order, so that equal values give equal text whatever order a server kept. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

function linkEntry(target: PlannedLinkTarget): Entry {
  const link = target as { h5path: string; h5domain?: string };
  return link.h5domain === undefined ? { kind: "soft", h5path: link.h5path } : { kind: "external", h5path: link.h5path, h5domain: link.h5domain };
}

function describeEntry(entry: Entry): string {
  if (entry.kind === "soft") return `a soft link to ${entry.h5path}`;
  if (entry.kind === "external") return `an external link to ${entry.h5path} in ${entry.h5domain}`;
  return article(entry.kind);
}

function article(kind: string): string {
  return kind === "soft" || kind === "external" ? `a ${kind} link` : kind === "datatype" ? "a committed datatype" : `a ${kind}`;
}

/** "(3, 10)", "(10,)", "()" for a scalar, "null" for a null dataspace: how Python shows shapes. */
export function pyShape(shape: readonly number[] | null): string {
  if (shape === null) return "null";
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

function shapeKey(shape: readonly number[] | null): string {
  return shape === null ? "null" : shape.join(",");
}

/**
 * What makes two types hold the same values: byte layout and meaning. A string's padding and character set,
 * a committed type's id and h5pyd's reference decorations do not count.
 */
export function valueTypeKey(t: HsdsType): string {
  switch (t.class) {
    case "H5T_STRING":
      return `S${t.length}`;
    case "H5T_REFERENCE":
      return `R${t.base}`;
    case "H5T_COMPOUND":
      return `C{${t.fields.map((f) => `${f.name}:${valueTypeKey(f.type)}`).join(",")}}`;
    case "H5T_ARRAY":
      return `A[${t.dims.join(",")}]${valueTypeKey(t.base)}`;
    case "H5T_VLEN":
      return `V${valueTypeKey(t.base)}`;
    case "H5T_ENUM":
      return `E${t.base.base}${JSON.stringify(Object.entries(t.mapping).sort())}`;
    case "H5T_OPAQUE":
      return `O${t.size}`;
    default:
      return t.base;
  }
}


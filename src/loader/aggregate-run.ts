// Carrying out an aggregate plan under the domain's lock, in an order a stopped run can be completed from:
// first the ledger (aggregate-records.ts), then the structure (groups, datatypes and datasets created with their
// link in one request each, so none is left unlinked, a linked dataset's chunk table just before it;
// concatenations; resizes, a shared chunk table's before its dataset's; extra links), then attributes (per
// object, later sources winning), then the values of all sources in parallel through the block pipeline, or
// for linked datasets the source's block of the shared chunk table, written at its recorded slot.
import type { DomainHandle } from "../client/hsds-client.js";
import type { AttributeDefinition, LinkTarget, TypeJson } from "../client/hsds-types.js";
import type { ObjectKey } from "../hdf5/source/source-tree.js";
import { fillValueBytes } from "../model/values.js";
import { adjustForStacking } from "./aggregate-attributes.js";
import { makeConcatenated, makeLinkedConcatenated, moveLinks, retire } from "./aggregate-concatenate.js";
import type { AggregatePlan, AggregateSourceInput, DatasetChange, DatasetPlacement, PlannedSource } from "./aggregate-plan.js";
import { type Concatenation, RunRecords } from "./aggregate-records.js";
import type { SourceFacts } from "./aggregate-sources.js";
import { objectIds, type TargetDataset, type TargetState } from "./aggregate-target.js";
import { attributeDefinition } from "./attribute-values.js";
import { forEachLimited } from "./concurrency.js";
import type { Ledger } from "./ledger.js";
import { type LinkedRefs, linkedRefsOf, slotBlock } from "./link-aggregate.js";
import { storedElement } from "./link-layout.js";
import { checkLinkedElementReadable, chunkTableOf, unlinkChunkTable, withChunkTable, writeTableBlock } from "./link-run.js";
import { sharedTableLayout, storedElementOfBlock } from "./link-table.js";
import type { PlannedDataset, PlannedType } from "./load-plan.js";
import type { ReferenceResolver } from "./reference-rewrite.js";
import { type LoadProgress, referenceResolver, type RunOptions, type RunSummary } from "./run.js";
import { copyValues, type Placement } from "./value-copy.js";

export interface AggregateRunOptions extends Omit<RunOptions, "storedChunks"> {
  /** A source's record turned complete. */
  onComplete?: (source: PlannedSource) => void;
}

/** A copy load's summary, plus the datasets re-created with a leading dimension and those resized. */
export interface AggregateSummary extends RunSummary {
  concatenated: number;
  resized: number;
}

export interface AggregateRunContext {
  domain: DomainHandle;
  target: TargetState;
  ledger: Ledger;
  run: string;
  plan: AggregatePlan;
  /** The plan's inputs, index for index with plan.sources. */
  inputs: readonly AggregateSourceInput[];
  /** A source's reader, by path. */
  source: (file: string) => SourceFacts;
}

const MIB = 1024 * 1024;
/** Sources whose values stream at once; each has its own reader thread. */
const SOURCES_IN_FLIGHT = 4;
const ATTRIBUTE_BATCH = 500;

type Created = Extract<DatasetChange, { change: "create" }>;

export async function runAggregate(ctx: AggregateRunContext, options: AggregateRunOptions): Promise<AggregateSummary> {
  return new AggregateRunner(ctx, options).run();
}

class AggregateRunner {
  private readonly parallel: number;
  /** Object ids by path: the domain's, then what the run creates and re-creates. */
  private readonly ids = new Map<string, string>();
  /** Per source: object key → path. */
  private readonly keyPaths: Map<ObjectKey, string>[];
  private readonly loading: number[];
  private readonly created: Created[];
  private readonly concatenations: Concatenation[];
  private readonly records: RunRecords;
  private readonly progress: LoadProgress;
  private readonly limits: { parallel: number; memoryBudget: number; maxBlockBytes: number; signal?: AbortSignal };
  private nullReferences = 0;
  private writes = 0;
  private bytesWritten = 0;
  /** The chunk tables of shared linked datasets, by path, each read once. */
  private readonly tables = new Map<string, Promise<string>>();
  /** Whether the server has been seen to read a linked file (once per run). */
  private linkChecked = false;

  constructor(
    private readonly ctx: AggregateRunContext,
    private readonly options: AggregateRunOptions,
  ) {
    const { plan, target } = ctx;
    this.parallel = Math.max(1, options.parallel);
    for (const [path, entry] of target.entries) if ("id" in entry) this.ids.set(path, entry.id);
    this.keyPaths = ctx.inputs.map((input) => new Map(input.tree?.objects.map((o) => [o.key, o.path]) ?? []));
    this.loading = plan.sources.flatMap((source, i) => (source.status === "skip" ? [] : [i]));
    this.created = plan.datasets.filter((d): d is Created => d.change === "create");
    this.concatenations = plan.datasets.filter((d): d is Concatenation => d.change === "concatenate");
    this.records = new RunRecords(ctx.ledger, ctx.run, plan.sources, this.loading, options.onComplete);
    this.progress = {
      objectsDone: 0,
      objectsTotal: plan.groups.length + plan.datatypes.length + this.created.length + this.concatenations.length,
      bytesDone: 0,
      bytesTotal: this.loading.reduce((n, i) => n + written(plan.sources[i]!).reduce((m, p) => m + p.bytes, 0), 0),
    };
    this.limits = { parallel: this.parallel, memoryBudget: options.memoryBudget ?? 64 * MIB, maxBlockBytes: options.maxBlockBytes ?? 32 * MIB, signal: options.signal };
  }

  async run(): Promise<AggregateSummary> {
    const { plan } = this.ctx;
    this.report();
    await this.records.recordSources();
    await this.records.recordSteps(this.concatenations, this.ctx.target);
    await this.records.moveToRows(plan.recordUpdates);
    await this.createObjects();
    await this.concatenate();
    await this.resizeAndLink();
    await this.writeAttributes();
    await this.copyAllValues();
    await this.ctx.domain.flush();
    return {
      groups: plan.groups.length,
      datasets: this.created.length,
      datatypes: plan.datatypes.length,
      concatenated: this.concatenations.length,
      resized: plan.datasets.filter((d) => d.change === "resize").length,
      links: plan.links.length,
      attributes: plan.attributes.reduce((n, o) => n + o.attributes.length, 0),
      bytes: this.progress.bytesTotal,
      writes: this.writes,
      bytesWritten: this.bytesWritten,
      nullReferences: this.nullReferences,
    };
  }

  /** Groups parents first, then committed datatypes, then datasets, each created linked. */
  private async createObjects(): Promise<void> {
    const { plan, domain } = this.ctx;
    const depths = [...new Set(plan.groups.map((g) => depthOf(g.path)))].sort((a, b) => a - b);
    for (const depth of depths) {
      await this.each(plan.groups.filter((g) => depthOf(g.path) === depth), async (group) => {
        this.madeAt(group.path, (await domain.createGroup({ link: this.linkOf(group.path), creationProperties: group.creationProperties })).id);
      });
    }
    await this.each(plan.datatypes, async (datatype) => {
      this.madeAt(datatype.path, (await domain.createDatatype({ type: datatype.type as unknown as TypeJson, link: this.linkOf(datatype.path) })).id);
    });
    await this.each(this.created, async (dataset) => {
      const link = this.linkOf(dataset.path);
      const answer = await domain.createDataset({
        type: this.typeJson(dataset.source, dataset.type),
        shape: dataset.createdShape ?? dataset.shape,
        maxdims: dataset.maxdims,
        creationProperties: await withChunkTable(domain, dataset, link),
        link,
      });
      if (dataset.chunkTable) await unlinkChunkTable(domain, link);
      if (dataset.createdShape) await domain.resizeDataset(answer.id, dataset.shape as number[]);
      this.madeAt(dataset.path, answer.id);
    });
  }

  private async concatenate(): Promise<void> {
    const { domain, target } = this.ctx;
    const replaced = new Map<string, string>();
    await forEachLimited(this.concatenations, Math.min(this.parallel, SOURCES_IN_FLIGHT), async (change) => {
      this.options.signal?.throwIfAborted();
      const step = this.records.step(change.path);
      const old = target.entries.get(change.path) as TargetDataset;
      const newId = change.linked
        ? await makeLinkedConcatenated(domain, step, old, change.shape, change.maxdims)
        : await makeConcatenated(domain, step, old, change.shape, change.maxdims, this.limits);
      await moveLinks(domain, step, newId);
      replaced.set(old.id, newId);
      for (const [path, id] of this.ids) if (id === old.id) this.ids.set(path, newId);
      this.objectDone();
    });
    if (replaced.size === 0) return;
    await retire(domain, objectIds(target), replaced, this.parallel);
    await this.records.stepsDone();
  }

  private async resizeAndLink(): Promise<void> {
    const { plan, domain } = this.ctx;
    await this.each(plan.datasets.filter((d) => d.change === "resize"), async (change) => {
      // The table first: a run stopped in between finds the dataset still to resize, and resizes both again.
      if (change.tableShape) await domain.resizeDataset(await this.tableOf(change.path), change.tableShape);
      await domain.resizeDataset(this.ids.get(change.path)!, change.shape as number[]);
    });
    const byGroup = new Map<string, Record<string, LinkTarget>>();
    for (const link of plan.links) {
      const batch = byGroup.get(link.group) ?? {};
      batch[link.name] = "path" in link.target ? { id: this.ids.get(link.target.path)! } : link.target;
      byGroup.set(link.group, batch);
    }
    await this.each(byGroup, ([group, links]) => domain.putLinks(this.ids.get(group)!, links).then(() => undefined));
  }

  private async writeAttributes(): Promise<void> {
    const { plan, domain } = this.ctx;
    const pathOfId = new Map([...this.ids].map(([path, id]) => [id, path]));
    const placements = plan.sources.map((source) => new Map(source.datasets.map((p) => [p.path, p])));
    const stacked = (source: number, path: string | undefined) => path !== undefined && placements[source]!.get(path)?.slot?.stacked === true;
    await this.each(plan.attributes, async ({ path, attributes }) => {
      for (let i = 0; i < attributes.length; i += ATTRIBUTE_BATCH) {
        const batch: Record<string, AttributeDefinition> = {};
        for (const { source, attribute } of attributes.slice(i, i + ATTRIBUTE_BATCH)) {
          const definition = attributeDefinition(attribute, this.typeJson(source, attribute.type), this.resolver(source).resolve);
          const stackedReference = (reference: string) => stacked(source, pathOfId.get(reference.replace(/^datasets\//, "")));
          batch[attribute.name] = adjustForStacking(attribute.name, definition, stacked(source, path), stackedReference);
        }
        await domain.putAttributes(this.ids.get(path)!, batch);
      }
    });
  }

  /** Every loading source's values, a few sources at a time, each source's record completed as it ends. */
  private async copyAllValues(): Promise<void> {
    const stop = new AbortController();
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, stop.signal]) : stop.signal;
    const inFlight = Math.min(SOURCES_IN_FLIGHT, this.parallel, Math.max(1, this.loading.length));
    await forEachLimited(this.loading, inFlight, async (position) => {
      try {
        await this.linkSource(position, signal);
        await this.copySource(position, inFlight, signal);
      } catch (err) {
        stop.abort(err);
        throw err;
      }
      await this.records.done(position);
    });
  }

  /**
   * A source's blocks of the shared chunk tables, at its slots (written again as they were when a stopped run is
   * resumed). The first linked dataset of the run is then read through the server, so a file_uri it cannot
   * resolve fails the run rather than every later read.
   */
  private async linkSource(position: number, signal: AbortSignal): Promise<void> {
    const placements = this.ctx.plan.sources[position]!.datasets.filter((p) => p.linked !== undefined);
    if (placements.length === 0) return;
    const byKey = new Map(this.ctx.inputs[position]!.loadPlan!.datasets.map((d) => [d.key, d]));
    await forEachLimited(placements, this.parallel, async (placement) => {
      signal.throwIfAborted();
      const planned = byKey.get(placement.key)!;
      const linked = linkedRefsOf(planned)!;
      if (placement.linked === "layout") return this.checkLinked(placement.path, storedElement(planned), linked);
      const slot = placement.slot!;
      const block = slotBlock(linked, slot, placement.extent!.from);
      await writeTableBlock(this.ctx.domain, await this.tableOf(placement.path), block);
      await this.checkLinked(placement.path, storedElementOfBlock(block, sharedTableLayout(linked.refs, slot.stacked === true).dims!), linked);
    });
  }

  private async checkLinked(path: string, element: number[] | undefined, linked: LinkedRefs): Promise<void> {
    if (this.linkChecked || element === undefined) return;
    this.linkChecked = true;
    await checkLinkedElementReadable(this.ctx.domain, this.ids.get(path)!, element, linked.fileUri);
  }

  /** The chunk table a shared linked dataset's layout names. */
  private tableOf(path: string): Promise<string> {
    let table = this.tables.get(path);
    if (!table) {
      table = this.ctx.domain.getDataset(this.ids.get(path)!).then((info) => chunkTableOf(info.creationProperties)!);
      this.tables.set(path, table);
    }
    return table;
  }

  private async copySource(position: number, inFlight: number, signal: AbortSignal): Promise<void> {
    const { domain, plan, inputs } = this.ctx;
    const writing = written(plan.sources[position]!);
    if (writing.length === 0) return;
    const input = inputs[position]!;
    const byKey = new Map(input.loadPlan!.datasets.map((d) => [d.key, d]));
    // The skipped blocks are those holding the target's fill value, whichever source's dataset made it.
    const datasets = writing.map((p): PlannedDataset => ({ ...byKey.get(p.key)!, fill: this.fillOf(p.path) }));
    const places = new Map(writing.map((p) => [p.key, placementOf(p, byKey.get(p.key)!, this.fillOf(p.path))]));
    const { byKey: ids, resolve } = this.resolver(position);
    const facts = this.ctx.source(input.file);
    await facts.use((reader) =>
      copyValues(datasets, domain, reader, ids, resolve, {
        parallel: Math.max(1, Math.floor(this.parallel / inFlight)),
        memoryBudget: this.limits.memoryBudget / inFlight,
        maxBlockBytes: this.limits.maxBlockBytes,
        signal,
        placement: (d) => places.get(d.key),
        onBytes: (bytes) => {
          this.progress.bytesDone += bytes;
          this.report();
        },
        onWrite: (bytes) => {
          this.writes++;
          this.bytesWritten += bytes;
        },
      }),
    );
    // Its values are done: its reader is not needed again.
    await facts.close();
  }

  // ---- helpers --------------------------------------------------------------------------------

  private async each<T>(items: Iterable<T>, task: (item: T) => Promise<void>): Promise<void> {
    await forEachLimited(items, this.parallel, async (item) => {
      this.options.signal?.throwIfAborted();
      await task(item);
    });
  }

  private madeAt(path: string, id: string): void {
    this.ids.set(path, id);
    this.objectDone();
  }

  private objectDone(): void {
    this.progress.objectsDone++;
    this.report();
  }

  private report(): void {
    this.options.onProgress?.({ ...this.progress });
  }

  /** Where a new object at `path` is linked: its parent group and its name. */
  private linkOf(path: string): { id: string; name: string } {
    const slash = path.lastIndexOf("/");
    return { id: this.ids.get(path.slice(0, slash) || "/")!, name: path.slice(slash + 1) };
  }

  /** A planned type on the wire: inline, or the target's copy of the source's committed type. */
  private typeJson(source: number, t: PlannedType): TypeJson {
    return t.committed !== undefined ? this.ids.get(this.keyPaths[source]!.get(t.committed)!)! : (t.type as unknown as TypeJson);
  }

  private readonly resolvers = new Map<number, { byKey: Map<ObjectKey, string>; resolve: ReferenceResolver }>();

  /** A source's objects as target ids, and its references rewritten to them (after the structure is made). */
  private resolver(source: number): { byKey: Map<ObjectKey, string>; resolve: ReferenceResolver } {
    let found = this.resolvers.get(source);
    if (!found) {
      const byKey = new Map<ObjectKey, string>();
      for (const [key, path] of this.keyPaths[source]!) if (this.ids.has(path)) byKey.set(key, this.ids.get(path)!);
      found = { byKey, resolve: referenceResolver(byKey, () => this.nullReferences++) };
      this.resolvers.set(source, found);
    }
    return found;
  }

  private fillOf(path: string): Uint8Array | undefined {
    const made = this.created.find((c) => c.path === path);
    if (made) return made.fill;
    const entry = this.ctx.target.entries.get(path) as TargetDataset;
    return fillValueBytes(entry.type, entry.creationProperties);
  }
}

function written(source: PlannedSource): DatasetPlacement[] {
  return source.datasets.filter((p) => p.write);
}

/** Where the source's values of a dataset go in the target, given the target's fill value. */
function placementOf(placement: DatasetPlacement, dataset: PlannedDataset, targetFill: Uint8Array | undefined): Placement {
  const rank = dataset.shape === "H5S_NULL" ? 0 : dataset.shape.length;
  const offset = new Array<number>(rank).fill(0);
  const slot = placement.slot;
  if (slot?.stacked) offset.unshift(slot.start);
  else if (slot) offset[slot.dim] = slot.start;
  const out: Placement = { offset, stacked: slot?.stacked === true, overwrite: placement.overwrite };
  if (!sameFill(dataset.fill, targetFill)) out.sourceFill = dataset.fill ?? new Uint8Array(targetFill!.length);
  return out;
}

/** Absent means zeros. */
function sameFill(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  const zero = (f: Uint8Array | undefined) => f === undefined || f.every((x) => x === 0);
  if (!a || !b) return zero(a) && zero(b);
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

function depthOf(path: string): number {
  return path.split("/").length;
}

// hsload -a: many source files into one domain, safely re-runnable. Each source is classified by the ledger
// (new, loaded already, half-loaded by a stopped run, or found in the domain without a record), and every one
// to load is checked and the whole run planned before anything is written (a source that does not fit fails
// the run with a message naming it); --dry-run stops there. Then, holding the domain's lock: the plan is made
// again against the domain as it is now (another run may have loaded some sources meanwhile), any structure
// change a stopped run left half-done is completed or undone, and the plan is carried out (aggregate-run.ts).
// The temporary-domain mechanism of copy mode is not used: the target is shared; the ledger makes the load
// resumable instead.
import { randomUUID } from "node:crypto";
import { HsdsError } from "../client/errors.js";
import type { DomainHandle, HsdsClient } from "../client/hsds-client.js";
import type { DomainInfo } from "../client/hsds-types.js";
import { foundInDomain } from "./aggregate-adopt.js";
import { recoverStep, retire } from "./aggregate-concatenate.js";
import type { AggregatePlan, AggregateSourceInput, PlannedSource } from "./aggregate-plan.js";
import { planAggregate } from "./aggregate-planner.js";
import { type AggregateSummary, runAggregate } from "./aggregate-run.js";
import { classify, SourceFacts } from "./aggregate-sources.js";
import { emptyTarget, objectIds, readTarget, type TargetState } from "./aggregate-target.js";
import { unlessMissing } from "./aggregate-missing.js";
import { LOCK_ATTRIBUTE } from "./internal-attributes.js";
import { DomainLock, LockBusyError, lockHolder } from "./lock.js";
import { Ledger } from "./ledger.js";
import { type Indexed, type Slot, type SourceRecord, sourcesByName, unfinishedSteps } from "./ledger-records.js";
import { forEachLimited } from "./concurrency.js";
import { settleChunkTables } from "./link-run.js";
import { readLinkSource } from "./link-source.js";
import type { LinkOptions } from "./link-uri.js";
import { targetCreationError, TargetError } from "./load.js";
import { plan, PlanError, type PlanOptions } from "./plan.js";
import type { LoadProgress } from "./run.js";

export interface AggregateOptions extends Pick<PlanOptions, "ignore" | "ignoreFilters" | "defaultCompression"> {
  parallel: number;
  /** --link: datasets reference the sources' chunks; files stacked or extended share one chunk table. */
  link?: LinkOptions;
  /** --extend: grow the datasets along the dimension of this dimension scale. */
  extend?: string;
  /** --extend-offset: where along that dimension the run's first source goes (default: the end). */
  extendOffset?: number;
  /** --sort: order new sources by "name", or by the first value of this dimension scale (default: as given). */
  sort?: string;
  /** Reload sources that are loaded already, into their recorded slots. */
  force?: boolean;
  /** Plan only. */
  dryRun?: boolean;
  /** --wait: seconds to wait for another load of the domain to finish. */
  waitSeconds?: number;
  /** Refuse an existing domain (--extend without -a starts a new one). */
  newDomainOnly?: boolean;
  memoryBudget?: number;
  signal?: AbortSignal;
  /** Things worth telling that are not errors (a lock taken over, a source to resume that is gone). */
  onNote?: (message: string) => void;
  /** The plan that is about to be carried out. */
  onPlan?: (plan: AggregatePlan) => void;
  onProgress?: (progress: LoadProgress) => void;
  onComplete?: (source: PlannedSource) => void;
}

export interface AggregateOutcome {
  domain: string;
  run: string;
  dryRun: boolean;
  plan: AggregatePlan;
  /** Absent when nothing was written (dry run, or every source loaded already). */
  summary?: AggregateSummary;
  seconds: number;
}

/** Sources read (tree, checksum, comparison with the domain) at once. */
const SOURCES_AT_ONCE = 4;
/** Runs of up to this many files keep their readers open throughout. */
const KEPT_OPEN = 8;

/** The domain as the plan sees it. */
interface DomainView {
  info: DomainInfo | undefined;
  target: TargetState;
  ledger: Ledger | undefined;
}

type Found = Record<string, Slot | null> | undefined;

export async function aggregateFiles(client: HsdsClient, files: readonly string[], target: string, options: AggregateOptions): Promise<AggregateOutcome> {
  // A run of a few files keeps each file's reader open from its first read to its values: opening one costs
  // about a quarter of a second (the HDF5 library is compiled anew in each worker), holding one some 40 MB.
  const keepOpen = files.length <= KEPT_OPEN;
  const facts = await Promise.all(files.map((file) => SourceFacts.of(file, { keepOpen })));
  const named = new Map<string, string>();
  for (const f of facts) {
    const other = named.get(f.identity.name);
    if (other !== undefined) throw new TargetError(`${other} and ${f.file} have the same name ${f.identity.name}; the ledger tells sources apart by name`);
    named.set(f.identity.name, f.file);
  }
  const run = new AggregateRun(client.domain(target), facts, options);
  try {
    return await run.carryOut();
  } finally {
    await run.closeSources();
  }
}

/** One run: its sources, the domain as last read, and the steps from plan to loaded. */
class AggregateRun {
  private readonly started = performance.now();
  private readonly run = randomUUID();
  /** Every source of the run by path, those a stopped run left too. */
  private readonly sources = new Map<string, SourceFacts>();
  /** Comparisons with the domain, once per file unless the ledger changed (another run recorded files). */
  private readonly found = new Map<string, Promise<Found>>();
  private view: DomainView = { info: undefined, target: emptyTarget(), ledger: undefined };

  constructor(
    private readonly domain: DomainHandle,
    private readonly given: readonly SourceFacts[],
    private readonly options: AggregateOptions,
  ) {
    for (const f of given) this.sources.set(f.file, f);
  }

  async carryOut(): Promise<AggregateOutcome> {
    const { domain, options } = this;
    const existing = await domain.getIfExists();
    if (existing?.class === "folder") throw new TargetError(`${domain.path} is a folder; -a loads into one domain`);
    if (existing && options.newDomainOnly) throw new TargetError(`domain exists: ${domain.path} (-a appends to it)`);

    // Check and plan without the lock: a run that cannot succeed writes nothing, not even a new domain.
    await this.readView(existing);
    let prepared = await this.prepare();
    if (options.dryRun) return this.outcome(prepared.plan);
    if (!this.needsWrite(prepared.plan)) {
      if (existing) await this.releaseStaleLock(existing.root!);
      return this.outcome(prepared.plan);
    }

    const created = existing === undefined && (await createDomain(domain, prepared.plan));
    const rootId = (await domain.get()).root!;
    const lock = await DomainLock.acquire(domain, rootId, lockHolder(this.run), { waitSeconds: options.waitSeconds ?? 0, signal: options.signal, onNote: options.onNote });
    let anyComplete = false;
    let removed = false;
    try {
      await this.readView(await domain.get());
      if (await this.recover()) await this.readView(this.view.info);
      prepared = await this.prepare();
      if (!this.needsWrite(prepared.plan)) return this.outcome(prepared.plan);
      options.onPlan?.(prepared.plan);
      const ledger = this.view.ledger ?? (await Ledger.create(domain, rootId));
      await ledger.settle(rootId);
      const summary = await runAggregate(
        { domain, target: this.view.target, ledger, run: this.run, plan: prepared.plan, inputs: prepared.inputs, source: (file) => this.sources.get(file)! },
        {
          parallel: options.parallel,
          memoryBudget: options.memoryBudget,
          signal: options.signal,
          onProgress: options.onProgress,
          onComplete: (source) => {
            anyComplete = true;
            options.onComplete?.(source);
          },
        },
      );
      return this.outcome(prepared.plan, summary);
    } catch (err) {
      // A domain this run made and filled with nothing complete is not worth keeping (nor resuming).
      if (created && !anyComplete) removed = await removeQuietly(domain);
      throw err;
    } finally {
      if (!removed) await releaseQuietly(lock, options);
    }
  }

  async closeSources(): Promise<void> {
    await Promise.all([...this.sources.values()].map((f) => f.close()));
  }

  private outcome(plan: AggregatePlan, summary?: AggregateSummary): AggregateOutcome {
    return { domain: this.domain.path, run: this.run, dryRun: this.options.dryRun === true, plan, summary, seconds: (performance.now() - this.started) / 1000 };
  }

  private async readView(info: DomainInfo | undefined): Promise<void> {
    if (!info) return;
    const rootId = info.root!;
    const [target, ledger] = await Promise.all([readTarget(this.domain, rootId, this.options.parallel), Ledger.open(this.domain, rootId)]);
    this.view = { info, target, ledger };
  }

  /**
   * A run with nothing to write still lets go of the lock a dead process of this host left (one stopped after its
   * last record was complete), as a run that writes would take it over; a live holder's lock is left alone.
   */
  private async releaseStaleLock(rootId: string): Promise<void> {
    if ((await unlessMissing(() => this.domain.getAttribute(rootId, LOCK_ATTRIBUTE))) === undefined) return;
    let lock: DomainLock;
    try {
      lock = await DomainLock.acquire(this.domain, rootId, lockHolder(this.run), { waitSeconds: 0, signal: this.options.signal, onNote: this.options.onNote });
    } catch (err) {
      if (err instanceof LockBusyError) return;
      throw err;
    }
    await releaseQuietly(lock, this.options);
  }

  private needsWrite(plan: AggregatePlan): boolean {
    const ledger = this.view.ledger;
    return plan.sources.some((s) => s.status !== "skip") || (ledger !== undefined && unfinishedSteps(ledger.records).length > 0);
  }

  /**
   * Settle the chunk tables a stopped run was creating, then finish or undo the concatenations it left half-done;
   * true when anything changed.
   */
  private async recover(): Promise<boolean> {
    const { ledger, target } = this.view;
    const tables = await settleChunkTables(this.domain, target);
    const steps = ledger ? unfinishedSteps(ledger.records) : [];
    for (const { index, record } of steps) {
      const newId = await recoverStep(this.domain, record);
      if (newId !== undefined) await retire(this.domain, objectIds(target), new Map([[record.old, newId]]), this.options.parallel);
      await ledger!.rewrite(index, { ...record, state: newId === undefined ? "abandoned" : "done" });
    }
    return tables || steps.length > 0;
  }

  /** The sources classified against the ledger, the loading ones read, in load order, and the plan. */
  private async prepare(): Promise<{ plan: AggregatePlan; inputs: AggregateSourceInput[] }> {
    const { view, options } = this;
    const records = view.ledger?.records ?? [];
    const byName = sourcesByName(records);
    const facts = [...this.given];
    // Sources a stopped run was loading are completed even when not named this time, if they are still there.
    const names = new Set(facts.map((f) => f.identity.name));
    for (const { record } of byName.values()) {
      if (record.state !== "loading" || names.has(record.name)) continue;
      try {
        const left = this.sources.get(record.path) ?? (await SourceFacts.of(record.path));
        this.sources.set(left.file, left);
        facts.push(left);
      } catch {
        options.onNote?.(`${record.path}: its interrupted load cannot be completed: the file is gone; its slots stay reserved`);
      }
    }
    const planOptions: PlanOptions = {
      ignore: options.ignore,
      ignoreFilters: options.ignoreFilters,
      defaultCompression: options.defaultCompression,
      compressors: view.info?.compressors,
      maxChunkSize: view.info?.limits?.max_chunk_size,
    };
    const sortBy = options.sort !== undefined && options.sort !== "name" ? options.sort : undefined;
    const inputs: SortableInput[] = [];
    // A few at a time: reading a source opens a reader thread.
    await forEachLimited(facts.entries(), SOURCES_AT_ONCE, async ([index, f]) => {
      inputs[index] = await sourceInput(f, {
        entry: byName.get(f.identity.name),
        force: options.force === true,
        planOptions,
        link: options.link,
        sortBy,
        inDomain: view.info === undefined ? undefined : (input) => this.inDomain(input, f),
      });
    });
    const earlier = inputs.filter((s) => s.status === "resume" || s.status === "reload").sort((a, b) => a.record!.index - b.record!.index);
    const skipped = inputs.filter((s) => s.status === "skip");
    const adopted = inputs.filter((s) => s.status === "adopt");
    const fresh = inputs.filter((s) => s.status === "new");
    if (options.sort === "name") fresh.sort((a, b) => compare(a.identity.name, b.identity.name));
    else if (sortBy !== undefined) fresh.sort((a, b) => compare(a.sortKey!, b.sortKey!) || compare(a.identity.name, b.identity.name));
    const ordered = [...skipped, ...adopted, ...earlier, ...fresh].map(({ sortKey: _, ...input }) => input);
    const aggregatePlan = planAggregate({
      domain: this.domain.path,
      target: view.target,
      newDomain: view.info === undefined,
      ledger: records,
      sources: ordered,
      extend: options.extend,
      extendOffset: options.extendOffset,
    });
    return { plan: aggregatePlan, inputs: ordered };
  }

  private inDomain(input: AggregateSourceInput, facts: SourceFacts): Promise<Found> {
    const { view } = this;
    const key = `${input.file}\0${view.ledger?.records.length ?? 0}`;
    if (!this.found.has(key)) {
      const context = { domain: this.domain, target: view.target, ledger: view.ledger?.records ?? [], extend: this.options.extend };
      this.found.set(key, foundInDomain(facts, input.loadPlan!, input.tree!, context));
    }
    return this.found.get(key)!;
  }
}

type SortableInput = AggregateSourceInput & { sortKey?: number | string };

/** One source classified against its ledger record and, unless skipped, read and planned (copied or linked). */
async function sourceInput(
  facts: SourceFacts,
  how: {
    entry: Indexed<SourceRecord> | undefined;
    force: boolean;
    planOptions: PlanOptions;
    link: LinkOptions | undefined;
    sortBy: string | undefined;
    /** Where the domain holds the source's values without a record of them (absent for a new domain). */
    inDomain: ((input: AggregateSourceInput) => Promise<Found>) | undefined;
  },
): Promise<SortableInput> {
  const { status, reason, sha256 } = await classify(facts, how.entry, how.force);
  const input: SortableInput = { file: facts.file, identity: { ...facts.identity, sha256 }, status };
  if (reason !== undefined) input.reason = reason;
  if (how.entry) input.record = how.entry;
  if (status === "skip") return input;
  const { tree, sortKey } = await facts.contentsOf(status === "new" ? how.sortBy : undefined);
  const link = how.link && (await readLinkSource(facts.file, tree, how.link));
  try {
    input.loadPlan = plan(tree, { ...how.planOptions, link });
  } catch (err) {
    if (err instanceof PlanError) err.message = `${facts.file}: ${err.message}`;
    throw err;
  }
  input.tree = tree;
  if (sortKey !== undefined) input.sortKey = sortKey;
  // Values no record accounts for may be this file's, loaded without -a.
  const found = status === "new" ? await how.inDomain?.(input) : undefined;
  if (found) {
    input.status = "adopt";
    input.reason = "already in the domain (loaded without -a)";
    input.found = found;
  }
  return input;
}

function compare(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Create the domain; false when another run created it first. */
async function createDomain(domain: DomainHandle, plan: AggregatePlan): Promise<boolean> {
  try {
    await domain.create({ rootCreationProperties: plan.rootCreationProperties });
    return true;
  } catch (err) {
    if (err instanceof HsdsError && err.status === 409) return false;
    throw targetCreationError(err, domain.path) ?? err;
  }
}

async function removeQuietly(domain: DomainHandle): Promise<boolean> {
  try {
    await domain.delete();
    return true;
  } catch {
    return false;
  }
}

/** Release the lock without hiding the error that ended the run. */
async function releaseQuietly(lock: DomainLock, options: AggregateOptions): Promise<void> {
  try {
    await lock.release();
  } catch (err) {
    options.onNote?.(`could not release the lock of the domain: ${(err as Error).message}`);
  }
}

// What an aggregate run writes to the ledger: before anything else, every loading source's record ("loading",
// with the slots its values go to) and every concatenation's step; at the end, each record turned "complete"
// once its source and every source before it in load order are done, so that the unfinished records a
// stopped run leaves are always the last ones (their attributes are then applied again in the same order).
import { randomBytes } from "node:crypto";
import type { DatasetChange, PlannedSource } from "./aggregate-plan.js";
import type { TargetState } from "./aggregate-target.js";
import type { Ledger } from "./ledger.js";
import type { SourceRecord, StepRecord } from "./ledger-records.js";

export type Concatenation = Extract<DatasetChange, { change: "concatenate" }>;

export class RunRecords {
  private readonly records = new Map<number, { index: number; record: SourceRecord }>();
  private readonly steps = new Map<string, { index: number; record: StepRecord }>();
  private readonly finished = new Set<number>();
  private completed = 0;
  private tail = Promise.resolve();

  constructor(
    private readonly ledger: Ledger,
    private readonly run: string,
    /** The plan's sources, and the positions of the loading ones in load order. */
    private readonly sources: readonly PlannedSource[],
    private readonly loading: readonly number[],
    private readonly onComplete?: (source: PlannedSource) => void,
  ) {}

  /** New sources' records appended, resumed and reloaded ones rewritten for this run, all "loading". */
  async recordSources(): Promise<void> {
    const now = new Date().toISOString();
    const fresh: number[] = [];
    for (const position of this.loading) {
      const source = this.sources[position]!;
      const { name, path, size, mtime, sha256 } = source.identity;
      const record: SourceRecord = { name, path, size, mtime, sha256: sha256!, state: "loading", loaded: now, slots: source.slots, run: this.run };
      if (source.record === undefined) fresh.push(position);
      else await this.ledger.rewrite(source.record, record);
      this.records.set(position, { index: source.record ?? -1, record });
    }
    const indices = await this.ledger.append(fresh.map((position) => this.records.get(position)!.record));
    fresh.forEach((position, i) => (this.records.get(position)!.index = indices[i]!));
  }

  /** Each concatenation's step, before it starts: the dataset it replaces and every link that must move. */
  async recordSteps(concatenations: readonly Concatenation[], target: TargetState): Promise<void> {
    const records = concatenations.map((change): StepRecord => {
      const slash = change.path.lastIndexOf("/");
      const parent = target.entries.get(change.path.slice(0, slash) || "/") as { id: string };
      const primary = { group: parent.id, title: change.path.slice(slash + 1) };
      const others = (target.linksTo.get(change.id) ?? []).filter((l) => l.group !== primary.group || l.title !== primary.title);
      const temp = `${primary.title}.hsload-${randomBytes(4).toString("hex")}`;
      return { step: "concatenate", path: change.path, old: change.id, temp, links: [primary, ...others], state: "started", run: this.run };
    });
    const indices = await this.ledger.append(records);
    records.forEach((record, i) => this.steps.set(record.path, { index: indices[i]!, record }));
  }

  step(path: string): StepRecord {
    return this.steps.get(path)!.record;
  }

  async stepsDone(): Promise<void> {
    for (const { index, record } of this.steps.values()) await this.ledger.rewrite(index, { ...record, state: "done" });
  }

  /** Records of earlier runs whose values became row 0 of a dataset this run concatenates. */
  async moveToRows(updates: readonly { index: number; path: string; slot: SourceRecord["slots"][string] }[]): Promise<void> {
    for (const update of updates) {
      const record = this.ledger.records.find((r) => r.index === update.index)!.record as SourceRecord;
      await this.ledger.rewrite(update.index, { ...record, slots: { ...record.slots, [update.path]: update.slot } });
    }
  }

  /** The source at `position` is done; records turn complete in load order, one write at a time. */
  done(position: number): Promise<void> {
    this.finished.add(position);
    const next = this.tail.then(async () => {
      while (this.completed < this.loading.length && this.finished.has(this.loading[this.completed]!)) {
        const current = this.loading[this.completed]!;
        const { index, record } = this.records.get(current)!;
        await this.ledger.rewrite(index, { ...record, state: "complete", loaded: new Date().toISOString() });
        this.onComplete?.(this.sources[current]!);
        this.completed++;
      }
    });
    this.tail = next.catch(() => undefined);
    return next;
  }
}

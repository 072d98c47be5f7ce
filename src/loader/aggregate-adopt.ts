// Values no ledger record accounts for: what a load without -a put in the domain (plain hsload, or h5pyd),
// in place or, after a concatenation, as row 0. A later -a run given that file again cannot find it in the
// ledger and would append it a second time. So before a new source is loaded, the regions of the domain that
// no record claims are compared with it: when every dataset of the source is found there (in place, as an
// unclaimed row, or at an unclaimed position along the --extend dimension), the source is recorded as loaded
// at those slots instead. Nothing is read unless such an unclaimed region exists.
import type { DomainHandle } from "../client/hsds-client.js";
import type { Hdf5Source } from "../hdf5/source/hdf5-source.js";
import { type Box, boxElements, boxSelect } from "../hdf5/source/box.js";
import type { SourceDataset, SourceTree } from "../hdf5/source/source-tree.js";
import { itemSize, VARIABLE } from "../model/datatype.js";
import { scaleDimension, valueTypeKey } from "./aggregate-planner.js";
import type { SourceFacts } from "./aggregate-sources.js";
import type { TargetState } from "./aggregate-target.js";
import { readBlocks } from "./block-plan.js";
import { type Indexed, isStep, type LedgerRecord, type Slot } from "./ledger-records.js";
import { linkedRefsOf } from "./link-aggregate.js";
import type { LoadPlan, PlannedDataset } from "./load-plan.js";
import { containsReferences } from "./reference-rewrite.js";
import { fillBlock } from "./value-copy.js";

/** Compared a block at a time, so a difference is found after one small read. */
const COMPARE_BLOCK_BYTES = 4 * 1024 * 1024;

export interface AdoptionContext {
  domain: DomainHandle;
  target: TargetState;
  ledger: readonly Indexed<LedgerRecord>[];
  extend?: string;
}

/** Where a dataset of the source could be in the domain: in place, or one of several unclaimed slots. */
type Candidates = { kind: "in place"; unclaimed: boolean } | { kind: "row"; rows: number[] } | { kind: "along"; dim: number; starts: number[] };

/** The slots where the domain already holds the source's values in unclaimed regions, or undefined. */
export async function foundInDomain(facts: SourceFacts, plan: LoadPlan, tree: SourceTree, ctx: AdoptionContext): Promise<Record<string, Slot | null> | undefined> {
  const claims = claimsByPath(ctx.ledger);
  const objects = new Map(tree.objects.map((o) => [o.key, o]));
  // Datasets without values (never written) say nothing either way; linked ones (--link) are compared by value too.
  const datasets = plan.datasets.filter((d) => (d.values !== "none" || linkedRefsOf(d) !== undefined) && d.shape !== "H5S_NULL");
  if (datasets.length === 0) return undefined;
  const candidates = new Map<PlannedDataset, Candidates>();
  for (const d of datasets) {
    const there = ctx.target.entries.get(d.path);
    // References name source objects in the file and domain objects in the domain: not comparable as bytes.
    if (there?.kind !== "dataset" || there.shape === null || containsReferences(d.type.type) || valueTypeKey(there.type) !== valueTypeKey(d.type.type)) return undefined;
    const dim = ctx.extend === undefined ? undefined : scaleDimension(objects.get(d.key) as SourceDataset, objects, ctx.extend);
    const found = candidatesOf(d.shape as number[], there.shape, dim, claims.get(d.path));
    if (!found) return undefined;
    candidates.set(d, found);
  }
  // The same row, or the same position along the dimension, for every dataset that has one.
  const rows = common([...candidates.values()].flatMap((c) => (c.kind === "row" ? [c.rows] : [])));
  const starts = common([...candidates.values()].flatMap((c) => (c.kind === "along" ? [c.starts] : [])));
  const bySlot = [...candidates.values()].some((c) => c.kind !== "in place");
  const positional = bySlot || [...candidates.values()].some((c) => c.kind === "in place" && c.unclaimed);
  if (!positional || rows?.length === 0 || starts?.length === 0) return undefined;

  return facts.use(async (source) => {
    for (const row of rows ?? [undefined]) {
      for (const start of starts ?? [undefined]) {
        const slots = new Map<PlannedDataset, Slot | null>();
        const compared = new Map<PlannedDataset, Slot | null>();
        for (const [d, c] of candidates) {
          const shape = d.shape as number[];
          const slot = c.kind === "in place" ? null : c.kind === "row" ? { dim: 0, start: row!, count: 1, stacked: true as const } : { dim: c.dim, start: start!, count: shape[c.dim]! };
          slots.set(d, slot);
          // In place, a later source may have written over this one's values: those are compared only when
          // nothing else can tell (a file loaded on its own).
          if (c.kind !== "in place" || (!bySlot && c.unclaimed)) compared.set(d, slot);
        }
        if (await allEqual(source, ctx.domain, ctx.target, compared)) return Object.fromEntries([...slots].map(([d, slot]) => [d.path, slot]));
      }
    }
    return undefined;
  });
}

function candidatesOf(shape: number[], there: number[], dim: number | undefined, claimed: (Slot | null)[] | undefined): Candidates | undefined {
  const same = shape.length === there.length && shape.every((n, d) => n === there[d] || d === dim);
  if (dim !== undefined && same) {
    const taken = (claimed ?? []).flatMap((s) => (s && !s.stacked && s.dim === dim ? [[s.start, s.start + s.count] as const] : []));
    const starts: number[] = [];
    for (let start = 0; start + shape[dim]! <= there[dim]!; start += shape[dim]!) {
      if (!taken.some(([a, b]) => start < b && start + shape[dim]! > a)) starts.push(start);
    }
    return starts.length > 0 ? { kind: "along", dim, starts } : undefined;
  }
  // In place, the values are the last in-place writer's: unclaimed when no record wrote there in place.
  if (same) return { kind: "in place", unclaimed: !(claimed ?? []).includes(null) };
  if (there.length === shape.length + 1 && shape.every((n, d) => n === there[d + 1])) {
    const taken = new Set((claimed ?? []).flatMap((s) => (s?.stacked ? [s.start] : [])));
    const rows = Array.from({ length: there[0]! }, (_, r) => r).filter((r) => !taken.has(r));
    return rows.length > 0 ? { kind: "row", rows } : undefined;
  }
  return undefined;
}

/** Per dataset path, every slot a source record holds there (null for in place). */
function claimsByPath(ledger: readonly Indexed<LedgerRecord>[]): Map<string, (Slot | null)[]> {
  const out = new Map<string, (Slot | null)[]>();
  for (const { record } of ledger) {
    if (isStep(record)) continue;
    for (const [path, slot] of Object.entries(record.slots)) out.set(path, [...(out.get(path) ?? []), slot]);
  }
  return out;
}

/** The values every list has, or undefined when there are no lists. */
function common(lists: number[][]): number[] | undefined {
  if (lists.length === 0) return undefined;
  return lists[0]!.filter((v) => lists.every((l) => l.includes(v)));
}

async function allEqual(source: Hdf5Source, domain: DomainHandle, target: TargetState, slots: Map<PlannedDataset, Slot | null>): Promise<boolean> {
  for (const [d, slot] of slots) {
    const id = (target.entries.get(d.path) as { id: string }).id;
    const shape = d.shape as number[];
    const size = itemSize(d.type.type);
    const blocks: Iterable<Box> = shape.length === 0 ? [{ start: [], count: [] }] : readBlocks(shape, d.sourceChunks ?? linkedRefsOf(d)?.refs.chunk ?? shape, undefined, size === VARIABLE ? 128 : size, COMPARE_BLOCK_BYTES);
    for (const box of blocks) {
      const there = placed(box, slot);
      const [mine, theirs] = await Promise.all([source.readBlock(d.key, box), domain.readValue(id, { select: there.start.length === 0 ? undefined : boxSelect(there) })]);
      const expected = mine.allocated ? mine.bytes : fillBlock(d.fill, size, boxElements(box));
      if (Buffer.compare(Buffer.from(expected), Buffer.from(theirs)) !== 0) return false;
    }
  }
  return true;
}

function placed(box: Box, slot: Slot | null): Box {
  if (slot === null) return box;
  if (slot.stacked) return { start: [slot.start, ...box.start], count: [1, ...box.count] };
  return { start: box.start.map((s, d) => (d === slot.dim ? s + slot.start : s)), count: box.count };
}

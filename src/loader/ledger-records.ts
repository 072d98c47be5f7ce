// What the ledger of an aggregated domain holds (pure): one record per loaded source, saying which file it was
// and where its values went, and one record per structure change in progress (a concatenation), so that a
// re-run skips what is loaded and a killed run can be completed. Each record is one JSON text.

/**
 * Where a source's values of one dataset went: `count` indices from `start` along dimension `dim` of the target.
 * `stacked`: the source fills index `start` of a leading dimension the target has in addition (a concatenation
 * row); `dim` is then 0 and `count` 1.
 */
export interface Slot {
  dim: number;
  start: number;
  count: number;
  stacked?: true;
}

export type SourceState = "loading" | "complete";

export interface SourceRecord {
  /** The source's base name: what tells sources apart. */
  name: string;
  /** The path as it was given. */
  path: string;
  size: number;
  /** ISO 8601, milliseconds. */
  mtime: string;
  sha256: string;
  state: SourceState;
  /** When the record last changed state (ISO 8601). */
  loaded: string;
  /** Per target dataset path: its slot, or null for values written in place. */
  slots: Record<string, Slot | null>;
  run: string;
}

/**
 * A concatenation: `path` linked `old`; a new dataset with one more dimension is made under the temporary link
 * name `temp` in the same group, then every link to `old` (`links`, the first being `path` itself) is moved to
 * it and `old` is deleted. "abandoned" steps were rolled back before their links moved.
 */
export interface StepRecord {
  step: "concatenate";
  path: string;
  old: string;
  temp: string;
  links: { group: string; title: string }[];
  state: "started" | "done" | "abandoned";
  run: string;
}

export type LedgerRecord = SourceRecord | StepRecord;

export interface Indexed<T> {
  /** The record's index in the ledger dataset. */
  index: number;
  record: T;
}

export class LedgerError extends Error {
  override name = "LedgerError";
}

export function isStep(record: LedgerRecord): record is StepRecord {
  return "step" in record;
}

/** The records of the ledger's elements; empty elements (an append cut short) are skipped. */
export function parseLedger(elements: readonly string[], where: string): Indexed<LedgerRecord>[] {
  const out: Indexed<LedgerRecord>[] = [];
  elements.forEach((text, index) => {
    if (text === "") return;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      throw new LedgerError(`record ${index} of the ledger of ${where} is not JSON`);
    }
    if (!isRecord(record)) throw new LedgerError(`record ${index} of the ledger of ${where} is not a source or step record`);
    out.push({ index, record });
  });
  return out;
}

function isRecord(value: unknown): value is LedgerRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  if ("step" in r) return typeof r.path === "string" && typeof r.old === "string" && typeof r.temp === "string" && Array.isArray(r.links);
  return typeof r.name === "string" && typeof r.size === "number" && typeof r.mtime === "string" && typeof r.slots === "object" && r.slots !== null;
}

export function serializeRecord(record: LedgerRecord): string {
  return JSON.stringify(record);
}

/** The source records by name; a later record of a name wins (there is normally one). */
export function sourcesByName(records: readonly Indexed<LedgerRecord>[]): Map<string, Indexed<SourceRecord>> {
  const out = new Map<string, Indexed<SourceRecord>>();
  for (const r of records) if (!isStep(r.record)) out.set(r.record.name, r as Indexed<SourceRecord>);
  return out;
}

export function unfinishedSteps(records: readonly Indexed<LedgerRecord>[]): Indexed<StepRecord>[] {
  return records.filter((r): r is Indexed<StepRecord> => isStep(r.record) && r.record.state === "started");
}

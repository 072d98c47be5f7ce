// What hsload says about a finished load: one summary line for people, one JSON object for programs.
import type { LoadOutcome } from "./load.js";
import type { PlanNote } from "./load-plan.js";

/** Decimal units, as file managers and `ls -h --si` show sizes. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function summaryLine(outcome: LoadOutcome): string {
  if (outcome.status === "skipped") return `${outcome.source}: skipped, ${outcome.reason}: ${outcome.domain}`;
  const { summary: s, seconds } = outcome;
  const objects = [plural(s.groups, "group"), plural(s.datasets, "dataset")];
  if (s.datatypes > 0) objects.push(plural(s.datatypes, "datatype"));
  const rate = seconds > 0 ? ` (${formatBytes(s.bytes / seconds)}/s)` : "";
  const left = outcome.plan.skipped.length > 0 ? `; ${plural(outcome.plan.skipped.length, "item")} left out` : "";
  return `${outcome.source} -> ${outcome.domain}: ${objects.join(", ")}, ${plural(s.attributes, "attribute")}, ${formatBytes(s.bytes)} in ${seconds.toFixed(1)} s${rate}${left}`;
}

/** Lines naming what was left out and what was changed (printed with --verbose, and always for left-out items). */
export function noteLines(outcome: LoadOutcome): { skipped: string[]; notes: string[] } {
  if (outcome.status === "skipped") return { skipped: [], notes: [] };
  const line = (n: PlanNote) => `${outcome.source}: ${n.path}: ${n.message}`;
  const notes = outcome.plan.notes.map(line);
  if (outcome.summary.nullReferences > 0) {
    notes.push(`${outcome.source}: ${plural(outcome.summary.nullReferences, "reference")} to objects that are not copied written as null references`);
  }
  return { skipped: outcome.plan.skipped.map((n) => `${outcome.source}: ${n.path}: left out: ${n.message}`), notes };
}

export function outcomeJson(outcome: LoadOutcome): Record<string, unknown> {
  if (outcome.status === "skipped") return { source: outcome.source, domain: outcome.domain, status: "skipped", reason: outcome.reason };
  const { summary: s, seconds } = outcome;
  return {
    source: outcome.source,
    domain: outcome.domain,
    status: "loaded",
    replaced: outcome.replaced,
    groups: s.groups,
    datasets: s.datasets,
    datatypes: s.datatypes,
    links: s.links,
    attributes: s.attributes,
    bytes: s.bytes,
    writes: s.writes,
    bytes_written: s.bytesWritten,
    seconds: Number(seconds.toFixed(3)),
    bytes_per_second: seconds > 0 ? Math.round(s.bytes / seconds) : null,
    null_references: s.nullReferences,
    skipped: outcome.plan.skipped,
    notes: outcome.plan.notes,
  };
}

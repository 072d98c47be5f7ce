// What hsload -a says about a plan and a run: lines for people (one per source, and with --dry-run or
// --verbose one per dataset) and one JSON object for programs.
import type { AggregatePlan, DatasetChange, DatasetPlacement, PlannedSource } from "./aggregate-plan.js";
import { pyShape } from "./aggregate-planner.js";
import type { AggregateOutcome } from "./aggregate.js";
import { formatBytes } from "./load-report.js";

/** "spliced", "concatenated at row 2", "extended along time from 3 to 4", "unchanged"; ", linked" with --link. */
export function describePlacement(placement: DatasetPlacement, extend: string | undefined): string {
  const action = describeAction(placement, extend);
  return placement.linked ? `${action}, linked` : action;
}

function describeAction(placement: DatasetPlacement, extend: string | undefined): string {
  switch (placement.action) {
    case "concatenated":
      return `concatenated at row ${placement.slot!.start}`;
    case "extended": {
      const slot = placement.slot!;
      const along = extend ?? `dimension ${slot.dim}`;
      const { from, to } = placement.extent!;
      return from === to ? `written along ${along} at ${slot.start} to ${slot.start + slot.count}` : `extended along ${along} from ${from} to ${to}`;
    }
    case "unchanged":
      return placement.write || placement.bytes === 0 ? "unchanged" : "unchanged (a later file writes its values)";
    default:
      return placement.action;
  }
}

export function describeChange(change: DatasetChange): string {
  switch (change.change) {
    case "create": {
      const shared = change.chunkTable?.fileUris !== undefined ? ", linked through one chunk table for all its files" : "";
      return `created ${change.shape === "H5S_NULL" ? "with a null dataspace" : pyShape(change.shape)}${change.maxdims ? `, maxshape ${maxShape(change.maxdims)}` : ""}${shared}`;
    }
    case "concatenate":
      return `${pyShape(change.from)} becomes ${pyShape(change.shape)}; ${change.linked ? "its chunk references become row 0 of one chunk table" : "its values become row 0"}`;
    case "resize":
      return `resized from ${pyShape(change.from)} to ${pyShape(change.shape)}${change.tableShape ? ", with its chunk table" : ""}`;
  }
}

/** As h5py shows a maxshape: unlimited is None. */
function maxShape(maxdims: readonly number[]): string {
  const dims = maxdims.map((m) => (m === 0 ? "None" : String(m)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
}

/** One line per source: "skipped (already loaded)", or each of its datasets. */
export function planLines(plan: AggregatePlan): string[] {
  const lines: string[] = [];
  for (const source of plan.sources) {
    if (source.status === "skip") {
      lines.push(`${source.file}: skipped (${source.reason})`);
      continue;
    }
    if (source.status === "adopt") {
      lines.push(`${source.file}: ${source.reason}: recorded as loaded`);
      continue;
    }
    const how = source.status === "new" ? "" : ` (${source.status === "resume" ? "resuming an interrupted load" : "reloading into its recorded slots"})`;
    if (source.datasets.length === 0) lines.push(`${source.file}: no datasets${how}`);
    for (const placement of source.datasets) lines.push(`${source.file}: ${placement.path}: ${describePlacement(placement, plan.extend)}${how}`);
  }
  for (const change of plan.datasets) lines.push(`${plan.domain}: ${change.path}: ${describeChange(change)}`);
  return lines;
}

/** The line printed when a source's load is complete, or when it is skipped. */
export function sourceLine(source: PlannedSource, domain: string, extend: string | undefined): string {
  if (source.status === "skip") return `${source.file}: skipped: ${source.reason}`;
  if (source.status === "adopt") return `${source.file}: ${source.reason}: recorded as loaded`;
  const verb = source.status === "new" ? "loaded" : source.status === "resume" ? "resumed" : "reloaded";
  const counts = new Map<string, number>();
  for (const placement of source.datasets) {
    const what = placement.action === "concatenated" ? `concatenated at row ${placement.slot!.start}` : placement.action === "extended" ? `extended along ${extend ?? `dimension ${placement.slot!.dim}`}` : placement.action;
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  const parts = [...counts].map(([what, n]) => `${n} ${what}`);
  return `${source.file} -> ${domain}: ${verb}${parts.length > 0 ? ` (datasets: ${parts.join(", ")})` : ""}`;
}

export function summaryLine(outcome: AggregateOutcome): string {
  const sources = outcome.plan.sources;
  const count = (...statuses: string[]) => sources.filter((s) => statuses.includes(s.status)).length;
  const loaded = count("new", "resume", "reload");
  const skipped = count("skip");
  const adopted = count("adopt") > 0 ? `, ${count("adopt")} found in the domain` : "";
  const s = outcome.summary;
  const bytes = s ? `, ${formatBytes(s.bytes)} in ${outcome.seconds.toFixed(1)} s` : "";
  const rate = s && outcome.seconds > 0 ? ` (${formatBytes(s.bytes / outcome.seconds)}/s)` : "";
  return `${outcome.domain}: ${loaded} loaded, ${skipped} skipped${adopted}${bytes}${rate}`;
}

export function outcomeJson(outcome: AggregateOutcome): Record<string, unknown> {
  const { plan, summary } = outcome;
  return {
    domain: outcome.domain,
    run: outcome.run,
    dry_run: outcome.dryRun,
    extend: plan.extend ?? null,
    sources: plan.sources.map((source) => ({
      source: source.file,
      name: source.name,
      status: source.status,
      ...(source.reason !== undefined ? { reason: source.reason } : {}),
      datasets: source.datasets.map((p) => ({ path: p.path, action: p.action, description: describePlacement(p, plan.extend), slot: p.slot, write: p.write, linked: p.linked ?? null })),
    })),
    changes: plan.datasets.map((change) => ({
      path: change.path,
      change: change.change,
      description: describeChange(change),
      shape: change.shape,
      ...(change.change === "create" ? { maxdims: change.maxdims ?? null } : { from: change.from }),
    })),
    created: { groups: plan.groups.map((g) => g.path), datatypes: plan.datatypes.map((d) => d.path), links: plan.links.map((l) => `${l.group === "/" ? "" : l.group}/${l.name}`) },
    ...(summary
      ? {
          bytes: summary.bytes,
          writes: summary.writes,
          bytes_written: summary.bytesWritten,
          attributes: summary.attributes,
          null_references: summary.nullReferences,
          seconds: Number(outcome.seconds.toFixed(3)),
          bytes_per_second: outcome.seconds > 0 ? Math.round(summary.bytes / outcome.seconds) : null,
        }
      : {}),
  };
}

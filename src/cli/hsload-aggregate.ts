// hsload -a / --extend (with or without --link): the options of an aggregate load, checked, and the run with its
// output: a line per source as it completes (or is skipped), a closing summary, the plan with --dry-run (text or
// --json).
import type { HsdsClient } from "../client/hsds-client.js";
import { aggregateFiles, type AggregateOutcome } from "../loader/aggregate.js";
import { outcomeJson, planLines, sourceLine, summaryLine } from "../loader/aggregate-report.js";
import type { LinkOptions } from "../loader/link-uri.js";
import type { LoadProgress } from "../loader/run.js";
import { CliError, EXIT_USAGE, oneLine } from "./run.js";

export interface AggregateCliOptions {
  append?: boolean;
  extend?: string;
  extendOffset?: number;
  sort?: string;
  dryRun?: boolean;
  wait?: number;
  /** false with -n/--no-clobber. */
  clobber: boolean;
  nodata?: boolean;
  link?: boolean;
  force?: boolean;
  json?: boolean;
  verbose?: boolean;
  ignore?: boolean;
  ignoreFilters?: boolean;
  parallel: number;
}

export interface AggregateRequest {
  sources: string[];
  target: string;
}

export interface AggregateDeps {
  defaultCompression?: { name: string; level: number };
  /** --link, and how sources are named for the server. */
  link?: LinkOptions;
  signal: AbortSignal;
  /** A progress bar on a terminal (absent otherwise). */
  progressBar?: (label: string) => { update: (progress: LoadProgress) => void; stop: () => void };
}

/** The sources and target of an aggregate load, or undefined for a copy load; usage errors exit 2. */
export function aggregateRequest(paths: string[], opts: AggregateCliOptions, parseDomain: (text: string) => string): AggregateRequest | undefined {
  const aggregate = opts.append === true || opts.extend !== undefined;
  const only = ([["--extend-offset", opts.extendOffset], ["--sort", opts.sort], ["--dry-run", opts.dryRun], ["--wait", opts.wait]] as const).find(([, v]) => v !== undefined);
  if (!aggregate) {
    if (only) throw new CliError(`${only[0]} applies to -a (append) loads`, EXIT_USAGE);
    return undefined;
  }
  if (opts.extendOffset !== undefined && opts.extend === undefined) throw new CliError("--extend-offset needs --extend", EXIT_USAGE);
  if (!opts.clobber) throw new CliError("-n/--no-clobber does not apply to -a: sources already loaded are skipped anyway", EXIT_USAGE);
  if (opts.nodata) throw new CliError("--nodata does not apply to -a: a source is recorded as loaded only with its values", EXIT_USAGE);
  if (paths.length < 2) throw new CliError("hsload -a needs source files and a target domain", EXIT_USAGE);
  const target = parseDomain(paths.at(-1)!);
  if (target.endsWith("/")) throw new CliError(`-a loads into one domain: name it, not the folder ${target}`, EXIT_USAGE);
  return { sources: paths.slice(0, -1), target };
}

export async function aggregateLoad(client: HsdsClient, request: AggregateRequest, opts: AggregateCliOptions, deps: AggregateDeps): Promise<void> {
  const out = (line: string) => {
    if (!opts.json) process.stdout.write(`${line}\n`);
  };
  const bar = deps.progressBar?.(request.target);
  let outcome: AggregateOutcome;
  try {
    outcome = await aggregateFiles(client, request.sources, request.target, {
      parallel: opts.parallel,
      link: deps.link,
      extend: opts.extend,
      extendOffset: opts.extendOffset,
      sort: opts.sort,
      force: opts.force,
      dryRun: opts.dryRun,
      waitSeconds: opts.wait,
      newDomainOnly: opts.append !== true,
      ignore: opts.ignore,
      ignoreFilters: opts.ignoreFilters,
      defaultCompression: deps.defaultCompression,
      signal: deps.signal,
      onNote: (message) => process.stderr.write(`${message}\n`),
      onPlan: (plan) => {
        for (const source of plan.sources) if (source.status === "skip") out(sourceLine(source, plan.domain, plan.extend));
      },
      onProgress: bar?.update,
      onComplete: (source) => out(sourceLine(source, request.target, opts.extend)),
    });
  } catch (err) {
    bar?.stop();
    if (opts.json) process.stdout.write(`${JSON.stringify({ domain: request.target, status: "failed", error: oneLine(deps.signal.aborted ? deps.signal.reason : err) }, null, 2)}\n`);
    throw deps.signal.aborted ? deps.signal.reason : err;
  }
  bar?.stop();
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(outcomeJson(outcome), null, 2)}\n`);
    return;
  }
  if (outcome.dryRun) {
    for (const line of planLines(outcome.plan)) out(line);
    return;
  }
  if (!outcome.summary) for (const source of outcome.plan.sources) out(sourceLine(source, outcome.domain, outcome.plan.extend));
  else if (opts.verbose) for (const line of planLines(outcome.plan)) out(line);
  out(summaryLine(outcome));
}

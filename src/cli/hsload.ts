// hsload: copy HDF5 files into HSDS domains, or with --link reference their chunks in place (docs/link.md); with
// -a or --extend, many files into one domain (docs/aggregation.md). Options follow h5pyd's hsload, plus
// --parallel, --json, --force and --ignore. Each file loads into a temporary domain that replaces the target only
// when complete (src/loader/load.ts); an aggregate load keeps a ledger in the domain instead.
import { basename } from "node:path";
import cliProgress from "cli-progress";
import { Command, InvalidArgumentError } from "commander";
import { connect } from "../client/connect.js";
import { HSDS_COMPRESSORS } from "../codecs/filters.js";
import { loadFile, type LoadOutcome } from "../loader/load.js";
import { formatBytes, noteLines, outcomeJson, summaryLine } from "../loader/load-report.js";
import type { LoadProgress } from "../loader/run.js";
import type { LinkOptions } from "../loader/link-uri.js";
import { type AggregateCliOptions, aggregateLoad, aggregateRequest } from "./hsload-aggregate.js";
import { addCommonOptions, type CommonOptions, configFromOptions } from "./common-options.js";
import { createLogger } from "./log.js";
import { CliError, EXIT_USAGE, oneLine } from "./run.js";

/** The options -a shares with a copy load, and its own, are AggregateCliOptions (hsload-aggregate.ts). */
interface HsloadOptions extends CommonOptions, AggregateCliOptions {
  z?: number;
  compression?: string;
  retries: number;
  linkpath?: string;
}

/** gzip's level when only --compression gzip is given (h5py's default); HSDS's for the others. */
const DEFAULT_LEVELS: Record<string, number> = { gzip: 4, deflate: 4 };
const HSDS_DEFAULT_LEVEL = 5;
const EXIT_INTERRUPTED = 130;

function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

export function hsloadCommand(): Command {
  return addCommonOptions(new Command("hsload"))
    .description("Copy HDF5 files into HSDS domains: hsload FILE DOMAIN, or hsload FILE... FOLDER/")
    .argument("<paths...>", "the HDF5 file(s), then the target domain, or a folder ending in / for one domain per file")
    .option("-n, --no-clobber", "skip files whose target domain exists")
    .option("--force", "replace an existing target domain (only once the new copy is complete); with -a, reload sources already loaded into their recorded slots")
    .option("-a, --append", "load the files into one domain, which may exist: splice, concatenate, or with --extend extend; re-runs skip files already loaded")
    .option("--extend <dimscale>", "with -a: grow datasets along the dimension of this dimension scale")
    .option("--extend-offset <n>", "with --extend: write at this index of the extended dimension instead of at its end", integer("--extend-offset", 0))
    .option("--sort <key>", "with -a: load new files in order of their name (name), or of the first value of this dimension scale")
    .option("--dry-run", "with -a: print what the load would do, and write nothing")
    .option("--wait <seconds>", "with -a: wait this long for another load of the domain to finish", integer("--wait", 0))
    .option("--nodata", "create groups, datasets, types, links and attributes, but copy no dataset values")
    .option("-z <level>", "compress datasets that have no compressor, at this level (0-9)", integer("-z", 0, 9))
    .option("--compression <name>", `compressor for -z: ${HSDS_COMPRESSORS.filter((c) => c !== "deflate").join(", ")} (default gzip)`)
    .option("--ignore-filters", "do not carry the source's compression and shuffle filters over")
    .option("--ignore", "leave out what cannot be copied (and report it) instead of failing")
    .option("--link", "link datasets to their chunks in the source file instead of copying them (small, variable-length and compact ones are copied)")
    .option("--linkpath <uri>", "with --link: the file_uri to store (e.g. s3://bucket/key) instead of one made from the source path")
    .option("--parallel <n>", "requests in flight", integer("--parallel", 1, 256), 8)
    .option("--retries <n>", "HTTP retries for failed requests", integer("--retries", 0, 100), 3)
    .option("--json", "print a machine-readable summary on stdout")
    .action(async (paths: string[], opts: HsloadOptions) => {
      const aggregate = aggregateRequest(paths, opts, domainPath);
      const jobs = aggregate ? [] : loadJobs(paths);
      if (opts.force && !opts.clobber) throw new CliError("--force and --no-clobber contradict each other", EXIT_USAGE);
      if (opts.compression !== undefined && !HSDS_COMPRESSORS.includes(opts.compression)) {
        throw new CliError(`unknown --compression ${opts.compression}: use one of ${HSDS_COMPRESSORS.join(", ")}`, EXIT_USAGE);
      }
      if (opts.linkpath !== undefined && !opts.link) throw new CliError("--linkpath needs --link", EXIT_USAGE);
      if (opts.link && opts.nodata) throw new CliError("--nodata and --link contradict each other: a linked dataset has its data", EXIT_USAGE);
      if (opts.linkpath !== undefined && (aggregate?.sources.length ?? jobs.length) > 1) throw new CliError("--linkpath names one file: give one source file", EXIT_USAGE);
      const config = configFromOptions(opts);
      // Only the in-process engine's root is known here; sources under it are then named bucket/path as HSDS does.
      const serverRoot = config.endpoint.kind === "local" ? config.endpoint.dir : undefined;
      const link: LinkOptions | undefined = opts.link ? { linkpath: opts.linkpath, serverRoot } : undefined;
      const log = createLogger({ level: config.loglevel, logfile: config.logfile });
      for (const warning of config.warnings) log.warning(warning);
      const client = await connect(config, { retries: opts.retries, connections: opts.parallel, log: (level, message) => log.log(level, message) });
      const interrupt = new AbortController();
      const onSigint = () => interrupt.abort(new CliError("interrupted", EXIT_INTERRUPTED));
      process.once("SIGINT", onSigint);
      const outcomes: LoadOutcome[] = [];
      try {
        if (aggregate) {
          const progressBarOf = process.stderr.isTTY && !opts.json && !opts.dryRun ? progressBar : undefined;
          return await aggregateLoad(client, aggregate, opts, { defaultCompression: defaultCompression(opts), link, signal: interrupt.signal, progressBar: progressBarOf });
        }
        for (const job of jobs) {
          interrupt.signal.throwIfAborted();
          const outcome = await loadOne(client, job, opts, link, interrupt.signal, (message) => log.info(message)).catch((err: unknown) => {
            if (opts.json) printJson(outcomes, { source: job.source, domain: job.target, status: "failed", error: oneLine(err) });
            throw interrupt.signal.aborted ? interrupt.signal.reason : err;
          });
          outcomes.push(outcome);
          report(outcome, opts);
        }
        if (opts.json) printJson(outcomes);
      } finally {
        process.off("SIGINT", onSigint);
        await client.close();
        log.close();
      }
    });
}

interface LoadJob {
  source: string;
  target: string;
}

/** Sources and their targets: a folder target (ending in "/") gets one domain per file. */
function loadJobs(paths: string[]): LoadJob[] {
  if (paths.length < 2) throw new CliError("hsload needs a source file and a target domain", EXIT_USAGE);
  const sources = paths.slice(0, -1);
  const target = domainPath(paths.at(-1)!);
  if (target.endsWith("/")) return sources.map((source) => ({ source, target: `${target}${basename(source)}` }));
  if (sources.length > 1) throw new CliError(`several source files need a folder target ending in "/", not ${target}`, EXIT_USAGE);
  return [{ source: sources[0]!, target }];
}

/** h5pyd accepts "hdf5://path" for "/path". */
function domainPath(text: string): string {
  const path = text.startsWith("hdf5://") ? text.slice("hdf5:/".length) : text;
  if (!path.startsWith("/")) throw new CliError(`target domain must be an absolute path, not ${text}`, EXIT_USAGE);
  return path;
}

async function loadOne(
  client: Awaited<ReturnType<typeof connect>>,
  job: LoadJob,
  opts: HsloadOptions,
  link: LinkOptions | undefined,
  signal: AbortSignal,
  info: (message: string) => void,
): Promise<LoadOutcome> {
  const bar = process.stderr.isTTY && !opts.json ? progressBar(job.source) : undefined;
  try {
    return await loadFile(client, job.source, job.target, {
      parallel: opts.parallel,
      force: opts.force,
      noClobber: !opts.clobber,
      nodata: opts.nodata,
      ignore: opts.ignore,
      ignoreFilters: opts.ignoreFilters,
      defaultCompression: defaultCompression(opts),
      link,
      signal,
      onPlan: (plan) => info(`${job.source}: ${plan.groups.length + 1} groups, ${plan.datasets.length} datasets, ${plan.datatypes.length} datatypes to create in ${job.target}`),
      onProgress: bar?.update,
    });
  } finally {
    bar?.stop();
  }
}

function defaultCompression(opts: HsloadOptions): { name: string; level: number } | undefined {
  if (opts.z === undefined && opts.compression === undefined) return undefined;
  const name = opts.compression ?? "gzip";
  return { name, level: opts.z ?? DEFAULT_LEVELS[name] ?? HSDS_DEFAULT_LEVEL };
}

function report(outcome: LoadOutcome, opts: HsloadOptions): void {
  const { skipped, notes } = noteLines(outcome);
  for (const line of skipped) process.stderr.write(`${line}\n`);
  if (opts.verbose) for (const line of notes) process.stderr.write(`${line}\n`);
  if (opts.json) return;
  process.stdout.write(`${summaryLine(outcome)}\n`);
  if (opts.verbose && outcome.status === "loaded") process.stdout.write(`File ${outcome.source} uploaded to domain: ${outcome.domain}\n`);
}

function printJson(outcomes: LoadOutcome[], failed?: Record<string, unknown>): void {
  const loads = outcomes.map(outcomeJson);
  if (failed) loads.push(failed);
  process.stdout.write(`${JSON.stringify({ loads }, null, 2)}\n`);
}

/** A progress bar on stderr: objects created, bytes copied, rate and time left. */
function progressBar(source: string): { update: (p: LoadProgress) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${basename(source)} |{bar}| {percentage}% | objects {objects} | {bytes} | {rate}/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let running = false;
  return {
    update(p) {
      // Bytes drive the bar; a file without values advances by objects instead.
      const [value, total] = p.bytesTotal > 0 ? [p.bytesDone, p.bytesTotal] : [p.objectsDone, Math.max(1, p.objectsTotal)];
      const seconds = (performance.now() - started) / 1000;
      const payload = {
        objects: `${p.objectsDone}/${p.objectsTotal}`,
        bytes: `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}`,
        rate: formatBytes(seconds > 0 ? p.bytesDone / seconds : 0),
      };
      if (!running) {
        bar.start(total, value, payload);
        running = true;
      } else {
        bar.setTotal(total);
        bar.update(value, payload);
      }
    },
    stop() {
      if (running) bar.stop();
    },
  };
}

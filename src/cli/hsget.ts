// hsget DOMAIN [FILE]: download a domain into a new HDF5 file (h5pyd's hsget, reference §6.3).
import { Command } from "commander";
import { SingleBar } from "cli-progress";
import { basename } from "node:path";
import { HsdsError } from "../client/errors.js";
import type { ResolvedConfig } from "../config/resolve-config.js";
import { connect } from "../client/connect.js";
import { ExportError, type ExportSummary, exportDomain } from "../export/export-domain.js";
import { H5WriteError } from "../export/file-writer.js";
import { type CommonOptions, addCommonOptions, configFromOptions } from "./common-options.js";
import { createLogger } from "./log.js";
import { parseDomainArgument } from "./domain-argument.js";
import { CliError, paint } from "./run.js";

interface HsgetOptions extends CommonOptions {
  /** commander's negation of --no-clobber: false when -n is given. */
  clobber: boolean;
  nodata?: boolean;
}

export function hsgetCommand(): Command {
  return addCommonOptions(
    new Command("hsget")
      .description("Download a domain into a new HDF5 file")
      .argument("<domain>", "domain to download: /path, hdf5://path or http(s)://host/path")
      .argument("[file]", "HDF5 file to write (default: the domain's last path component)")
      .option("-n, --no-clobber", "fail if the file exists")
      .option("--nodata", "copy structure and attributes, no dataset values"),
  ).action(async (domainArg: string, fileArg: string | undefined, opts: HsgetOptions) => {
    const { path: domain, endpoint } = parseDomainArgument(domainArg);
    const file = fileArg ?? basename(domain);
    if (file === "") throw new CliError(`no file name in domain ${domain}: give FILE`, 2);
    const config = resolvedConfig({ ...opts, endpoint: endpoint ?? opts.endpoint });
    const logger = createLogger({ level: config.loglevel, logfile: config.logfile });
    for (const warning of config.warnings) logger.warning(warning);
    const client = await connect(config, { log: (level, message) => logger.log(level, message) });
    const progress = progressBar(opts.verbose === true);
    const started = Date.now();
    let summary: ExportSummary;
    try {
      summary = await exportDomain(client.domain(domain), file, {
        nodata: opts.nodata,
        noClobber: !opts.clobber,
        signal: interruptSignal(),
        onChanges: (path, changes) => progress.note(`hsget: ${path}: ${changes.join("; ")}`),
        onStart: ({ blocks }) => progress.start(blocks),
        onProgress: ({ blocks, bytes }) => progress.update(blocks, bytes),
      });
    } catch (err) {
      if (err instanceof HsdsError || err instanceof ExportError || err instanceof H5WriteError) throw new CliError(err.message);
      if (err instanceof DOMException && err.name === "AbortError") throw new CliError("interrupted; no file written", 130);
      throw err;
    } finally {
      progress.stop();
      await client.close();
      logger.close();
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Domain ${domain} downloaded to file: ${file} (${summary.objects} objects, ${formatBytes(summary.bytes)}` +
        `${opts.nodata ? ", no data" : ""}, ${seconds} s${summary.changed > 0 ? `, ${summary.changed} paths changed: see above` : ""})\n`,
    );
  });
}

function resolvedConfig(opts: CommonOptions): ResolvedConfig {
  try {
    return configFromOptions(opts);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}


/** Ctrl-C stops the export cleanly (the partial file is removed) instead of killing the process. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  return controller.signal;
}

interface Progress {
  start(blocks: number): void;
  update(blocks: number, bytes: number): void;
  /** A line for the user that must not be garbled by the bar. */
  note(line: string): void;
  stop(): void;
}

/** A bar on a terminal; elsewhere nothing but the notes (and, with -v, a line per 10% of the blocks). */
function progressBar(verbose: boolean): Progress {
  const warn = (line: string) => process.stderr.write(`${paint(process.stderr).yellow(line)}\n`);
  if (!process.stderr.isTTY) {
    let total = 0;
    let reported = 0;
    return {
      start: (blocks) => (total = blocks),
      update: (blocks, bytes) => {
        if (!verbose || total === 0 || blocks * 10 < (reported + 1) * total) return;
        reported = Math.floor((blocks * 10) / total);
        process.stderr.write(`hsget: ${blocks}/${total} blocks, ${formatBytes(bytes)}\n`);
      },
      note: warn,
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({
    format: "{bar} {percentage}% | {value}/{total} blocks | {data} | {rate} | ETA {eta_formatted}",
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  });
  const started = Date.now();
  let active = false;
  return {
    start: (blocks) => {
      bar.start(blocks, 0, { data: formatBytes(0), rate: "" });
      active = true;
    },
    update: (blocks, bytes) => {
      const seconds = (Date.now() - started) / 1000;
      bar.update(blocks, { data: formatBytes(bytes), rate: seconds > 0 ? `${formatBytes(bytes / seconds)}/s` : "" });
    },
    note: (line) => {
      if (active) process.stderr.write("\r\x1b[2K");
      warn(line);
      if (active) bar.render();
    },
    stop: () => {
      if (active) bar.stop();
      active = false;
    },
  };
}

function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

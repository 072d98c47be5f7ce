// hsdiff FILE DOMAIN: compare an HDF5 file with a domain (h5pyd's hsdiff, reference §6.11; docs/hsdiff.md).
// Exit 0 when they are equal, 1 when they differ or when either cannot be read (said so on stderr), 2 for bad usage.
import { Command } from "commander";
import { connect } from "../client/connect.js";
import { differenceJson, differenceLine, type Difference } from "../diff/difference.js";
import { DiffOpenError, diffFileDomain, type ObjectReport } from "../diff/diff-file-domain.js";
import { addCommonOptions, type CommonOptions, configFromOptions } from "./common-options.js";
import { parseDomainArgument } from "./domain-argument.js";
import { createLogger } from "./log.js";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, oneLine, setExitCode } from "./run.js";

interface HsdiffOptions extends CommonOptions {
  nodata?: boolean;
  noattr?: boolean;
  quiet?: boolean;
  json?: boolean;
}

export function hsdiffCommand(): Command {
  return addCommonOptions(
    new Command("hsdiff")
      .description("Compare an HDF5 file with a domain: one line per difference; exit 0 when equal, 1 when they differ")
      .argument("<file>", "the HDF5 file")
      .argument("<domain>", "the domain: /path, hdf5://path or http(s)://host/path")
      .option("--nodata", "do not compare dataset values")
      .option("--noattr", "do not compare attributes")
      .option("--quiet", "print nothing: the exit code tells")
      .option("--json", "print the differences as one JSON list"),
  ).action(async (file: string, domainArg: string, opts: HsdiffOptions, command: Command) => {
    if (opts.quiet && opts.verbose) throw new CliError("--quiet and --verbose contradict each other", EXIT_USAGE);
    if (opts.quiet && opts.json) throw new CliError("--quiet and --json contradict each other", EXIT_USAGE);
    const domain = parseDomainArgument(domainArg);
    if (domain.isFolder) throw new CliError(`the domain cannot be a folder: ${domainArg}`, EXIT_USAGE);
    const config = configFromOptions({ ...opts, endpoint: domain.endpoint ?? opts.endpoint });
    const logger = createLogger({ level: config.loglevel, logfile: config.logfile });
    for (const warning of config.warnings) logger.warning(warning);
    const client = await connect(config, { log: (level, message) => logger.log(level, message) });
    const found: Difference[] = [];
    // With --json, stdout holds the JSON document alone.
    const verbose = (line: string) => (opts.json ? process.stderr : process.stdout).write(`${line}\n`);
    let count: number;
    try {
      count = await diffFileDomain(file, client.domain(domain.path), { nodata: opts.nodata, noattr: opts.noattr }, (report) => {
        if (opts.verbose) verbose(comparedLine(report));
        if (opts.json) found.push(...report.differences);
        else if (!opts.quiet) for (const d of report.differences) process.stdout.write(`${differenceLine(d)}\n`);
      });
    } catch (err) {
      if (err instanceof DiffOpenError) throw new CliError(`error: ${err.message} (nothing was compared)`);
      throw new CliError(`error: ${oneLine(err)} (the comparison did not finish)`);
    } finally {
      await client.close();
      logger.close();
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(found.map(differenceJson), null, 2)}\n`);
    else if (!opts.quiet && count > 0) process.stdout.write(`${plural(count, "difference")} found\n`);
    setExitCode(command, count > 0 ? EXIT_FAILURE : EXIT_OK);
  });
}

/** -v: what was compared of one object. */
function comparedLine(report: ObjectReport): string {
  const parts: string[] = [report.kind];
  if (report.links !== undefined) parts.push(plural(report.links, "link"));
  if (report.kind !== "group") parts.push("type");
  if (report.kind === "dataset") parts.push("shape");
  if (report.attributes !== undefined) parts.push(plural(report.attributes, "attribute"));
  if (report.blocks !== undefined) parts.push(`values in ${plural(report.blocks, "block")}`);
  return `compared ${report.path}: ${parts.join(", ")}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

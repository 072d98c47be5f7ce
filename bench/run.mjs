#!/usr/bin/env node
// `npm run bench`: hsload and hsget timed against cp of the same file, with peak RSS, on generated
// inputs. `--rss-4gb` instead loads a 4 GiB dataset into local and checks peak RSS against issue 3's
// limit. bench/README.md explains the method; results go to stdout and bench/results.md.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { hsserveEndpoint, localEndpoint } from "./endpoints.mjs";
import { writeFloat32File, writeManyObjectsFile } from "./inputs.mjs";
import { freeDiskBytes, loadAverage, machineDescription } from "./machine.mjs";
import { killLiveServers, removeRssDir, toolPath } from "./processes.mjs";
import { RESULTS_FILE, writeResultsSection } from "./results-file.mjs";
import { measureRounds } from "./rounds.mjs";
import { MiB, markdownTable, maximum, rawTable, summarizeStep } from "./summary.mjs";

const USAGE = `usage: npm run bench -- [options]

  --size-mb N    size of the float32 dataset in MiB (default 200)
  --runs N       rounds of every step; medians are reported (default 5; 3 with --rss-4gb)
  --groups N     groups in the many-small-objects file (default 1000)
  --quick        smoke run: 16 MiB, 100 groups, 1 round; bench/results.md is left alone
  --rss-4gb      only load a 4 GiB dataset into local and report peak RSS (needs 10 GiB free disk)
  -h, --help     this text`;

const GZIP_LEVEL = 4;
const RSS_4GB_MIB = 4096;
const RSS_LIMIT_BYTES = 500e6;
const RSS_4GB_FREE_BYTES = 10 * 1024 ** 3;
const MEDIANS_NOTE = "medians (peak RSS: median, and the maximum in brackets); × cp is the median of per-round ratios";
const H5PYD_NOTE =
  "h5pyd's hsload (one chunk per request) is not measured here: h5pyd cannot be installed on this machine (no PyPI). Issue 3 reports about 20 MB/s for it on a 200 MB file into a real HSDS; that number is theirs, not ours.";

class BenchUsageError extends Error {
  constructor(message) {
    super(message);
    this.name = "BenchUsageError";
  }
}

function positiveInteger(name, text, fallback) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new BenchUsageError(`--${name} must be a positive integer, not "${text}"`);
  return value;
}

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "size-mb": { type: "string" },
        runs: { type: "string" },
        groups: { type: "string" },
        quick: { type: "boolean", default: false },
        "rss-4gb": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    throw new BenchUsageError(`${err.message} (--help lists the options)`);
  }
  if (values.quick && values["rss-4gb"]) throw new BenchUsageError("--quick and --rss-4gb exclude each other");
  const quick = values.quick;
  return {
    help: values.help,
    quick,
    rss4gb: values["rss-4gb"],
    sizeMiB: positiveInteger("size-mb", values["size-mb"], quick ? 16 : 200),
    runs: positiveInteger("runs", values.runs, quick ? 1 : values["rss-4gb"] ? 3 : 5),
    groups: positiveInteger("groups", values.groups, quick ? 100 : 1000),
  };
}

const log = (line) => process.stderr.write(`bench: ${line}\n`);

async function generate(workDir, name, title, write) {
  const file = join(workDir, `${name}.h5`);
  log(`writing ${title} to ${file}`);
  const written = await write(file);
  return { name, title, file, fileBytes: statSync(file).size, ...written };
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function inputHeading(input) {
  const size = (bytes) => (bytes < MiB ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / MiB).toFixed(1)} MiB`);
  const file = `file ${size(input.fileBytes)}`;
  const values = `values ${size(input.valueBytes)}`;
  return `### ${input.title} (${file}, ${values}, ${plural(input.objects, "object")}, ${plural(input.attributes, "attribute")})`;
}

async function runMain(options, workDir) {
  const rows = options.sizeMiB * 256;
  const inputs = [
    await generate(workDir, "float32-raw", `${options.sizeMiB} MiB float32 [${rows}, 1024], 1 MiB chunks, no filter`, (f) =>
      writeFloat32File(f, { sizeMiB: options.sizeMiB, gzipLevel: 0 }),
    ),
    await generate(workDir, "float32-gzip", `the same values, gzip level ${GZIP_LEVEL}`, (f) =>
      writeFloat32File(f, { sizeMiB: options.sizeMiB, gzipLevel: GZIP_LEVEL }),
    ),
    await generate(workDir, "many-objects", `${options.groups} groups, each with 5 attributes and a float32[64] dataset with 2 attributes`, (f) =>
      writeManyObjectsFile(f, { groups: options.groups }),
    ),
  ];
  const machine = machineDescription(workDir);
  const endpoints = [localEndpoint(workDir), hsserveEndpoint(workDir)];
  const sections = [];
  const raw = [];
  for (const input of inputs) {
    const { steps, verification } = await measureRounds(input, { runs: options.runs, endpoints, workDir, log });
    const table = markdownTable(steps.map(({ step, runs }) => summarizeStep(step, runs, steps[0].runs, input)), input.rate);
    sections.push([inputHeading(input), "", table, "", ...verification.map((v) => `- ${v}`)].join("\n"));
    raw.push([`#### ${input.name}`, "", rawTable(steps)].join("\n"));
  }
  const report = [
    `## Main run, ${new Date().toISOString()}`,
    "",
    ...machine,
    `- load average at end: ${loadAverage()}`,
    `- ${plural(options.runs, "round")}; ${MEDIANS_NOTE}`,
    "",
    ...sections.flatMap((s) => [s, ""]),
    H5PYD_NOTE,
    "",
    "### Raw numbers",
    "",
    ...raw.flatMap((r) => [r, ""]),
  ].join("\n");
  process.stdout.write(`${report}\n`);
  if (options.quick) log(`--quick: ${RESULTS_FILE} left as it was`);
  else {
    writeResultsSection("main", report);
    log(`written to ${RESULTS_FILE}`);
  }
  return 0;
}

async function runRss4gb(options, workDir) {
  const free = freeDiskBytes(workDir);
  if (free < RSS_4GB_FREE_BYTES) {
    log(`--rss-4gb skipped: ${(free / 1024 ** 3).toFixed(1)} GiB free in ${workDir}, it needs 10 GiB (TMPDIR chooses the place)`);
    return 0;
  }
  const input = await generate(workDir, "float32-4gib", `${RSS_4GB_MIB} MiB float32 [${RSS_4GB_MIB * 256}, 1024], 1 MiB chunks, no filter`, (f) =>
    writeFloat32File(f, { sizeMiB: RSS_4GB_MIB, gzipLevel: 0 }),
  );
  const machine = machineDescription(workDir);
  const local = localEndpoint(workDir);
  const { steps } = await measureRounds(input, { runs: options.runs, endpoints: [local], workDir, log, download: false });
  const peakBytes = maximum(steps[1].runs.map((r) => r.rssKiB)) * 1024;
  const within = peakBytes < RSS_LIMIT_BYTES;
  const report = [
    `## 4 GiB load into local, ${new Date().toISOString()}`,
    "",
    ...machine,
    `- load average at end: ${loadAverage()}`,
    `- ${plural(options.runs, "round")}; ${MEDIANS_NOTE}`,
    "",
    inputHeading(input),
    "",
    markdownTable(steps.map(({ step, runs }) => summarizeStep(step, runs, steps[0].runs, input)), input.rate),
    "",
    `Peak RSS of hsload, worst round: ${(peakBytes / MiB).toFixed(0)} MiB (${(peakBytes / 1e6).toFixed(0)} MB): ${within ? "within" : "OVER"} issue 3's limit of 500 MB.`,
    "",
    "### Raw numbers",
    "",
    rawTable(steps),
  ].join("\n");
  process.stdout.write(`${report}\n`);
  writeResultsSection("rss-4gb", report);
  log(`written to ${RESULTS_FILE}`);
  return within ? 0 : 1;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const missing = ["hsload", "hsget", "hsserve"].filter((tool) => !existsSync(toolPath(tool)));
  if (missing.length) throw new BenchUsageError(`${missing.map(toolPath).join(", ")} missing: run npm run build first`);
  const workDir = mkdtempSync(join(tmpdir(), "hsds-bench-"));
  const cleanup = () => {
    killLiveServers();
    rmSync(workDir, { recursive: true, force: true });
    removeRssDir();
  };
  process.once("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    return options.rss4gb ? await runRss4gb(options, workDir) : await runMain(options, workDir);
  } finally {
    cleanup();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = err instanceof BenchUsageError ? 2 : 1;
  },
);

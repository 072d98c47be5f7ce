// Pure arithmetic and formatting of the measurements: medians, ratios to cp, rates, tables.

export const MiB = 1024 * 1024;

export function median(values) {
  const known = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  if (known.length === 0) return undefined;
  const mid = Math.floor(known.length / 2);
  return known.length % 2 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
}

export function maximum(values) {
  const known = values.filter((v) => v !== undefined);
  return known.length ? Math.max(...known) : undefined;
}

/**
 * One row per step from its runs. `ratio` is the median of per-run ratios, each against the cp of the
 * same round, so slow spells of a shared machine hit numerator and denominator alike.
 */
export function summarizeStep(step, runs, copyRuns, input) {
  const seconds = median(runs.map((r) => r.seconds));
  return {
    step,
    seconds,
    ratio: median(runs.map((r, i) => r.seconds / copyRuns[i].seconds)),
    fileMiBps: input.fileBytes / MiB / seconds,
    dataMiBps: input.valueBytes / MiB / seconds,
    objectsPerSecond: input.objects / seconds,
    toolRssMiB: median(runs.map((r) => kibToMiB(r.rssKiB))),
    toolRssMaxMiB: maximum(runs.map((r) => kibToMiB(r.rssKiB))),
    serverRssMiB: median(runs.map((r) => kibToMiB(r.serverRssKiB))),
    serverRssMaxMiB: maximum(runs.map((r) => kibToMiB(r.serverRssKiB))),
  };
}

function kibToMiB(kib) {
  return kib === undefined ? undefined : kib / 1024;
}

function fixed(value, digits) {
  return value === undefined ? "—" : value.toFixed(digits);
}

const TOOL_RSS_COLUMN = ["tool RSS MiB (max)", (r) => (r.toolRssMiB === undefined ? "—" : `${fixed(r.toolRssMiB, 0)} (${fixed(r.toolRssMaxMiB, 0)})`)];
const SERVER_RSS_COLUMN = ["hsserve RSS MiB (max)", (r) => (r.serverRssMiB === undefined ? "—" : `${fixed(r.serverRssMiB, 0)} (${fixed(r.serverRssMaxMiB, 0)})`)];

/**
 * Bytes per second says nothing about a file of small objects, and objects per second nothing about one
 * big dataset. Nor does a ratio to cp of a 1 MiB file, which cp copies in a millisecond.
 */
const RATE_COLUMNS = {
  bytes: [
    ["× cp", (r) => fixed(r.ratio, 1)],
    ["file MiB/s", (r) => fixed(r.fileMiBps, 0)],
    ["data MiB/s", (r) => fixed(r.dataMiBps, 0)],
  ],
  objects: [["objects/s", (r) => (r.step === "cp" ? "—" : fixed(r.objectsPerSecond, 0))]],
};

/** A markdown table (also readable as plain text on a terminal); `rate` is "bytes" or "objects". */
export function markdownTable(rows, rate) {
  const columns = [
    ["step", (r) => r.step],
    ["median s", (r) => fixed(r.seconds, 2)],
    ...RATE_COLUMNS[rate],
    TOOL_RSS_COLUMN,
    ...(rows.some((r) => r.serverRssMiB !== undefined) ? [SERVER_RSS_COLUMN] : []),
  ];
  const cells = [columns.map(([name]) => name), ...rows.map((row) => columns.map(([, cell]) => cell(row)))];
  const widths = columns.map((_, c) => Math.max(...cells.map((line) => line[c].length)));
  const line = (values) => `| ${values.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join(" | ")} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join("\n");
}

/** Every run's numbers, so a reader can see the spread the medians hide. */
export function rawTable(steps) {
  const list = (runs, pick, digits) => runs.map((r) => fixed(pick(r), digits)).join(", ");
  const withServer = steps.some(({ runs }) => runs.some((r) => r.serverRssKiB !== undefined));
  const lines = withServer
    ? ["| step | seconds per run | tool peak RSS MiB per run | hsserve peak RSS MiB per run |", "|---|---|---|---|"]
    : ["| step | seconds per run | tool peak RSS MiB per run |", "|---|---|---|"];
  for (const { step, runs } of steps) {
    const server = withServer ? ` ${list(runs, (r) => kibToMiB(r.serverRssKiB), 0)} |` : "";
    lines.push(`| ${step} | ${list(runs, (r) => r.seconds, 3)} | ${list(runs, (r) => kibToMiB(r.rssKiB), 0)} |${server}`);
  }
  return lines.join("\n");
}

// Preloaded into every tool the bench runs (`node --import`): at exit, the process's peak resident set
// (getrusage's ru_maxrss, in KiB, which counts worker threads too) is written to $BENCH_RSS_FILE.
// Only the main thread reports: workers inherit --import and would overwrite it with a smaller number.
import { writeFileSync } from "node:fs";
import { isMainThread } from "node:worker_threads";

const target = process.env.BENCH_RSS_FILE;
if (isMainThread && target) {
  process.on("exit", () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
}

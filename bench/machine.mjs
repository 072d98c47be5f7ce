// What the numbers were measured on: a result means little without the machine, its load and the code.
import { spawnSync } from "node:child_process";
import { statfsSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";
import { fileURLToPath } from "node:url";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const GiB = 1024 ** 3;

export function freeDiskBytes(dir) {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

function git(args) {
  const result = spawnSync("git", args, { cwd: PROJECT_ROOT, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function loadAverage() {
  return loadavg().map((v) => v.toFixed(2)).join(" ");
}

/** Markdown lines describing the machine, the code measured, and the load on the machine at the start. */
export function machineDescription(workDir) {
  const commit = git(["rev-parse", "--short", "HEAD"]);
  const dirty = git(["status", "--porcelain", "--untracked-files=no"]);
  return [
    `- machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown CPU"}), ${(totalmem() / GiB).toFixed(1)} GiB memory, ${type()} ${release()}`,
    `- Node ${process.version}; work directory ${workDir} (${(freeDiskBytes(workDir) / GiB).toFixed(0)} GiB free)`,
    `- code: commit ${commit ?? "unknown"}${dirty ? " with uncommitted changes" : ""}, tools from dist/`,
    `- load average (1, 5, 15 min) at start: ${loadAverage()}`,
  ];
}

// Child processes timed from spawn to exit, with the peak RSS each node process reports about itself.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const RSS_REPORTER = new URL("./rss-reporter.mjs", import.meta.url).href;
let rssDir;
let rssFiles = 0;
/** Servers still running, so an interrupted bench can stop them. */
const liveServers = new Set();

export class BenchProcessError extends Error {
  constructor(command, detail) {
    super(`${command}: ${detail}`);
    this.name = "BenchProcessError";
  }
}

export function toolPath(tool) {
  return join(PROJECT_ROOT, "dist", "bin", `${tool}.js`);
}

export function removeRssDir() {
  if (rssDir) rmSync(rssDir, { recursive: true, force: true });
}

/** A node tool of dist/bin, started with the RSS reporter; `rssKiB()` is valid once it has exited. */
function spawnTool(tool, args, env, stdio) {
  rssDir ??= mkdtempSync(join(tmpdir(), "hsds-bench-rss-"));
  const rssFile = join(rssDir, `${tool}-${++rssFiles}.kib`);
  const child = spawn(process.execPath, ["--import", RSS_REPORTER, toolPath(tool), ...args], {
    env: { ...env, BENCH_RSS_FILE: rssFile },
    stdio,
  });
  const rssKiB = () => {
    try {
      return Number(readFileSync(rssFile, "utf8"));
    } catch {
      return undefined;
    }
  };
  return { child, rssKiB };
}

function collect(stream) {
  let text = "";
  stream?.on("data", (d) => (text += d.toString()));
  return () => text;
}

/** Wall-clock seconds of one command (start-up included, as a user waits for it), non-zero exit is an error. */
async function timed(child, label) {
  const stderr = collect(child.stderr);
  const started = performance.now();
  const code = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status, signal) => resolve(status ?? signal));
  });
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new BenchProcessError(label, `exit ${code}: ${stderr().trim().split("\n").slice(-3).join(" | ")}`);
  return seconds;
}

/** `cp SOURCE COPY`: the baseline, the same bytes read and written by the simplest tool there is. */
export async function timeCopy(source, copy) {
  const seconds = await timed(spawn("cp", [source, copy], { stdio: ["ignore", "ignore", "pipe"] }), "cp");
  return { seconds, rssKiB: undefined };
}

export async function timeTool(tool, args, env) {
  const { child, rssKiB } = spawnTool(tool, args, env, ["ignore", "ignore", "pipe"]);
  const seconds = await timed(child, `${tool} ${args.join(" ")}`);
  return { seconds, rssKiB: rssKiB() };
}

/**
 * hsserve on an ephemeral 127.0.0.1 port with its own root and password file. `stop()` sends SIGTERM,
 * waits for the exit and resolves to the server's peak RSS in KiB.
 */
export async function startHsserve({ root, passwordFile, env }) {
  const args = ["--root", root, "--host", "127.0.0.1", "--port", "0", "--password-file", passwordFile];
  const { child, rssKiB } = spawnTool("hsserve", args, env, ["ignore", "pipe", "pipe"]);
  const stderr = collect(child.stderr);
  liveServers.add(child);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  exited.then(() => liveServers.delete(child));
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d.toString();
      const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]);
    });
    exited.then((code) => reject(new BenchProcessError("hsserve", `exit ${code} before serving: ${stderr().trim()}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      return rssKiB();
    },
  };
}

/** For an interrupted bench: the servers it started, and only those, are killed. */
export function killLiveServers() {
  for (const child of liveServers) child.kill("SIGKILL");
}

/** h5diff (Debian's hdf5-tools) if present: exit 0 means the copy holds the same values. */
export async function h5diff(a, b) {
  const child = spawn("h5diff", [a, b], { stdio: ["ignore", "pipe", "pipe"] });
  const out = collect(child.stdout);
  const code = await new Promise((resolve) => {
    child.once("error", () => resolve("missing"));
    child.once("close", (status) => resolve(status));
  });
  return { code, output: out().trim().split("\n").slice(0, 3).join(" | ") };
}

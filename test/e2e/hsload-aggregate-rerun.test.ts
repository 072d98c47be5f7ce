// hsload -a run again and again, as cron runs it: a re-run with nothing new writes nothing; a new file is the
// only one loaded; a run killed at a random point and run again ends value for value like a run never killed;
// sources that do not fit fail with one line and leave the domain as it was; two runs at once do not corrupt
// the domain; --dry-run writes nothing; --force reloads a changed file into its recorded slot.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolPath } from "../helpers/cli.js";
import { CONCAT, domainDifferences, domainLocked, HOME, killedAtRandom, IMERG, ledgerRecords, localTarget, makeFile, type Target, TARGETS, tool, watchedLoad } from "./hsload-aggregate-helpers.js";
import { LOCK_ATTRIBUTE } from "../../src/loader/internal-attributes.js";
import { DomainLock } from "../../src/loader/lock.js";

const scratch = mkdtempSync(join(tmpdir(), "hsload-aggregate-rerun-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file of the store with a hash of its bytes: two equal snapshots mean nothing was written. */
function snapshot(store: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else out.set(relative(store, path), createHash("sha1").update(readFileSync(path)).digest("hex"));
    }
  };
  visit(store);
  return out;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k));
}

/** Daily-like files big enough that a load takes a moment: /grid/t float32 (256, 1024), gzip, values by day. */
async function dailyFiles(count: number): Promise<string[]> {
  const files: string[] = [];
  for (let day = 0; day < count; day++) {
    files.push(await makeFile(join(scratch, `day_${String(day).padStart(2, "0")}.h5`), "/grid/t", [256, 1024], { dtype: "float32", start: day * 1000, chunks: [32, 1024], compression: true }));
  }
  return files;
}

const ledgerOf = ledgerRecords;

describe("re-runs, new files, bad sources, --dry-run, --force (local)", () => {
  let target: Target;
  const hsload = (...args: string[]) => tool(target, "hsload", args);

  beforeAll(async () => {
    target = await localTarget();
  });
  afterAll(() => target.stop());

  it("a re-run with nothing new skips every file, says so, and writes nothing", async () => {
    const domain = `${HOME}/rerun.h5`;
    expect((await hsload("-a", ...CONCAT, domain)).code).toBe(0);
    const before = snapshot(target.store);
    const again = await hsload("-a", ...CONCAT, domain);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`${CONCAT.map((f) => `${f}: skipped: already loaded\n`).join("")}${domain}: 0 loaded, 3 skipped\n`);
    expect(changedFiles(before, snapshot(target.store))).toEqual([]);
  });

  it("a file added later is the only one loaded", async () => {
    const domain = `${HOME}/later.h5`;
    expect((await hsload("-a", CONCAT[0]!, CONCAT[1]!, domain)).code).toBe(0);
    const result = await hsload("-a", ...CONCAT, domain);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split("\n").slice(0, 3)).toEqual([`${CONCAT[0]}: skipped: already loaded`, `${CONCAT[1]}: skipped: already loaded`, `${CONCAT[2]} -> ${domain}: loaded (datasets: 1 concatenated at row 2)`]);
    const handle = (await target.client()).domain(domain);
    expect(await handle.readValueJson((await handle.getDatasetByPath("/g1/dset")).id)).toEqual([0, 1, 2].map((r) => Array.from({ length: 10 }, (_, i) => r * 10 + i)));
    expect((await ledgerOf(target, domain)).map((r) => [r.name, r.state, r.slots["/g1/dset"]])).toEqual(
      ["file1.h5", "file2.h5", "file3.h5"].map((name, start) => [name, "complete", { dim: 0, start, count: 1, stacked: true }]),
    );
  });

  describe("a source that does not fit: one line naming it, exit 1, nothing of it written", () => {
    const domain = `${HOME}/misfit.h5`;
    let before: Map<string, string>;
    beforeAll(async () => {
      expect((await hsload("-a", CONCAT[0]!, domain)).code).toBe(0);
      before = snapshot(target.store);
    });

    const refused = async (args: string[], message: string) => {
      const result = await hsload("-a", ...args, domain);
      expect(result.stderr).toBe(`${message}\n`);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(changedFiles(before, snapshot(target.store))).toEqual([]);
    };

    it("another shape", async () => {
      const wide = await makeFile(join(scratch, "wide.h5"), "/g1/dset", [12]);
      // Even the files before it in the run are not loaded: the run is planned whole before anything is written.
      await refused([CONCAT[1]!, wide], `${wide}: /g1/dset has shape (12,), which does not fit /g1/dset of shape (2, 10) in ${domain}`);
      await refused([wide], `${wide}: /g1/dset has shape (12,), which does not fit /g1/dset of shape (10,) in ${domain}`);
    });

    it("another type", async () => {
      const doubles = await makeFile(join(scratch, "doubles.h5"), "/g1/dset", [10], { dtype: "float64" });
      await refused([doubles], `${doubles}: /g1/dset has type float64, but /g1/dset in ${domain} has type int32`);
    });

    it("--extend with no such dimension scale", async () => {
      const result = await hsload("-a", "--extend", "time", CONCAT[1]!, domain);
      expect(result.stderr).toBe(`${CONCAT[1]}: no dimension scale named time to extend (--extend time)\n`);
      expect(result.code).toBe(1);
      expect(changedFiles(before, snapshot(target.store))).toEqual([]);
    });

    it("a new domain is not even created", async () => {
      const wide = join(scratch, "wide.h5");
      const result = await hsload("-a", CONCAT[0]!, wide, `${HOME}/never.h5`);
      expect(result.code).toBe(1);
      expect(await (await target.client()).domain(`${HOME}/never.h5`).getIfExists()).toBeUndefined();
    });
  });

  it("--sort name orders new files by name; --json reports every source", async () => {
    const domain = `${HOME}/sorted.h5`;
    const result = await hsload("-a", "--sort", "name", "--json", ...[...CONCAT].reverse(), domain);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { dry_run: boolean; sources: { name: string; status: string; datasets: { slot: { start: number } }[] }[]; bytes: number };
    expect(json.dry_run).toBe(false);
    expect(json.sources.map((s) => [s.name, s.status, s.datasets[0]!.slot.start])).toEqual([
      ["file1.h5", "new", 0],
      ["file2.h5", "new", 1],
      ["file3.h5", "new", 2],
    ]);
    expect(json.bytes).toBe(120);
  });

  it("--extend-offset writes at that index of the extended dimension instead of at its end", async () => {
    const domain = `${HOME}/offset.h5`;
    expect((await hsload("-a", "--extend", "time", IMERG[0]!, IMERG[1]!, domain)).code).toBe(0);
    const result = await hsload("-a", "--extend", "time", "--extend-offset", "1", IMERG[3]!, domain);
    expect(result.code, result.stderr).toBe(0);
    const handle = (await target.client()).domain(domain);
    const time = await handle.getDatasetByPath("/Grid/time");
    expect(time.shape.dims).toEqual([2]);
    expect(await handle.readValueJson(time.id)).toEqual([1593561600, 1593561600 + 3 * 1800]);
  });

  it("Ctrl-C: exits 130, lets go of the lock; the next run completes the load", async () => {
    const domain = `${HOME}/interrupted.h5`;
    const files = await dailyFiles(6);
    // The domain exists: an interrupted run that made the domain and completed nothing removes it again.
    expect((await hsload("-a", files[0]!, domain)).code).toBe(0);
    const child = spawn(process.execPath, [toolPath("hsload"), ...target.args, "-a", ...files, domain], { env: target.env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const handle = (await target.client()).domain(domain);
    for (let i = 0; i < 2000 && !(await domainLocked(target, domain)); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGINT");
    const code = await exited;
    if (code === 0) return; // it finished first: nothing to interrupt
    expect(code).toBe(130);
    expect(stderr).toBe("interrupted\n");
    const root = (await handle.get()).root!;
    expect((await handle.getGroup(root, { includeAttrs: true })).attributes?.[LOCK_ATTRIBUTE]).toBeUndefined();
    const next = await hsload("-a", ...files, domain);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toBe("");
    expect((await ledgerOf(target, domain)).map((r) => r.state)).toEqual(files.map(() => "complete"));
    expect((await handle.getDatasetByPath("/grid/t")).shape.dims).toEqual([6, 256, 1024]);
  }, 120_000);

  it("refuses options that do not go together (exit 2), and --extend without -a onto an existing domain", async () => {
    const usage = async (args: string[], message: string) => {
      const result = await hsload(...args);
      expect(result.stderr).toBe(`${message}\n`);
      expect(result.code).toBe(2);
    };
    await usage(["--extend-offset", "1", CONCAT[0]!, `${HOME}/u.h5`], "--extend-offset applies to -a (append) loads");
    await usage(["-a", "--extend-offset", "1", CONCAT[0]!, `${HOME}/u.h5`], "--extend-offset needs --extend");
    await usage(["--dry-run", CONCAT[0]!, `${HOME}/u.h5`], "--dry-run applies to -a (append) loads");
    await usage(["-a", "-n", CONCAT[0]!, `${HOME}/u.h5`], "-n/--no-clobber does not apply to -a: sources already loaded are skipped anyway");
    await usage(["-a", "--nodata", CONCAT[0]!, `${HOME}/u.h5`], "--nodata does not apply to -a: a source is recorded as loaded only with its values");
    await usage(["-a", ...CONCAT, `${HOME}/`], `-a loads into one domain: name it, not the folder ${HOME}/`);
    expect((await hsload(CONCAT[0]!, `${HOME}/exists.h5`)).code).toBe(0);
    const exists = await hsload("--extend", "time", IMERG[0]!, `${HOME}/exists.h5`);
    expect(exists.stderr).toBe(`domain exists: ${HOME}/exists.h5 (-a appends to it)\n`);
    expect(exists.code).toBe(1);
  });

  it("--dry-run prints the plan and writes nothing", async () => {
    const domain = `${HOME}/dry.h5`;
    expect((await hsload("--extend", "time", IMERG[0]!, domain)).code).toBe(0);
    const before = snapshot(target.store);
    const result = await hsload("-a", "--extend", "time", "--dry-run", IMERG[0]!, IMERG[1]!, domain);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toContain(`${IMERG[0]}: skipped (already loaded)`);
    expect(lines).toContain(`${IMERG[1]}: /Grid/precipitationCal: extended along time from 1 to 2`);
    expect(lines).toContain(`${IMERG[1]}: /Grid/lat: unchanged`);
    expect(lines).toContain(`${domain}: /Grid/time: resized from (1,) to (2,)`);
    const json = JSON.parse((await hsload("-a", "--extend", "time", "--dry-run", "--json", IMERG[1]!, domain)).stdout) as { dry_run: boolean; sources: { datasets: { path: string; slot: unknown }[] }[] };
    expect(json.dry_run).toBe(true);
    expect(json.sources[0]!.datasets.find((d) => d.path === "/Grid/time")!.slot).toEqual({ dim: 0, start: 1, count: 1 });
    expect(changedFiles(before, snapshot(target.store))).toEqual([]);
  });

  it("a changed file is refused; --force reloads it into its recorded slot", async () => {
    const domain = `${HOME}/force.h5`;
    const second = join(scratch, "file2.h5");
    copyFileSync(CONCAT[1]!, second);
    expect((await hsload("-a", CONCAT[0]!, second, CONCAT[2]!, domain)).code).toBe(0);
    await makeFile(second, "/g1/dset", [10], { start: 500 });
    utimesSync(second, new Date(), new Date(Date.now() + 5000));
    const refused = await hsload("-a", CONCAT[0]!, second, CONCAT[2]!, domain);
    expect(refused.stderr).toBe(`${second}: changed since it was loaded; --force reloads it into its recorded slot\n`);
    expect(refused.code).toBe(1);
    const forced = await hsload("-a", "--force", second, domain);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout.split("\n")[0]).toBe(`${second} -> ${domain}: reloaded (datasets: 1 concatenated at row 1)`);
    const handle = (await target.client()).domain(domain);
    const rows = (await handle.readValueJson((await handle.getDatasetByPath("/g1/dset")).id)) as number[][];
    expect(rows).toEqual([Array.from({ length: 10 }, (_, i) => i), Array.from({ length: 10 }, (_, i) => 500 + i), Array.from({ length: 10 }, (_, i) => 20 + i)]);
    // The record has the new file's facts: the next run skips it.
    const rerun = await hsload("-a", CONCAT[0]!, second, CONCAT[2]!, domain);
    expect(rerun.stdout).toMatch(/0 loaded, 3 skipped/);
  });
});

describe("a run killed at a random point, then run again, ends as a run never killed (local)", () => {
  let target: Target;
  let files: string[];
  /** How long the reference run held the lock: the writing part of a run. */
  let writing: number;
  const reference = `${HOME}/uninterrupted.h5`;

  const locked = (domain: string) => domainLocked(target, domain);

  beforeAll(async () => {
    target = await localTarget();
    files = await dailyFiles(6);
    // The first day loaded by plain hsload, so the run under test also recognises it and re-creates (concatenates)
    // the dataset.
    expect((await tool(target, "hsload", [files[0]!, reference])).code).toBe(0);
    writing = (await watchedLoad(target, ["-a", ...files, reference])).writingMs;
    expect(writing).toBeGreaterThan(0);
  }, 180_000);
  afterAll(() => target.stop());

  it.each([1, 2, 3, 4])("kill %i", async (attempt) => {
    const domain = `${HOME}/killed-${attempt}.h5`;
    expect((await tool(target, "hsload", [files[0]!, domain])).code).toBe(0);
    // Killed once or twice at random points while writing (the second time in the resumed run), then left to finish.
    const why = await killedAtRandom(target, ["-a", ...files, domain], writing, (attempt % 2) + 1);
    const finish = await tool(target, "hsload", ["-a", ...files, domain]);
    expect(finish.code, `${why}: ${finish.stderr}`).toBe(0);
    const client = await target.client();
    expect(await domainDifferences(client.domain(domain), client.domain(reference), { attributes: true }), why).toEqual([]);
    // The first day, loaded without -a, is recognised in the domain and becomes row 0.
    expect((await ledgerOf(target, domain)).map((r) => [r.name, r.state, r.slots["/grid/t"]]), why).toEqual(
      files.map((f, i) => [f.split("/").pop(), "complete", { dim: 0, start: i, count: 1, stacked: true }]),
    );
    // Nothing half-made is left: the dataset and the ledger, as in the uninterrupted domain.
    const [ours, theirs] = [client.domain(domain), client.domain(reference)];
    await Promise.all([ours.rescan(), theirs.rescan()]);
    expect((await ours.get({ verbose: true })).num_datasets, why).toBe(2);
    expect((await theirs.get({ verbose: true })).num_datasets).toBe(2);
    expect(await locked(domain)).toBe(false);
  }, 240_000);
});

describe.each(TARGETS)("two runs into one domain at once (%s)", (_name, makeTarget) => {
  let target: Target;
  let files: string[];
  beforeAll(async () => {
    target = await makeTarget();
    files = await dailyFiles(6);
  }, 120_000);
  afterAll(() => target.stop());

  it("with --wait the second waits for the first; every file is loaded once", async () => {
    const domain = `${HOME}/together.h5`;
    const [a, b] = await Promise.all([tool(target, "hsload", ["-a", "--wait", "120", ...files.slice(0, 4), domain]), tool(target, "hsload", ["-a", "--wait", "120", ...files.slice(2), domain])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const records = await ledgerOf(target, domain);
    expect(records.map((r) => r.name).sort()).toEqual(files.map((f) => f.split("/").pop()).sort());
    expect(records.every((r) => r.state === "complete")).toBe(true);
    const handle = (await target.client()).domain(domain);
    const t = await handle.getDatasetByPath("/grid/t");
    expect(t.shape.dims).toEqual([6, 256, 1024]);
    // Each row holds the file its record names.
    for (const record of records) {
      const row = record.slots["/grid/t"]!.start;
      const first = new Float32Array((await handle.readValue(t.id, { select: `[${row}:${row + 1},0:1,0:1]` })).slice().buffer);
      expect(first[0]).toBe(Number(record.name.slice(4, 6)) * 1000);
    }
  }, 240_000);

  it("a run that finds the domain held fails with one line naming the holder and writes nothing; --wait waits", async () => {
    const domain = `${HOME}/busy.h5`;
    expect((await tool(target, "hsload", ["-a", files[0]!, domain])).code).toBe(0);
    // Another load, on another host, holds the domain.
    const handle = (await target.client()).domain(domain);
    const root = (await handle.get()).root!;
    const holder = { host: "loader-2", pid: 4242, run: "r-other", started: "2026-01-01T00:00:00.000Z" };
    const lock = await DomainLock.acquire(handle, root, holder, { waitSeconds: 0 });
    const refused = await tool(target, "hsload", ["-a", files[1]!, domain]);
    expect(refused.stderr).toBe(`${domain} is being loaded by process 4242 on loader-2 since 2026-01-01T00:00:00.000Z (run r-other); --wait SECONDS waits for it\n`);
    expect(refused.code).toBe(1);
    const waited = await tool(target, "hsload", ["-a", "--wait", "1", files[1]!, domain]);
    expect(waited.stderr).toBe(`${domain} is being loaded by process 4242 on loader-2 since 2026-01-01T00:00:00.000Z (run r-other) and did not finish within 1 s\n`);
    expect((await ledgerOf(target, domain)).map((r) => r.name)).toEqual(["day_00.h5"]);
    // Released while the next run waits: it goes ahead.
    setTimeout(() => void lock.release(), 1000);
    const after = await tool(target, "hsload", ["-a", "--wait", "60", files[1]!, domain]);
    expect(after.code, after.stderr).toBe(0);
    expect((await ledgerOf(target, domain)).map((r) => [r.name, r.state])).toEqual([
      ["day_00.h5", "complete"],
      ["day_01.h5", "complete"],
    ]);
  }, 240_000);
});

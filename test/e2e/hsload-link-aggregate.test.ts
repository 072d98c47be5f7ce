// hsload -a --link and --link --extend as users run them, into the local engine and into hsserve, each on a copy
// of the golden store: the NCEP3-like days become fields (5, 72, 144) whose chunks stay in the five files, through
// one chunk table a row per day; the IMERG-like half hours become (4, 36, 18) along time the same way. Every value
// reads as the sources' (and as the domains the real HSDS copied from them); the domain's own storage holds only
// metadata, chunk tables and the few small datasets that are copied; re-runs load nothing; a run killed at a
// random point and run again ends as a run never killed; files whose chunks cannot line up along time are refused
// before anything is written.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainHandle } from "../../src/client/hsds-client.js";
import { Ledger } from "../../src/loader/ledger.js";
import { withH5File } from "../hdf5/helpers/h5wasm-datasets.js";
import { h5diff } from "../helpers/hdf5-tools.js";
import { GOLDEN } from "../helpers/paths.js";
import { domainDifferences, domainLocked, golden, killedAtRandom, HOME, IMERG, ledgerRecords, NCEP3, type Target, TARGETS, tool, watchedLoad } from "./hsload-aggregate-helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "hsload-link-aggregate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FIELDS = ["Psea_level", "Qsat", "SST", "Tair_2m"].map((f) => `/HDFEOS/GRIDS/NCEP/Data Fields/${f}`);
const PRECIPITATION = ["precipitationCal", "IRprecipitation", "HQprecipitation"].map((n) => `/Grid/${n}`);
const STRUCT_METADATA = "/HDFEOS INFORMATION/StructMetadata.0";
const goldenListing = (name: string) => readFileSync(join(GOLDEN, "cli", `hsls_r_${name}.txt`), "utf8");
const sourceBytes = (files: readonly string[]) => files.reduce((n, f) => n + statSync(f).size, 0);

/** A dataset's values in a file, as float32. */
function fileValues(file: string, path: string): Promise<Float32Array> {
  return withH5File(file, (f) => Float32Array.from((f.get(path) as InstanceType<typeof h5wasm.Dataset>).value as Float32Array));
}

/** The files' values of a dataset one after another: what stacking or extending them gives. */
async function stackOf(files: readonly string[], path: string): Promise<Float32Array> {
  const parts = await Promise.all(files.map((f) => fileValues(f, path)));
  return Float32Array.from(parts.flatMap((p) => [...p]));
}

async function domainValues(domain: DomainHandle, path: string): Promise<Float32Array> {
  const bytes = await domain.readValue((await domain.getDatasetByPath(path)).id);
  return new Float32Array(bytes.slice().buffer);
}

/** The shared chunk table of a linked dataset: the layout naming it, its shape, and the files its rows name. */
async function sharedTable(domain: DomainHandle, path: string) {
  const layout = (await domain.getDatasetByPath(path)).creationProperties!.layout!;
  const tableId = layout.chunk_table as string;
  const shape = (await domain.getDataset(tableId)).shape.dims!;
  const rows = (await domain.readValueJson(tableId)) as unknown[];
  const files = rows.map((row) => [...new Set(JSON.stringify(row).match(/"[^"]*"/g)!.map((s) => JSON.parse(s) as string))]);
  return { layout, tableId, shape, files };
}

/** Every file under a directory with a hash of its bytes: equal snapshots mean nothing was written. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const path = join(dir, f);
    if (statSync(path).isFile()) out.set(relative(dir, path), createHash("sha1").update(readFileSync(path)).digest("hex"));
  }
  return out;
}

describe.each(TARGETS)("hsload -a --link into %s", (_name, makeTarget) => {
  let target: Target;
  const hsload = async (...args: string[]) => {
    const result = await tool(target, "hsload", args);
    expect(result.code, `hsload ${args.join(" ")}: ${result.stderr}`).toBe(0);
    return result;
  };
  const handle = async (domain: string) => (await target.client()).domain(domain);
  const listing = async (domain: string) => (await tool(target, "hsls", ["-r", domain])).stdout;
  const compareWithGolden = async (ours: string, name: string) => domainDifferences(await handle(ours), await handle(golden(name)), { attributes: true });
  /** The directory of a domain's own objects in the store (hsds-reference §1.4). */
  const domainDb = async (domain: string) => join(target.store, "hsdstest", "db", (await (await handle(domain)).get()).root!.slice(2, 19));

  beforeAll(async () => {
    target = await makeTarget();
  });
  afterAll(() => target.stop());

  /** h5diff of what hsget gives of a linked domain and of the same files loaded by copy: both read the same. */
  const expectSameAsCopied = async (linked: string, copyArgs: string[]) => {
    const copied = `${linked}.copied`;
    await hsload(...copyArgs, copied);
    const [a, b] = [join(scratch, `${target.name}-${linked.split("/").pop()}`), join(scratch, `${target.name}-copied-${linked.split("/").pop()}`)];
    for (const [domain, file] of [[linked, a], [copied, b]] as const) {
      const got = await tool(target, "hsget", [domain, file]);
      expect(got.code, got.stderr).toBe(0);
    }
    expect(h5diff(a, b)).toEqual({ code: 0, out: "" });
  };

  /** The fields linked through one table each, a row per day naming its file, and values equal to the days'. */
  const expectStackedDays = async (domain: string) => {
    const d = await handle(domain);
    for (const path of FIELDS) {
      const { layout, shape, files } = await sharedTable(d, path);
      expect(layout).toMatchObject({ class: "H5D_CHUNKED_REF_INDIRECT", dims: [1, 36, 72] });
      expect(layout.file_uri, path).toBeUndefined();
      expect(shape).toEqual([5, 2, 2]);
      expect(files).toEqual(NCEP3.map((f) => [f]));
      expect(await domainValues(d, path), path).toEqual(await stackOf(NCEP3, path));
    }
    expect((await ledgerRecords(target, domain)).map((r) => [r.name, r.state, r.slots[FIELDS[0]!]])).toEqual(
      NCEP3.map((f, row) => [f.split("/").pop(), "complete", { dim: 0, start: row, count: 1, stacked: true }]),
    );
  };

  describe("the NCEP3-like days", () => {
    const all = `${HOME}/ncep3-link-all.h5`;

    it("in one run: fields (5, 72, 144), one chunk table a row per day, the values of the five files", async () => {
      const loaded = await hsload("-a", "--link", ...NCEP3, all);
      expect(loaded.stdout.split("\n").slice(0, 5)).toEqual(NCEP3.map((f, row) => `${f} -> ${all}: loaded (datasets: 4 concatenated at row ${row}, ${row === 0 ? "1 spliced" : "1 unchanged"})`));
      expect(await listing(all)).toBe(goldenListing("ncep3"));
      // Shapes, types, values and attributes as in the domain the real HSDS copied the days into.
      expect(await compareWithGolden(all, "ncep3.h5")).toEqual([]);
      await expectStackedDays(all);
    });

    it("keeps only metadata and chunk tables: the only chunks stored are the tables', the ledger's and StructMetadata.0's", async () => {
      const d = await handle(all);
      const db = await domainDb(all);
      const dirOf = (id: string) => id.split("-").slice(3).join("-");
      const ledger = await Ledger.open(d, (await d.get()).root!);
      const tables = await Promise.all(FIELDS.map(async (p) => (await sharedTable(d, p)).tableId));
      const allowed = new Set([...tables, ledger!.id, (await d.getDatasetByPath(STRUCT_METADATA)).id].map(dirOf));
      const files = readdirSync(db, { recursive: true, encoding: "utf8" }).filter((f) => statSync(join(db, f)).isFile());
      const chunkOwners = new Set(files.filter((f) => !f.endsWith(".json")).map((f) => f.split("/")[1]!));
      expect([...chunkOwners].filter((owner) => !allowed.has(owner))).toEqual([]);
      // StructMetadata.0 (a 32000-byte string, copied as h5pyd copies it) is most of it; the sources hold 600 kB.
      const bytes = files.reduce((n, f) => n + statSync(join(db, f)).size, 0);
      expect(bytes).toBeLessThan(64 * 1024);
      expect(bytes * 8).toBeLessThan(sourceBytes(NCEP3));
    });

    it("hsget of it and of the days loaded by copy give files h5diff finds equal", async () => {
      await expectSameAsCopied(all, ["-a", ...NCEP3]);
    });

    it("a re-run loads nothing and writes nothing", async () => {
      const db = await domainDb(all);
      const before = snapshot(db);
      const again = await hsload("-a", "--link", ...NCEP3, all);
      expect(again.stdout).toBe(`${NCEP3.map((f) => `${f}: skipped: already loaded\n`).join("")}${all}: 0 loaded, 5 skipped\n`);
      expect(snapshot(db)).toEqual(before);
    });

    it("one run per file gives the same domain", async () => {
      const each = `${HOME}/ncep3-link-each.h5`;
      for (const file of NCEP3) await hsload("-a", "--link", file, each);
      expect(await domainDifferences(await handle(each), await handle(all), { attributes: true })).toEqual([]);
      await expectStackedDays(each);
    });

    it("a plain --link load of day 1, then -a --link of every day: day 1 is found, and its layout becomes row 0 of the table", async () => {
      const domain = `${HOME}/ncep3-link-plain-first.h5`;
      await hsload("--link", NCEP3[0]!, domain);
      const result = await hsload("-a", "--link", ...NCEP3, domain);
      expect(result.stdout.split("\n")[0]).toBe(`${NCEP3[0]}: already in the domain (loaded without -a): recorded as loaded`);
      expect(await domainDifferences(await handle(domain), await handle(all), { attributes: true })).toEqual([]);
      await expectStackedDays(domain);
      // The datasets day 1 made were replaced and deleted: the fields, their tables, StructMetadata.0 and the ledger.
      const d = await handle(domain);
      await d.rescan();
      expect((await d.get({ verbose: true })).num_datasets).toBe(10);
    });
  });

  describe("the IMERG-like half hours along time", () => {
    const all = `${HOME}/imerg-link-all.h5`;

    /** The grids linked through one table each, a step per file, values equal to the files'. */
    const expectExtended = async (domain: string) => {
      const d = await handle(domain);
      for (const path of PRECIPITATION) {
        const { layout, shape, files } = await sharedTable(d, path);
        expect(layout).toMatchObject({ class: "H5D_CHUNKED_REF_INDIRECT", dims: [1, 36, 18] });
        expect(shape).toEqual([4, 1, 1]);
        expect(files).toEqual(IMERG.map((f) => [f]));
        expect(await domainValues(d, path), path).toEqual(await stackOf(IMERG, path));
      }
      // time and time_bnds are small: copied, and extended as without --link.
      expect((await d.getDatasetByPath("/Grid/time")).creationProperties?.layout?.class).not.toMatch(/_REF/);
    };

    it("in one run: time (4,), the grids (4, 36, 18) linked, scales attached, the values of the four files", async () => {
      await hsload("-a", "--link", "--extend", "time", ...IMERG, all);
      expect(await listing(all)).toBe(goldenListing("imerg"));
      // Attributes by path: each grid's DIMENSION_LIST names time, lon and lat; time's REFERENCE_LIST the grids.
      expect(await compareWithGolden(all, "imerg.h5")).toEqual([]);
      await expectExtended(all);
    });

    it("hsget of it and of the half hours loaded by copy give files h5diff finds equal", async () => {
      await expectSameAsCopied(all, ["-a", "--extend", "time", ...IMERG]);
    });

    it("one run per file (--link --extend time, then -a) gives the same domain; a re-run loads nothing", async () => {
      const each = `${HOME}/imerg-link-each.h5`;
      await hsload("--link", "--extend", "time", IMERG[0]!, each);
      for (const file of IMERG.slice(1)) await hsload("-a", "--link", "--extend", "time", file, each);
      expect(await domainDifferences(await handle(each), await handle(all), { attributes: true })).toEqual([]);
      await expectExtended(each);
      const again = await hsload("-a", "--link", "--extend", "time", ...IMERG, each);
      expect(again.stdout).toMatch(/0 loaded, 4 skipped\n$/);
    });
  });

  describe("files whose chunks along time are 2 long, each file 1 long", () => {
    let files: string[];
    beforeAll(async () => {
      await h5wasm.ready;
      files = [0, 1].map((n) => {
        const file = join(scratch, `${target.name}_misaligned_${n}.h5`);
        const f = new h5wasm.File(file, "w");
        f.create_dataset({ name: "time", data: new Float64Array([1800 * n]), shape: [1], maxshape: [null], chunks: [1] });
        const grid = Float32Array.from({ length: 40 * 40 }, (_, i) => n * 10000 + i);
        f.create_dataset({ name: "precipitation", data: grid, shape: [1, 40, 40], maxshape: [null, 40, 40], chunks: [2, 40, 40] });
        (f.get("time") as InstanceType<typeof h5wasm.Dataset>).make_scale("time");
        (f.get("precipitation") as InstanceType<typeof h5wasm.Dataset>).attach_scale(0, "/time");
        f.close();
        return file;
      });
    });
    const refusal = () =>
      `${files[1]}: /precipitation cannot be linked along time: its chunks are 2 long along the extended dimension 0 but it would start at 1, inside a chunk ` +
      "(it holds 1 along that dimension): linked data can only be extended where chunk boundaries align (chunk extent 1 along the extended dimension always does)\n";

    it("in one run: refused before anything is written, with why; no domain is made", async () => {
      const domain = `${HOME}/misaligned-all.h5`;
      const result = await tool(target, "hsload", ["-a", "--link", "--extend", "time", ...files, domain]);
      expect(result.stderr).toBe(refusal());
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(await (await handle(domain)).getIfExists()).toBeUndefined();
    });

    it("the first file alone links (its partial chunk ends the data); the second is then refused and nothing changes", async () => {
      const domain = `${HOME}/misaligned-each.h5`;
      await hsload("--link", "--extend", "time", files[0]!, domain);
      const d = await handle(domain);
      expect(await domainValues(d, "/precipitation")).toEqual(await fileValues(files[0]!, "/precipitation"));
      const db = await domainDb(domain);
      const before = snapshot(db);
      const result = await tool(target, "hsload", ["-a", "--link", "--extend", "time", files[1]!, domain]);
      expect(result.stderr).toBe(refusal());
      expect(result.code).toBe(1);
      expect(snapshot(db)).toEqual(before);
    });
  });

  describe("a run killed at a random point, then run again, ends as a run never killed", () => {
    const reference = `${HOME}/ncep3-link-reference.h5`;
    /** How long the reference run held the lock: the writing part of a run. */
    let writing = 0;

    const locked = (domain: string) => domainLocked(target, domain);

    beforeAll(async () => {
      // Day 1 by a plain --link load, so the runs also find it and concatenate its linked fields.
      await hsload("--link", NCEP3[0]!, reference);
      writing = (await watchedLoad(target, ["-a", "--link", ...NCEP3, reference])).writingMs;
      expect(writing).toBeGreaterThan(0);
    }, 120_000);

    it.each([1, 2, 3])("kill %i", async (attempt) => {
      const domain = `${HOME}/ncep3-link-killed-${attempt}.h5`;
      await hsload("--link", NCEP3[0]!, domain);
      const why = await killedAtRandom(target, ["-a", "--link", ...NCEP3, domain], writing, (attempt % 2) + 1);
      const finish = await tool(target, "hsload", ["-a", "--link", ...NCEP3, domain]);
      expect(finish.code, `${why}: ${finish.stderr}`).toBe(0);
      const [ours, theirs] = [await handle(domain), await handle(reference)];
      expect(await domainDifferences(ours, theirs, { attributes: true }), why).toEqual([]);
      await expectStackedDays(domain);
      // Nothing half-made is left: no temporary link (the paths compared above), and behind hsserve no dataset or
      // chunk table beyond the uninterrupted domain's. (The local engine runs inside hsload: a kill between its
      // writing a new object and linking it leaves that object unlinked, which no client can prevent.)
      if (target.name === "hsserve") {
        await Promise.all([ours.rescan(), theirs.rescan()]);
        expect((await ours.get({ verbose: true })).num_datasets, why).toBe((await theirs.get({ verbose: true })).num_datasets);
      }
      expect(await locked(domain), why).toBe(false);
    }, 120_000);
  });
});

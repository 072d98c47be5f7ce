// hsload -a on the seed sets, run as users run it, into the local engine and into hsserve, each on a copy of
// the golden store: the results sit beside the domains the real HSDS 0.9.4 + h5pyd wrote from the same files,
// and must list (hsls -r) and read (shapes, types, values) the same; one run of many files and one run per file
// must give the same domain; hsget of the result is a file h5dump reads with unlimited dimensions and scales.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { h5dump } from "../helpers/hdf5-tools.js";
import { GOLDEN } from "../helpers/paths.js";
import { CONCAT, domainDifferences, golden, HOME, IMERG, ledgerRecords, NCEP3, SPLICE, type Target, TARGETS, tool } from "./hsload-aggregate-helpers.js";

const work = mkdtempSync(join(tmpdir(), "hsload-aggregate-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const goldenListing = (name: string) => readFileSync(join(GOLDEN, "cli", `hsls_r_${name}.txt`), "utf8");


describe.each(TARGETS)("hsload -a into %s", (_name, makeTarget) => {
  let target: Target;
  const hsload = async (...args: string[]) => {
    const result = await tool(target, "hsload", args);
    expect(result.code, `hsload ${args.join(" ")}: ${result.stderr}`).toBe(0);
    return result;
  };
  const listing = async (domain: string) => (await tool(target, "hsls", ["-r", domain])).stdout;
  const compareWithGolden = async (ours: string, name: string) => {
    const client = await target.client();
    return domainDifferences(client.domain(ours), client.domain(golden(name)), { attributes: true });
  };

  beforeAll(async () => {
    target = await makeTarget();
  });
  afterAll(() => target.stop());

  describe("splice", () => {
    it("one run per file: /g1/dsetA, /g2/dsetB, /g3/dsetC as the real HSDS has them", async () => {
      const domain = `${HOME}/splice-each.h5`;
      await hsload(SPLICE[0]!, domain);
      const second = await hsload("-a", SPLICE[1]!, domain);
      expect(second.stdout).toBe(`${SPLICE[1]} -> ${domain}: loaded (datasets: 1 spliced)\n${domain}: 1 loaded, 0 skipped, ${second.stdout.split("skipped, ")[1]}`);
      await hsload("-a", SPLICE[2]!, domain);
      expect(await listing(domain)).toBe(goldenListing("splice"));
      expect(await compareWithGolden(domain, "splice.h5")).toEqual([]);
    });

    it("one run of all files into a new domain gives the same", async () => {
      const domain = `${HOME}/splice-all.h5`;
      await hsload("-a", ...SPLICE, domain);
      expect(await listing(domain)).toBe(goldenListing("splice"));
      expect(await compareWithGolden(domain, "splice.h5")).toEqual([]);
    });
  });

  describe("concatenate", () => {
    it("one run per file: /g1/dset (3, 10), unlimited rows, rows 0..9 / 10..19 / 20..29, no orphan left", async () => {
      const domain = `${HOME}/concat-each.h5`;
      await hsload(CONCAT[0]!, domain);
      for (const file of CONCAT.slice(1)) await hsload("-a", file, domain);
      expect(await listing(domain)).toBe(goldenListing("concat"));
      expect(await compareWithGolden(domain, "concat.h5")).toEqual([]);
      const client = await target.client();
      const dset = await client.domain(domain).getDatasetByPath("/g1/dset");
      expect(dset.shape).toMatchObject({ dims: [3, 10], maxdims: [0, 10] });
      expect(await client.domain(domain).readValueJson(dset.id)).toEqual([0, 1, 2].map((r) => Array.from({ length: 10 }, (_, i) => r * 10 + i)));
      // The dataset the first file made was deleted, not orphaned: the domain holds the dataset and the ledger.
      await client.domain(domain).rescan();
      expect((await client.domain(domain).get({ verbose: true })).num_datasets).toBe(2);
    });

    it("one run of all files into a new domain gives the same", async () => {
      const domain = `${HOME}/concat-all.h5`;
      const result = await hsload("-a", ...CONCAT, domain);
      expect(result.stdout.split("\n").slice(0, 3)).toEqual(CONCAT.map((f, row) => `${f} -> ${domain}: loaded (datasets: 1 concatenated at row ${row})`));
      expect(await listing(domain)).toBe(goldenListing("concat"));
      expect(await compareWithGolden(domain, "concat.h5")).toEqual([]);
    });
  });

  describe("extend", () => {
    it("one run per file with --extend time: time (4,), grids (4, 36, 18), time_bnds (4, 2), lat/lon untouched", async () => {
      const domain = `${HOME}/imerg-each.h5`;
      await hsload("--extend", "time", IMERG[0]!, domain);
      for (const file of IMERG.slice(1)) await hsload("-a", "--extend", "time", file, domain);
      expect(await listing(domain)).toBe(goldenListing("imerg"));
      expect(await compareWithGolden(domain, "imerg.h5")).toEqual([]);
    });

    it("one run of all files, in the order of the time scale whatever the order given", async () => {
      const domain = `${HOME}/imerg-all.h5`;
      await hsload("-a", "--extend", "time", "--sort", "time", ...[...IMERG].reverse(), domain);
      expect(await listing(domain)).toBe(goldenListing("imerg"));
      expect(await compareWithGolden(domain, "imerg.h5")).toEqual([]);
    });

    it("hsget gives a file h5dump reads: the same shapes, unlimited time, the scales attached", async () => {
      const file = join(work, `imerg-${target.name}.h5`);
      await hsload("-a", "--extend", "time", ...IMERG, `${HOME}/imerg-hsget.h5`);
      const got = await tool(target, "hsget", [`${HOME}/imerg-hsget.h5`, file]);
      expect(got.code, got.stderr).toBe(0);
      const header = h5dump(["-H", file]);
      const dataspaces = [...header.matchAll(/DATASET "(\w+)" \{\s+DATATYPE\s+\S+\s+DATASPACE\s+SIMPLE \{ (.+?) \}/g)].map((m) => `${m[1]} ${m[2]}`);
      expect(dataspaces).toEqual([
        "HQprecipitation ( 4, 36, 18 ) / ( H5S_UNLIMITED, 36, 18 )",
        "IRprecipitation ( 4, 36, 18 ) / ( H5S_UNLIMITED, 36, 18 )",
        "lat ( 18 ) / ( 18 )",
        "lat_bnds ( 18, 2 ) / ( 18, 2 )",
        "lon ( 36 ) / ( 36 )",
        "lon_bnds ( 36, 2 ) / ( 36, 2 )",
        "precipitationCal ( 4, 36, 18 ) / ( H5S_UNLIMITED, 36, 18 )",
        "time ( 4 ) / ( H5S_UNLIMITED )",
        "time_bnds ( 4, 2 ) / ( H5S_UNLIMITED, 2 )",
      ]);
      // Attached: each grid's DIMENSION_LIST names time, lon and lat, and time's REFERENCE_LIST names the grids.
      const grid = h5dump(["-A", "-d", "/Grid/precipitationCal", file]);
      expect(grid).toMatch(/"DIMENSION_LIST"[\s\S]*?\(0\): \(DATASET \d+ "\/Grid\/time"\), \(DATASET \d+ "\/Grid\/lon"\),\s*\(2\): \(DATASET \d+ "\/Grid\/lat"\)/);
      const time = h5dump(["-A", "-d", "/Grid/time", file]);
      for (const name of ["HQprecipitation", "IRprecipitation", "precipitationCal", "time_bnds"]) expect(time).toContain(`"/Grid/${name}"`);
      expect(h5dump(["-d", "/Grid/time", file])).toMatch(/\(0\): 1\.59356e\+09, 1\.59356e\+09, 1\.59357e\+09, 1\.59357e\+09/);
    });
  });

  describe("domains h5pyd built (no ledger)", () => {
    it.each([
      ["ncep3.h5", NCEP3, [], "/HDFEOS/GRIDS/NCEP/Data Fields/SST"],
      ["imerg.h5", IMERG, ["--extend", "time"], "/Grid/time"],
      ["concat.h5", CONCAT, [], "/g1/dset"],
    ] as const)("-a of the files already in %s finds each one in place and records it; nothing else is written", async (name, files, extra, path) => {
      const result = await hsload("-a", ...extra, ...files, golden(name));
      expect(result.stdout.split("\n").slice(0, files.length)).toEqual(files.map((f) => `${f}: already in the domain (loaded without -a): recorded as loaded`));
      expect(await listing(golden(name))).toBe(goldenListing(name.replace(".h5", "")));
      const ledger = await ledgerRecords(target, golden(name));
      expect(ledger.map((r) => [r.name, r.state, r.slots[path]!.start])).toEqual(files.map((f, i) => [f.split("/").pop(), "complete", i]));
      // Run again: now the ledger knows them.
      const again = await hsload("-a", ...extra, ...files, golden(name));
      expect(again.stdout).toMatch(new RegExp(`0 loaded, ${files.length} skipped\n$`));
    });
  });

  describe("NCEP3-like daily files", () => {
    it("hsload day 1, then -a day by day: fields (5, 72, 144), the last day's file attributes", async () => {
      const domain = `${HOME}/ncep3-each.h5`;
      await hsload(NCEP3[0]!, domain);
      for (const file of NCEP3.slice(1)) await hsload("-a", file, domain);
      expect(await listing(domain)).toBe(goldenListing("ncep3"));
      expect(await compareWithGolden(domain, "ncep3.h5")).toEqual([]);
    });

    it("hsload day 1, then -a days 2-5 in one run", async () => {
      const domain = `${HOME}/ncep3-rest.h5`;
      await hsload(NCEP3[0]!, domain);
      await hsload("-a", ...NCEP3.slice(1), domain);
      expect(await listing(domain)).toBe(goldenListing("ncep3"));
      expect(await compareWithGolden(domain, "ncep3.h5")).toEqual([]);
    });

    it("-a of all days into a new domain", async () => {
      const domain = `${HOME}/ncep3-all.h5`;
      await hsload("-a", ...NCEP3, domain);
      expect(await listing(domain)).toBe(goldenListing("ncep3"));
      expect(await compareWithGolden(domain, "ncep3.h5")).toEqual([]);
    });
  });
});

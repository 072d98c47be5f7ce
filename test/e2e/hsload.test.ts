// The hsload CLI, run as users run it, into `local` and into hsserve: the whole hdf5-json corpus in one run
// (a folder target), the link and NCEP3-like seeds, and the options of the copy path. Every load is read back
// through the client and compared with the source (test/loader/helpers/verify-copy.ts).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORPUS } from "../helpers/paths.js";
import { runTool } from "../helpers/cli.js";
import { CLI_ENDPOINTS, type CliEndpoint, localEndpoint } from "../helpers/endpoints.js";
import { verifyCopy } from "../loader/helpers/verify-copy.js";

const H5 = join(CORPUS, "hdf5-json", "h5");
const corpus = readdirSync(H5).filter((f) => f.endsWith(".h5") && f !== "notahdf5file.h5");
const LEFT_OUT: Record<string, string[]> = { "regionref_attr.h5": ["/DS1@A1"], "tallrw.h5": ["/myrefs"], "h5ex_d_extern.h5": ["/DS1"] };
const NCEP3 = readdirSync(join(CORPUS, "seeds", "ncep3")).map((f) => join(CORPUS, "seeds", "ncep3", f));
const LINK_BIG = join(CORPUS, "seeds", "link", "link_big.h5");

describe.each(CLI_ENDPOINTS)("hsload into %s", (_name, makeTarget) => {
  let target: CliEndpoint;
  const hsload = (...args: string[]) => runTool("hsload", [...target.args, ...args], { env: target.env, timeoutMs: 300_000 });

  beforeAll(async () => {
    target = await makeTarget();
  });
  afterAll(() => target.stop());

  describe("the hdf5-json corpus, one domain per file in one run", () => {
    let loaded: { code: number; stdout: string; stderr: string };
    beforeAll(async () => {
      loaded = await hsload("--ignore", ...corpus.map((f) => join(H5, f)), `${target.home}/`);
    }, 300_000);

    it("succeeds, printing one summary line per file and what was left out", () => {
      const lines = loaded.stderr.split("\n").filter((l) => l !== "");
      const expected = Object.entries(LEFT_OUT).flatMap(([file, paths]) => paths.map((p) => `${join(H5, file)}: ${p}: left out: `));
      expect(lines).toHaveLength(expected.length);
      for (const prefix of expected) expect(lines.filter((l) => l.startsWith(prefix)), prefix).toHaveLength(1);
      expect(loaded.code, loaded.stderr).toBe(0);
      expect(loaded.stdout.trim().split("\n")).toHaveLength(corpus.length);
    });

    it.each(corpus)("%s reads back as the source", async (file) => {
      const domain = (await target.client()).domain(`${target.home}/${file}`);
      expect(await verifyCopy(join(H5, file), domain, { skipped: LEFT_OUT[file] })).toEqual([]);
    });
  });

  it("copies link_big.h5 (256 shuffle+gzip chunks) with identical values and the source's chunks and filters", async () => {
    const domain = `${target.home}/link_big.h5`;
    const result = await hsload(LINK_BIG, domain);
    expect(result.stderr).toBe("");
    expect(result.code, result.stderr).toBe(0);
    const handle = (await target.client()).domain(domain);
    expect(await verifyCopy(LINK_BIG, handle)).toEqual([]);
    const big = await handle.getDatasetByPath("/big");
    expect(big.creationProperties?.layout).toEqual({ class: "H5D_CHUNKED", dims: [16, 16] });
    expect(big.creationProperties?.filters?.map((f) => f.name)).toEqual(["shuffle", "gzip"]);
  });

  it("copies the NCEP3-like files (spaces in group names, fill values, shuffle+gzip) with identical values", async () => {
    const result = await hsload(...NCEP3, `${target.home}/`);
    expect(result.code, result.stderr).toBe(0);
    for (const file of NCEP3) {
      const handle = (await target.client()).domain(`${target.home}/${file.split("/").pop()}`);
      expect(await verifyCopy(file, handle), file).toEqual([]);
    }
    const sst = await (await target.client()).domain(`${target.home}/${NCEP3[0]!.split("/").pop()}`).getDatasetByPath("/HDFEOS/GRIDS/NCEP/Data Fields/SST");
    expect(sst.creationProperties).toMatchObject({ fillValue: -999, filters: [{ name: "shuffle" }, { name: "gzip", level: 1 }] });
  });
});

describe("hsload options (local)", () => {
  let target: CliEndpoint;
  const hsload = (...args: string[]) => runTool("hsload", args, { env: target.env });
  const tall = join(H5, "tall.h5");

  beforeAll(async () => {
    target = await localEndpoint();
  });
  afterAll(() => target.stop());

  it("--nodata creates everything but writes no values", async () => {
    expect((await hsload("--nodata", LINK_BIG, "/home/tester/nodata.h5")).code).toBe(0);
    const domain = (await target.client()).domain("/home/tester/nodata.h5");
    const big = await domain.getDatasetByPath("/big");
    expect(big.shape.dims).toEqual([256, 256]);
    expect((await domain.get({ verbose: true })).num_chunks ?? 0).toBe(0);
    const values = new Float32Array((await domain.readValue(big.id)).slice().buffer);
    expect(values.every((v) => v === 0)).toBe(true);
  });

  it("-z and --compression compress datasets that have no compressor; --ignore-filters drops the source's", async () => {
    expect((await hsload("-z", "7", tall, "/home/tester/z7.h5")).code).toBe(0);
    const z7 = await (await target.client()).domain("/home/tester/z7.h5").getDatasetByPath("/g1/g1.1/dset1.1.1");
    expect(z7.creationProperties?.filters).toEqual([{ class: "H5Z_FILTER_DEFLATE", id: 1, name: "gzip", level: 7 }]);
    expect((await hsload("--compression", "lz4", "--ignore-filters", LINK_BIG, "/home/tester/lz4.h5")).code).toBe(0);
    const lz4 = (await target.client()).domain("/home/tester/lz4.h5");
    expect((await lz4.getDatasetByPath("/big")).creationProperties?.filters).toEqual([{ class: "H5Z_FILTER_USER", id: 32004, name: "lz4", level: 5 }]);
    expect(await verifyCopy(LINK_BIG, lz4)).toEqual([]);
    const bad = await hsload("--compression", "lzw", tall, "/home/tester/bad.h5");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown --compression lzw/);
  });

  it("--json prints a machine-readable summary", async () => {
    const result = await hsload("--json", tall, "/home/tester/json.h5");
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { loads: Record<string, unknown>[] };
    expect(summary.loads).toEqual([
      expect.objectContaining({ source: tall, domain: "/home/tester/json.h5", status: "loaded", groups: 6, datasets: 4, links: 11, attributes: 4, bytes: 580, skipped: [] }),
    ]);
  });

  it("refuses an existing target unless --force, skips it with -n, and --force replaces it", async () => {
    expect((await hsload(tall, "/home/tester/again.h5")).code).toBe(0);
    const domain = (await target.client()).domain("/home/tester/again.h5");
    const firstRoot = (await domain.get()).root;
    const refused = await hsload(tall, "/home/tester/again.h5");
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe("domain exists: /home/tester/again.h5 (--force replaces it)");
    const skipped = await hsload("-n", tall, "/home/tester/again.h5");
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/skipped, the domain exists/);
    expect((await domain.get()).root).toBe(firstRoot);
    const replaced = await hsload("--force", join(H5, "sample.h5"), "/home/tester/again.h5");
    expect(replaced.code).toBe(0);
    expect((await domain.get()).root).not.toBe(firstRoot);
    expect(await verifyCopy(join(H5, "sample.h5"), domain)).toEqual([]);
  });

  it("refuses several sources without a folder target, and contradictory options", async () => {
    const several = await hsload(tall, LINK_BIG, "/home/tester/x.h5");
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/folder target ending in "\/"/);
    expect((await hsload("--force", "-n", tall, "/home/tester/x.h5")).code).toBe(2);
  });

  it("leaves no temporary domains behind", async () => {
    const names: string[] = [];
    for await (const entry of (await target.client()).listFolder("/home/tester/")) names.push(entry.name);
    expect(names.filter((n) => n.includes(".hsload-"))).toEqual([]);
  });
});

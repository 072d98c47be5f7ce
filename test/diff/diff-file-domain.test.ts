// diffFileDomain on real loads: a file made here with h5wasm (hard, soft and external links, chunks, a NaN, a
// partly written dataset) and corpus files, loaded by the loader into the embedded engine, then changed through
// the client. Each change must come out as exactly the difference it is.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { DomainHandle, HsdsClient } from "../../src/client/hsds-client.js";
import { type DiffOptions, diffFileDomain, type ObjectReport } from "../../src/diff/diff-file-domain.js";
import { differenceLine } from "../../src/diff/difference.js";
import { loadFile } from "../../src/loader/load.js";
import { CORPUS } from "../helpers/paths.js";
import { localClient } from "../loader/helpers/local-client.js";

const H5 = join(CORPUS, "hdf5-json", "h5");
let client: HsdsClient;
let made: string;
let loads = 0;

/**
 * 1024x1024 float32 (large enough for several domain chunks): [i, j] is i * 1024 + j, but [0, 1] is a NaN with a
 * payload (0x7fc00042) and [0, 2] is 0.
 */
const SIDE = 1024;

function madeFile(dir: string): string {
  const file = join(dir, "made.h5");
  const f = new h5wasm.File(file, "w");
  const values = new Float32Array(SIDE * SIDE).map((_, i) => i);
  new Uint32Array(values.buffer)[1] = 0x7fc00042;
  values[2] = 0;
  const a = f.create_group("a");
  a.create_dataset({ name: "d", data: values, shape: [SIDE, SIDE], chunks: [256, 256], dtype: "<f4" });
  a.create_attribute("units", "m");
  const b = f.create_group("b");
  b.create_hard_link("/a/d", "d");
  b.create_dataset({ name: "e", data: new Int16Array(100).map((_, i) => i), dtype: "<i2" });
  f.create_soft_link("/a/d", "s");
  f.create_external_link("other.h5", "/data", "x");
  // Only rows 10..19 ever written: the rest reads as the fill value.
  const partial = f.create_dataset({ name: "partial", data: new Int32Array(0), shape: [0, 40], maxshape: [null, 40], chunks: [10, 10], dtype: "<i4" });
  partial.resize([40, 40]);
  partial.write_slice([[10, 20], []], new Int32Array(400).map((_, i) => i + 1));
  f.close();
  return file;
}

/** A fresh load of `file`, changed by `change`, compared with it. */
async function diffAfter(file: string, change: (domain: DomainHandle) => Promise<void>, options: DiffOptions = {}) {
  const path = `/home/tester/load-${++loads}.h5`;
  await loadFile(client, file, path, { parallel: 4 });
  const domain = client.domain(path);
  await change(domain);
  const reports: ObjectReport[] = [];
  const count = await diffFileDomain(file, domain, options, (report) => reports.push(report));
  const lines = reports.flatMap((r) => r.differences.map(differenceLine));
  expect(lines).toHaveLength(count);
  return { lines, reports };
}

const idOf = async (domain: DomainHandle, h5path: string) => (await domain.getByPath(h5path)).id;
const rootOf = async (domain: DomainHandle) => (await domain.get()).root!;
const float32 = (v: number) => new Uint8Array(new Float32Array([v]).buffer);

beforeAll(async () => {
  await h5wasm.ready;
  made = madeFile(mkdtempSync(join(tmpdir(), "hsdiff-")));
  client = (await localClient()).client;
});

describe("diffFileDomain", () => {
  it("finds nothing after a load, and compares every object once, in the file's link order", async () => {
    let chunks: number[] = [];
    const { lines, reports } = await diffAfter(made, async (domain) => {
      chunks = (await domain.getDataset(await idOf(domain, "/a/d"))).layout!.dims!;
    }, { maxBlockBytes: 1 });
    expect(lines).toEqual([]);
    // Blocks no larger than asked for are one domain chunk each.
    const domainChunks = chunks.reduce((n, c) => n * Math.ceil(SIDE / c), 1);
    expect(domainChunks).toBeGreaterThan(1);
    expect(reports.map((r) => [r.path, r.kind, r.attributes, r.blocks])).toEqual([
      ["/", "group", 0, undefined],
      ["/a", "group", 1, undefined],
      ["/a/d", "dataset", 0, domainChunks],
      ["/b", "group", 0, undefined],
      ["/b/e", "dataset", 0, 1],
      ["/partial", "dataset", 0, 1],
    ]);
    // By default a block is several chunks.
    const whole = await diffAfter(made, async () => undefined);
    expect(whole.reports.find((r) => r.path === "/a/d")!.blocks).toBeLessThan(domainChunks);
  });

  it("names a hard link that reaches another object than in the file, either way round", async () => {
    const split = await diffAfter(made, async (domain) => {
      const b = await idOf(domain, "/b");
      await domain.deleteLink(b, "d");
      await domain.createDataset({ type: "H5T_IEEE_F32LE", shape: [SIDE, SIDE], link: { id: b, name: "d" } });
    });
    expect(split.lines).toEqual(["/b/d: identity differs: the dataset at /a/d in the file, another dataset in the domain"]);
    const joined = await diffAfter(made, async (domain) => {
      const b = await idOf(domain, "/b");
      await domain.deleteLink(b, "e");
      await domain.putLink(b, "e", { id: await idOf(domain, "/a/d") });
    });
    expect(joined.lines).toEqual(["/b/e: identity differs: another dataset in the file, the dataset at /a/d in the domain"]);
  });

  it("names soft and external links with other targets, and an object of another class", async () => {
    const { lines } = await diffAfter(made, async (domain) => {
      const root = await rootOf(domain);
      await domain.deleteLinks(root, ["s", "x"]);
      await domain.putLinks(root, { s: { h5path: "/b/e" }, x: { h5path: "/data", h5domain: "elsewhere.h5" } });
      const b = await idOf(domain, "/b");
      await domain.deleteLink(b, "e");
      await domain.createGroup({ link: { id: b, name: "e" } });
    });
    // In the walk's order: /b's links before the root's later ones.
    expect(lines).toEqual([
      "/b/e: class differs: dataset in the file, group in the domain",
      "/s: link differs: soft link to /a/d in the file, soft link to /b/e in the domain",
      "/x: link differs: external link to /data in other.h5 in the file, external link to /data in elsewhere.h5 in the domain",
    ]);
  });

  it("compares floats bit for bit, NaN equal to any NaN", async () => {
    const { lines } = await diffAfter(made, async (domain) => {
      const d = await idOf(domain, "/a/d");
      await domain.writeValue(d, new Uint8Array([0x11, 0, 0xc0, 0xff]), { select: "[0:1,1:2]" });
      await domain.writeValue(d, float32(-0), { select: "[0:1,2:3]" });
    });
    // [0, 1] holds NaNs of two payloads, so the first difference is the next element.
    expect(lines).toEqual(["/a/d: values differ at [0, 2]: 0 in the file, -0 in the domain"]);
  });

  it("reports the first difference in block order, and reads no further than it needs", async () => {
    let chunks: number[] = [];
    const { lines, reports } = await diffAfter(
      made,
      async (domain) => {
        const d = await idOf(domain, "/a/d");
        chunks = (await domain.getDataset(d)).layout!.dims!;
        await domain.writeValue(d, float32(-1), { select: "[1000:1001,1000:1001]" });
        await domain.writeValue(d, float32(-2), { select: "[600:601,3:4]" });
      },
      { maxBlockBytes: 1, parallel: 1 },
    );
    expect(lines).toEqual([`/a/d: values differ at [600, 3]: ${600 * SIDE + 3} in the file, -2 in the domain`]);
    // One block in flight: the blocks up to the one holding [600, 3] (C order of domain chunks), and no more.
    const firstDiffering = Math.floor(600 / chunks[0]!) * Math.ceil(SIDE / chunks[1]!);
    expect(reports.find((r) => r.path === "/a/d")!.blocks).toBe(firstDiffering + 1);
  });

  it("takes elements the file never wrote as its fill value", async () => {
    const { lines } = await diffAfter(made, async (domain) => {
      await domain.writeValue(await idOf(domain, "/partial"), new Uint8Array([7, 0, 0, 0]), { select: "[0:1,0:1]" });
    });
    expect(lines).toEqual(["/partial: values differ at [0, 0]: 0 in the file, 7 in the domain"]);
  });

  it("names attributes changed, added and removed, unless told not to look", async () => {
    const change = async (domain: DomainHandle) => {
      const a = await idOf(domain, "/a");
      const { type } = await domain.getAttribute(a, "units");
      await domain.putAttribute(a, "units", { type, shape: [], value: "km" });
      await domain.putAttribute(await rootOf(domain), "added", { type: "H5T_STD_I32LE", shape: [], value: 1 });
    };
    expect((await diffAfter(made, change)).lines).toEqual([
      "/@added: attribute only in the domain",
      '/a@units: values differ: "m" in the file, "km" in the domain',
    ]);
    expect((await diffAfter(made, change, { noattr: true })).lines).toEqual([]);
  });

  it("compares references by the object they point to", async () => {
    const file = join(H5, "objref_attr.h5");
    const { lines } = await diffAfter(file, async (domain) => {
      const [g1, ds2] = [await idOf(domain, "/G1"), await idOf(domain, "/DS2")];
      await domain.putAttribute(await idOf(domain, "/DS1"), "A1", {
        type: { class: "H5T_REFERENCE", base: "H5T_STD_REF_OBJ" },
        shape: [2],
        value: [`datasets/${ds2}`, `groups/${g1}`],
      });
    });
    expect(lines).toEqual(['/DS1@A1: values differ at [0]: "/G1" in the file, "/DS2" in the domain']);
  });

  it("checks that a committed datatype is used where the file uses it", async () => {
    const file = join(H5, "committed_type.h5");
    const { lines } = await diffAfter(file, async (domain) => {
      const root = await rootOf(domain);
      const { type, value } = await domain.getAttribute(root, "attr1");
      const { id: _committed, ...inline } = type as Record<string, unknown> & { class: string };
      await domain.putAttribute(root, "attr1", { type: inline, shape: [], value });
    });
    expect(lines).toEqual(["/@attr1: committed-type differs: the datatype at /Sensor_Type in the file, an inline type in the domain"]);
  });

  it("with nodata compares no values", async () => {
    const { lines, reports } = await diffAfter(
      made,
      async (domain) => domain.writeValue(await idOf(domain, "/b/e"), new Uint8Array([9, 9, 9, 9]), { select: "[0:1]" }),
      { nodata: true },
    );
    expect(lines).toEqual([]);
    expect(reports.every((r) => r.blocks === undefined)).toBe(true);
  });
});

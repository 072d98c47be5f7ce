// A domain of every kind of object and type, exported in-process and read back with h5wasm (the HDF5
// library itself): values, types, shapes, links and references as the domain has them, or in the
// documented closest form. Also: --nodata, no-clobber and the clean-up after a failure.
import h5wasm, { Dataset, Group, Reference } from "h5wasm/node";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HsdsClient } from "../../src/client/hsds-client.js";
import type { CreationProperties } from "../../src/client/hsds-types.js";
import { ExportError, type ExportOptions, exportDomain } from "../../src/export/export-domain.js";
import { inProcessWriter } from "../../src/export/file-writer.js";
import { H5FileWriter } from "../../src/export/h5-file-writer.js";
import { localClient } from "../loader/helpers/local-client.js";
import { copyGoldenStore, goldenClient, goldenDomain } from "./golden-domains.js";

const DOMAIN = "/home/alice/kinds.h5";
let client: HsdsClient;
let out: string;
const changes = new Map<string, string[]>();

const inProcess: ExportOptions["openWriter"] = async (path) => inProcessWriter(await H5FileWriter.create(path));

async function makeDomain(c: HsdsClient): Promise<void> {
  const d = c.domain(DOMAIN);
  const root = (await d.create()).root!;
  const g = await d.createGroup({ link: { id: root, name: "g" } });
  await d.putLink(root, "g_again", { id: g.id });
  const make = async (name: string, type: unknown, shape: number[] | "H5S_NULL", value?: unknown, creationProperties?: CreationProperties) => {
    const ds = await d.createDataset({ type: type as never, shape, link: { id: g.id, name }, creationProperties });
    if (value instanceof Uint8Array) await d.writeValue(ds.id, value);
    else if (value !== undefined) await d.writeValueJson(ds.id, value);
    return ds.id;
  };
  // 300x1000 float64 big-endian: HSDS grows the requested [50,100] chunk past 1 MiB, still several chunks.
  const values = new DataView(new ArrayBuffer(300 * 1000 * 8));
  for (let i = 0; i < 300 * 1000; i++) values.setFloat64(i * 8, Math.floor(i / 1000) === 40 ? 0 : i + 0.5, false);
  await make("chunked", "H5T_IEEE_F64BE", [300, 1000], new Uint8Array(values.buffer), {
    layout: { class: "H5D_CHUNKED", dims: [50, 100] },
    filters: [{ class: "H5Z_FILTER_SHUFFLE" }, { class: "H5Z_FILTER_DEFLATE", level: 6 }],
    fillValue: -1,
  });
  await make("shuffled", "H5T_STD_I32LE", [1000], Array.from({ length: 1000 }, (_, i) => i * 7), { filters: [{ class: "H5Z_FILTER_SHUFFLE" }] });
  await make("lz4", "H5T_STD_U16LE", [500], Array.from({ length: 500 }, (_, i) => i), { filters: [{ class: "H5Z_FILTER_USER", name: "lz4", level: 3 }] });
  await make("half", "H5T_IEEE_F16LE", [4], [1.5, -2, 0.25, 65504]);
  await make("arr", { class: "H5T_ARRAY", dims: [2, 3], base: "H5T_STD_I16BE" }, [2], [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]);
  await make("opaque", { class: "H5T_OPAQUE", size: 3, tag: "raw" }, [2], Uint8Array.from([1, 2, 3, 4, 5, 6]));
  await make("bool", { class: "H5T_ENUM", base: "H5T_STD_I8LE", mapping: { FALSE: 0, TRUE: 1 } }, [3], [true, false, true]);
  await make("vstr", { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" }, [3], ["a", "ü", ""], { layout: { class: "H5D_CHUNKED", dims: [2] } });
  await make("scalar", "H5T_IEEE_F64LE", [], 3.25);
  await make("scalar_str", { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_ASCII" }, [], "only");
  await make("null", "H5T_STD_I32LE", "H5S_NULL");
  const cmpd = await make(
    "cmpd",
    {
      class: "H5T_COMPOUND",
      fields: [
        { name: "a", type: "H5T_STD_I32BE" },
        { name: "s", type: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" } },
        { name: "r", type: "H5T_STD_REF_OBJ" },
        { name: "f", type: { class: "H5T_STRING", length: 4, charSet: "H5T_CSET_ASCII", strPad: "H5T_STR_NULLPAD" } },
      ],
    },
    [2],
    [[1, "héllo", `groups/${g.id}`, "ab"], [2, "", "", "abcd"]],
  );
  const t = await d.createDatatype({ type: "H5T_STD_I32LE", link: { id: root, name: "type" } });
  await d.putAttribute(root, "refs", { type: "H5T_STD_REF_OBJ", shape: [3], value: [`datasets/${cmpd}`, `datatypes/${t.id}`, `groups/${root}`] });
  await d.putAttribute(root, "half", { type: "H5T_IEEE_F16BE", shape: [], value: 0.5 });
  await d.putAttribute(root, "empty", { type: "H5T_STD_I32LE", shape: "H5S_NULL" });
  await d.putAttribute(g.id, "large", { type: "H5T_IEEE_F64LE", shape: [20000], value: Array.from({ length: 20000 }, (_, i) => i / 4) });
  await d.putAttribute(g.id, "note", { type: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" }, shape: [], value: "héllo wörld" });
  await d.putLink(g.id, "soft", { h5path: "/g/half" });
  await d.putLink(g.id, "ext", { h5path: "/x", h5domain: "other.h5" });
}

beforeAll(async () => {
  await h5wasm.ready;
  ({ client } = await localClient(mkdtempSync(join(tmpdir(), "hsget-kinds-")), "alice"));
  await makeDomain(client);
  out = join(mkdtempSync(join(tmpdir(), "hsget-out-")), "kinds.h5");
  await exportDomain(client.domain(DOMAIN), out, {
    openWriter: inProcess,
    blockBytes: 1, // one chunk a block
    onChanges: (path, list) => changes.set(path, [...(changes.get(path) ?? []), ...list]),
  });
});
afterAll(() => client.close());

function readBack<T>(use: (f: InstanceType<typeof h5wasm.File>) => T): T {
  const f = new h5wasm.File(out, "r");
  try {
    return use(f);
  } finally {
    f.close();
  }
}
const dataset = (f: InstanceType<typeof h5wasm.File>, path: string) => f.get(path) as Dataset;

async function chunkDims(path: string): Promise<number[] | undefined> {
  const d = client.domain(DOMAIN);
  return (await d.getDataset((await d.getByPath(path)).id)).layout?.dims;
}

describe("exportDomain (in-process writer)", () => {
  it("streams a chunked big-endian dataset block by block: values, extent, HSDS's chunk shape and deflate", async () => {
    const layout = await chunkDims("/g/chunked");
    expect(layout![0]! * layout![1]!).toBeLessThan(300 * 1000);
    readBack((f) => {
      const d = dataset(f, "/g/chunked");
      expect(d.shape).toEqual([300, 1000]);
      expect(d.dtype).toBe("<d");
      const expected = Float64Array.from({ length: 300 * 1000 }, (_, i) => (Math.floor(i / 1000) === 40 ? 0 : i + 0.5));
      expect(d.value).toEqual(expected);
      expect(d.filters).toEqual([{ id: 1, name: "deflate", cd_values: [6] }]);
      expect(d.metadata.chunks).toEqual(layout);
    });
    expect(changes.get("/g/chunked")).toEqual([
      "big-endian written as little-endian",
      "fill value -1 not kept (h5wasm cannot set fill values); every value is written",
      "filter shuffle dropped (h5wasm writes one filter per dataset and deflate was kept)",
    ]);
  });

  it("writes a shuffle alone as HDF5's shuffle, and other compressors as deflate", () => {
    readBack((f) => {
      const shuffled = dataset(f, "/g/shuffled");
      expect(shuffled.value).toEqual(Int32Array.from({ length: 1000 }, (_, i) => i * 7));
      expect(shuffled.filters).toEqual([{ id: 2, name: "shuffle", cd_values: [4] }]);
      const lz4 = dataset(f, "/g/lz4");
      expect(lz4.value).toEqual(Uint16Array.from({ length: 500 }, (_, i) => i));
      expect(lz4.filters).toEqual([{ id: 1, name: "deflate", cd_values: [3] }]);
    });
    expect(changes.get("/g/shuffled")).toBeUndefined();
    expect(changes.get("/g/lz4")).toEqual(["lz4 compression written as deflate (the only compressor HDF5 has built in)"]);
  });

  it("writes the closest forms: float32 for float16, extra dimensions for arrays and opaque, integers for enums", () => {
    readBack((f) => {
      expect(dataset(f, "/g/half").value).toEqual(Float32Array.from([1.5, -2, 0.25, 65504]));
      const arr = dataset(f, "/g/arr");
      expect([arr.shape, arr.dtype]).toEqual([[2, 2, 3], "<h"]);
      expect(arr.value).toEqual(Int16Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
      const opaque = dataset(f, "/g/opaque");
      expect([opaque.shape, opaque.value]).toEqual([[2, 3], Uint8Array.from([1, 2, 3, 4, 5, 6])]);
      expect(dataset(f, "/g/bool").value).toEqual(Int8Array.from([1, 0, 1]));
      expect(f.attrs["half"]!.value).toBe(0.5);
    });
  });

  it("writes variable-length strings, scalars and a null dataspace as an empty one", () => {
    readBack((f) => {
      expect(dataset(f, "/g/vstr").value).toEqual(["a", "ü", ""]);
      expect(dataset(f, "/g/scalar").value).toBe(3.25);
      expect(dataset(f, "/g/scalar_str").value).toBe("only");
      expect(dataset(f, "/g/null").shape).toEqual([0]);
      expect(f.attrs["empty"]!.shape).toEqual([0]);
      expect((f.get("/g") as Group).attrs["note"]!.value).toBe("héllo wörld");
    });
  });

  it("writes an attribute over 64 KiB (dense attribute storage)", () => {
    readBack((f) => {
      expect((f.get("/g") as Group).attrs["large"]!.value).toEqual(Float64Array.from({ length: 20000 }, (_, i) => i / 4));
    });
  });

  it("writes compounds with big-endian, variable-length string and fixed string members", () => {
    // h5wasm reads references inside compounds as nothing; the e2e test checks them with h5dump.
    readBack((f) => {
      const rows = dataset(f, "/g/cmpd").value as unknown as [number, string, unknown, string][];
      expect(rows.map(([a, s, , fixed]) => [a, s, fixed])).toEqual([[1, "héllo", "ab"], [2, "", "abcd"]]);
    });
  });

  it("points references at the copied objects and writes the ones to objects not in the file as null", () => {
    readBack((f) => {
      const [cmpd, committed, root] = f.attrs["refs"]!.value as Reference[];
      expect((f.dereference(cmpd!) as unknown as Dataset).path).toBe("/g/cmpd");
      expect([...committed!.ref_data].every((b) => b === 0)).toBe(true);
      expect((f.dereference(root!) as unknown as Group).path).toBe("/");
    });
    expect(changes.get("/ attribute refs")).toEqual(["1 reference to objects not in the file written as null references"]);
    expect(changes.get("/type")).toEqual(["committed datatype not written (h5wasm cannot commit datatypes; users of it carry the type inline)"]);
  });

  it("keeps hard, soft and external links", () => {
    readBack((f) => {
      expect(f.get("/g_again")).toBeInstanceOf(Group);
      const address = (path: string) => [...(f.get(path) as Group).create_reference().ref_data];
      expect(address("/g_again")).toEqual(address("/g"));
      expect(f.get_link("/g/soft")).toBe("/g/half");
      expect(f.get_external_link("/g/ext")).toEqual({ filename: "other.h5", obj_path: "/x" });
      expect(f.keys()).toEqual(["g", "g_again"]);
    });
  });

  it("--nodata: structure and attributes, no values", async () => {
    const target = join(mkdtempSync(join(tmpdir(), "hsget-nodata-")), "nodata.h5");
    await exportDomain(client.domain(DOMAIN), target, { openWriter: inProcess, nodata: true });
    const f = new h5wasm.File(target, "r");
    try {
      expect((f.get("/g/chunked") as Dataset).shape).toEqual([300, 1000]);
      expect((f.get("/g/chunked") as Dataset).value).toEqual(new Float64Array(300 * 1000));
      expect((f.get("/g") as Group).attrs["note"]!.value).toBe("héllo wörld");
    } finally {
      f.close();
    }
  });

  it("no-clobber: an existing file is an error and stays untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hsget-clobber-"));
    const target = join(dir, "x.h5");
    writeFileSync(target, "keep");
    await expect(exportDomain(client.domain(DOMAIN), target, { openWriter: inProcess, noClobber: true })).rejects.toThrow(new ExportError(`file exists: ${target}`));
    expect(readdirSync(dir)).toEqual(["x.h5"]);
  });
});

describe("exportDomain failures", () => {
  it("a chunk that cannot be read half-way leaves no file and no partial file, and names the dataset", async () => {
    const root = copyGoldenStore();
    const golden = await goldenClient(root);
    try {
      const imerg = golden.domain(goldenDomain("imerg.h5"));
      const info = await imerg.getByPath("/Grid/precipitationCal");
      const chunk = join(root, "hsdstest", "db", info.id.slice(2, 19), "d", info.id.slice(20), "0_0_0");
      expect(existsSync(chunk)).toBe(true);
      writeFileSync(chunk, "not a chunk");
      const dir = mkdtempSync(join(tmpdir(), "hsget-fail-"));
      await expect(exportDomain(imerg, join(dir, "imerg.h5"), { openWriter: inProcess, concurrency: 1 })).rejects.toThrow(
        /^cannot read values of \/Grid\/precipitationCal\[0:4,0:36,0:18\]: /,
      );
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await golden.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

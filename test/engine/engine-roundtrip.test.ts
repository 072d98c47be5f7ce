// The engine behind the client core in-process: what a loader does (domains, groups, datasets,
// values, attributes, links) and what HSDS answers for the usual errors.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HsdsClient } from "../../src/client/hsds-client.js";
import { LocalTransport } from "../../src/client/local-transport.js";
import { openLocalEngine } from "../../src/engine/local-engine.js";
import { HsdsError } from "../../src/client/errors.js";

let client: HsdsClient;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "hsds-engine-"));
  const { engine, principal } = await openLocalEngine(dir, "alice");
  client = new HsdsClient(new LocalTransport("local", engine, principal));
});
afterEach(() => client.close());

describe("engine through the client core", () => {
  it("creates the user's home folder on first use", async () => {
    const home = await client.domain("/home/alice").get();
    expect(home.class).toBe("folder");
    expect(home.owner).toBe("alice");
  });

  it("round-trips groups, datasets, values, attributes and links", async () => {
    const d = client.domain("/home/alice/t.h5");
    const info = await d.create();
    const root = info.root!;
    const g = await d.createGroup({ link: { id: root, name: "g1" } });
    const ds = await d.createDataset({
      type: { class: "H5T_FLOAT", base: "H5T_IEEE_F32BE" },
      shape: [30, 40],
      creationProperties: { layout: { class: "H5D_CHUNKED", dims: [7, 9] }, filters: [{ class: "H5Z_FILTER_SHUFFLE" }, { class: "H5Z_FILTER_DEFLATE", level: 5 }] },
      link: { id: g.id, name: "data" },
    });
    const values = new Float32Array(1200).map((_, i) => i * 0.5);
    const be = new Uint8Array(values.buffer.slice(0));
    const view = new DataView(be.buffer);
    for (let i = 0; i < 1200; i++) view.setFloat32(i * 4, values[i]!, false);
    await d.writeValue(ds.id, be);
    expect(Buffer.from(await d.readValue(ds.id)).equals(Buffer.from(be))).toBe(true);
    expect(await d.readValueJson(ds.id, { select: "[1:3,2:5]" })).toEqual([[21, 21.5, 22], [41, 41.5, 42]]);
    const part = new Uint8Array(4 * 2 * 2);
    await d.writeValue(ds.id, part, { select: "[10:12,10:12]" });
    expect(await d.readValueJson(ds.id, { select: "[9:13,11]" })).toEqual([[185.5], [0], [0], [245.5]]);

    await d.putAttribute(ds.id, "units", { type: { class: "H5T_STRING", charSet: "H5T_CSET_UTF8", length: "H5T_VARIABLE", strPad: "H5T_STR_NULLTERM" }, shape: [], value: "m/s" });
    expect((await d.getAttribute(ds.id, "units")).value).toBe("m/s");
    await d.putLink(root, "soft", { h5path: "/g1/data" });
    const found = await d.getByPath("/soft", { followSoftLinks: true });
    expect(found.id).toBe(ds.id);
    const stat = await d.get({ verbose: true });
    expect(stat.num_datasets).toBe(1);
  });

  it("stores variable-length strings and reads them back as JSON", async () => {
    const d = client.domain("/home/alice/v.h5");
    await d.create();
    const ds = await d.createDataset({ type: { class: "H5T_STRING", charSet: "H5T_CSET_UTF8", length: "H5T_VARIABLE", strPad: "H5T_STR_NULLTERM" }, shape: [3] });
    await d.writeValueJson(ds.id, ["a", "bé", ""]);
    expect(await d.readValueJson(ds.id)).toEqual(["a", "bé", ""]);
  });

  it("answers HSDS's errors: 409 on an existing domain, 404 on a missing one", async () => {
    await client.domain("/home/alice/x.h5").create();
    await expect(client.domain("/home/alice/x.h5").create()).rejects.toMatchObject({ status: 409 });
    await expect(client.domain("/home/alice/none.h5").get()).rejects.toBeInstanceOf(HsdsError);
  });

  it("grows and shrinks an extensible dataset, dropping data beyond the new edge", async () => {
    const d = client.domain("/home/alice/r.h5");
    await d.create();
    const ds = await d.createDataset({ type: "H5T_STD_I32LE", shape: [10], maxdims: [0], creationProperties: { layout: { class: "H5D_CHUNKED", dims: [4] } } });
    await d.writeValueJson(ds.id, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await d.resizeDataset(ds.id, [6])).toEqual({});
    expect(await d.resizeDataset(ds.id, [12])).toEqual({ selection: "[6:12]" });
    expect(await d.readValueJson(ds.id)).toEqual([1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0]);
  });
});

describe("attributes HSDS cannot express as JSON", () => {
  it("keeps a fixed-length string that is not UTF-8 as base64, as HSDS does", async () => {
    const d = client.domain("/home/alice/b.h5");
    const root = (await d.create()).root!;
    const type = { class: "H5T_STRING", charSet: "H5T_CSET_ASCII", length: 4, strPad: "H5T_STR_NULLPAD" };
    const raw = Buffer.from([0xff, 0xfe, 0x41, 0x00]).toString("base64");
    await d.putAttribute(root, "latin", { type, shape: [], value: raw, encoding: "base64" });
    const got = await d.getAttribute(root, "latin");
    expect(got.encoding).toBe("base64");
    expect(got.value).toBe(raw);
    // A valid UTF-8 value given as base64 is stored as JSON text.
    await d.putAttribute(root, "plain", { type, shape: [], value: Buffer.from("abc\0").toString("base64"), encoding: "base64" });
    expect((await d.getAttribute(root, "plain")).value).toBe("abc");
  });
});

describe("PUT .../chunks/{index}: chunks sent already encoded (our extension)", () => {
  it("stores an HDF5-encoded shuffle+deflate chunk as it came and reads it back", async () => {
    const { hdf5ChunkEncoder } = await import("../../src/codecs/hdf5-chunk.js");
    const about = await client.about();
    expect(about.hsds_tools_features).toContain("chunk_put");
    const d = client.domain("/home/alice/raw.h5");
    await d.create();
    const ds = await d.createDataset({
      type: "H5T_STD_I32LE",
      shape: [8, 10],
      creationProperties: { layout: { class: "H5D_CHUNKED", dims: [4, 5] }, filters: [{ class: "H5Z_FILTER_SHUFFLE" }, { class: "H5Z_FILTER_DEFLATE", level: 4 }] },
    });
    expect((await d.getDataset(ds.id)).layout?.dims).toEqual([8, 10]); // HSDS grows small chunks: one chunk here
    const values = new Int32Array(80).map((_, i) => i + 1);
    const pipeline = [
      { id: 2, flags: 0, cdValues: [4] },
      { id: 1, flags: 0, cdValues: [4] },
    ];
    const encoded = await hdf5ChunkEncoder(pipeline, { itemSize: 4, chunkBytes: 320 }).encode(new Uint8Array(values.buffer));
    await d.writeChunk(ds.id, [0, 0], encoded);
    expect(new Int32Array((await d.readValue(ds.id)).slice().buffer)).toEqual(values);
    await expect(d.writeChunk(ds.id, [0, 0], new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ status: 400 });
    await expect(d.writeChunk(ds.id, [1, 0], encoded)).rejects.toMatchObject({ status: 400 });
    // Bytes that decode, but to half a chunk: refused, the stored chunk unchanged.
    const half = await hdf5ChunkEncoder(pipeline, { itemSize: 4, chunkBytes: 160 }).encode(new Uint8Array(values.buffer, 0, 160));
    await expect(d.writeChunk(ds.id, [0, 0], half)).rejects.toMatchObject({ status: 400, reason: expect.stringMatching(/decoded to 160 bytes, expected 320/) });
    expect(new Int32Array((await d.readValue(ds.id)).slice().buffer)).toEqual(values);
  });
});

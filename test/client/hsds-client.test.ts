// The client over HttpTransport against the real HSDS 0.9.4 answers in golden/rest.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HsdsError } from "../../src/client/errors.js";
import { HsdsClient } from "../../src/client/hsds-client.js";
import { HttpTransport } from "../../src/client/http-transport.js";
import { hyperslab } from "../../src/client/selection.js";
import { type GoldenServer, REST, startGoldenServer } from "./golden-server.js";

const GOLDEN_FOLDER = "/home/test_user1/golden/";
const TALL = "/home/test_user1/golden/tall.h5";
const TALL_ROOT = "g-431e4465-47c6da7b-cb96-ccedcf-4e52f3";
const TALL_G1 = "g-431e4465-47c6da7b-c4b9-c931bd-ea8281";
const DSET111 = "d-431e4465-47c6da7b-1f8e-c1c8ab-7298ba";
const DSET21 = "d-431e4465-47c6da7b-059d-e13dc2-251c6d";
const DSET22 = "d-431e4465-47c6da7b-df42-dbee7d-4a9e07";
const LINK_BIG = "/home/test_user1/golden/link_big.h5";
const BIG = "d-53495327-17630286-3cb1-6d27c9-80a7d1";
const CHUNK_TABLE = "d-53495327-17630286-95f5-e22e8c-aa7fa0";
const IMERG = "/home/test_user1/golden/imerg.h5";
const PRECIP = "d-b0b38a15-e6ec3d00-511c-ad2f99-0b802b";
const TIME = "d-b0b38a15-e6ec3d00-1a7c-a31ec5-364598";

let golden: GoldenServer;
const clients: HsdsClient[] = [];

function client(username = "test_user1", password = "test"): HsdsClient {
  const transport = new HttpTransport({ endpoint: golden.endpoint, username, password, retries: 0 });
  const c = new HsdsClient(transport, { username });
  clients.push(c);
  return c;
}

/** The captured JSON value, as the ground truth for the binary reads. */
function capturedValue(file: string): unknown {
  return (JSON.parse(readFileSync(join(REST, file), "utf8")) as { value: unknown }).value;
}

function flat(value: unknown): number[] {
  return (value as unknown[]).flat(Infinity as 1) as number[];
}

function decode(bytes: Uint8Array, kind: "i32be" | "f32be" | "f32le" | "f64le"): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = kind === "f64le" ? 8 : 4;
  const out: number[] = [];
  for (let i = 0; i < bytes.byteLength; i += size) {
    if (kind === "i32be") out.push(view.getInt32(i, false));
    else if (kind === "f32be") out.push(view.getFloat32(i, false));
    else if (kind === "f32le") out.push(view.getFloat32(i, true));
    else out.push(view.getFloat64(i, true));
  }
  return out;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

beforeAll(async () => {
  golden = await startGoldenServer();
});
beforeEach(() => {
  golden.requests.length = 0;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await golden.close();
});

describe("server and folders", () => {
  it("reads /about with and without credentials", async () => {
    const about = await client().about();
    expect(about).toMatchObject({ state: "READY", hsds_version: "0.9.4", username: "test_user1", isadmin: false, node_count: 4 });
    const anonymous = new HsdsClient(new HttpTransport({ endpoint: golden.endpoint, retries: 0 }));
    clients.push(anonymous);
    expect((await anonymous.about()).username).toBe("anonymous");
  });

  it("lists a folder in one request when no page size is given", async () => {
    const entries = await collect(client().listFolder(GOLDEN_FOLDER));
    expect(entries).toHaveLength(16);
    expect(entries[0]).toMatchObject({ name: "/home/test_user1/golden/compound.h5", class: "domain", owner: "test_user1" });
    expect(entries.find((e) => e.name === TALL)?.root).toBe(TALL_ROOT);
    expect(golden.requests).toEqual(["/domains?domain=/home/test_user1/golden/"]);
  });

  it("pages a folder with Limit and Marker until a short page", async () => {
    const c = client();
    const all = (await collect(c.listFolder(GOLDEN_FOLDER))).map((e) => e.name);
    golden.requests.length = 0;
    const paged = (await collect(c.listFolder("/home/test_user1/golden", { pageSize: 5 }))).map((e) => e.name);
    expect(paged).toEqual(all);
    expect(golden.requests).toEqual([
      "/domains?domain=/home/test_user1/golden/&Limit=5",
      `/domains?domain=/home/test_user1/golden/&Limit=5&Marker=${all[4]}`,
      `/domains?domain=/home/test_user1/golden/&Limit=5&Marker=${all[9]}`,
      `/domains?domain=/home/test_user1/golden/&Limit=5&Marker=${all[14]}`,
    ]);
    golden.requests.length = 0;
    expect(await collect(c.listFolder(GOLDEN_FOLDER, { pageSize: 8 }))).toHaveLength(16);
    expect(golden.requests).toHaveLength(3); // 8, 8, then an empty page
  });

  it("lists a folder with per-domain statistics", async () => {
    const entries = await collect(client().listFolder(GOLDEN_FOLDER, { verbose: true }));
    expect(entries.find((e) => e.name === TALL)).toMatchObject({ num_groups: 6, num_datasets: 4, allocated_bytes: 580 });
  });

  it("gets a folder as a domain without root", async () => {
    const folder = await client().domain("/home/test_user1/golden").get();
    expect(folder.class).toBe("folder");
    expect(folder.root).toBeUndefined();
  });
});

describe("domains", () => {
  it("gets a domain", async () => {
    const info = await client().domain(TALL).get();
    expect(info).toMatchObject({ class: "domain", root: TALL_ROOT, owner: "test_user1", version: "0.9.4" });
    expect(info.limits).toEqual({ min_chunk_size: 1048576, max_chunk_size: 4194304, max_request_size: 104857600 });
    expect(info.compressors).toContain("zstd");
  });

  it("gets domain statistics with verbose", async () => {
    const info = await client().domain(TALL).get({ verbose: true });
    expect(info).toMatchObject({ num_groups: 6, num_datasets: 4, num_chunks: 4, total_size: 6087 });
    expect(info.scan_info?.md5_sum).toBe("5f3a8e9a8a0be7380feb520c1686eeb7");
  });

  it("gets every object of a small domain at once", async () => {
    const info = await client().domain(TALL).get({ getobjs: true, includeAttrs: true });
    const root = info.domain_objs?.[TALL_ROOT];
    expect(Object.keys(info.domain_objs ?? {})).toHaveLength(10);
    expect(root?.attributes?.attr1?.value).toEqual([97, 98, 99, 100, 101, 102, 103, 104, 105, 0]);
  });

  it("finds an object by h5path", async () => {
    const found = await client().domain(TALL).getByPath("/g1/g1.1/dset1.1.1");
    expect(found.class).toBe("dataset");
    expect(found.id).toBe(DSET111);
  });

  it("returns undefined from getIfExists for a missing domain", async () => {
    expect(await client().domain("/home/test_user1/golden/nosuch.h5").getIfExists()).toBeUndefined();
    expect((await client().domain(TALL).getIfExists())?.root).toBe(TALL_ROOT);
  });

  it("reads ACLs", async () => {
    const domain = client().domain(TALL);
    const all = { create: true, read: true, update: true, delete: true, readACL: true, updateACL: true };
    expect(await domain.getAcls()).toEqual([{ userName: "test_user1", ...all }]);
    expect(await domain.getAcl("test_user1")).toEqual({ userName: "test_user1", ...all });
  });
});

describe("groups and links", () => {
  it("gets a group, with links and attributes inline when asked", async () => {
    const domain = client().domain(TALL);
    expect(await domain.getGroup(TALL_ROOT)).toMatchObject({ id: TALL_ROOT, linkCount: 2, attributeCount: 2, domain: TALL });
    const g1 = await domain.getGroup(TALL_G1, { includeLinks: true, includeAttrs: true });
    expect(Object.keys(g1.links ?? {})).toEqual(["g1.1", "g1.2"]);
    expect(g1.links?.["g1.2"]).toMatchObject({ class: "H5L_TYPE_HARD", id: "g-431e4465-47c6da7b-7231-d4159a-8d7eab" });
    expect(g1.attributes).toEqual({});
  });

  it("lists links, also page by page", async () => {
    const domain = client().domain(TALL);
    const links = await collect(domain.listLinks(TALL_ROOT));
    expect(links.map((l) => [l.title, l.class, l.collection, l.id])).toEqual([
      ["g1", "H5L_TYPE_HARD", "groups", TALL_G1],
      ["g2", "H5L_TYPE_HARD", "groups", "g-431e4465-47c6da7b-4c8b-b02d0f-ba0b60"],
    ]);
    expect((await collect(domain.listLinks(TALL_ROOT, { pageSize: 1 }))).map((l) => l.title)).toEqual(["g1", "g2"]);
  });

  it("lists every link below a group in one request", async () => {
    const tree = await client().domain(TALL).listLinksRecursive(TALL_ROOT);
    expect(Object.keys(tree)).toHaveLength(6);
    expect(tree["g-431e4465-47c6da7b-4c8b-b02d0f-ba0b60"]?.map((l) => l.title)).toEqual(["dset2.1", "dset2.2"]);
  });

  it("gets hard, soft and external links", async () => {
    const domain = client().domain(TALL);
    expect(await domain.getLink(TALL_ROOT, "g1")).toMatchObject({
      title: "g1",
      class: "H5L_TYPE_HARD",
      id: TALL_G1,
      collection: "groups",
      created: 1795254055.7701986,
    });
    expect(await domain.getLink("g-431e4465-47c6da7b-09d8-36f007-ec89fe", "slink")).toMatchObject({
      class: "H5L_TYPE_SOFT",
      h5path: "somevalue",
    });
    expect(await domain.getLink("g-431e4465-47c6da7b-7231-d4159a-8d7eab", "extlink")).toMatchObject({
      class: "H5L_TYPE_EXTERNAL",
      h5path: "somepath",
      h5domain: "somefile",
    });
  });
});

describe("attributes", () => {
  it("lists and gets attributes of groups and datasets", async () => {
    const domain = client().domain(TALL);
    const attrs = await collect(domain.listAttributes(TALL_ROOT));
    expect(attrs.map((a) => [a.name, a.type, a.shape])).toEqual([
      ["attr1", { class: "H5T_INTEGER", base: "H5T_STD_I8LE" }, { class: "H5S_SIMPLE", dims: [10] }],
      ["attr2", { class: "H5T_INTEGER", base: "H5T_STD_I32BE" }, { class: "H5S_SIMPLE", dims: [2, 2] }],
    ]);
    expect((await domain.getAttribute(TALL_ROOT, "attr2")).value).toEqual([[0, 1], [2, 3]]);
    const dsetAttr = await domain.getAttribute(DSET111, "attr1");
    expect(String.fromCharCode(...(dsetAttr.value as number[]))).toBe("1st attribute of dset1.1.1\0");
    expect(golden.requests.at(-1)).toBe(`/datasets/${DSET111}/attributes/attr1?domain=${TALL}`);
  });

  it("reads scalar float and variable-length string attributes", async () => {
    const domain = client().domain(IMERG);
    const fill = await domain.getAttribute(PRECIP, "_FillValue");
    expect(fill.shape).toEqual({ class: "H5S_SCALAR" });
    expect(fill.value).toBe(-9999.900390625);
    const header = await domain.getAttribute("g-b0b38a15-e6ec3d00-a3c8-822134-3bedcf", "GridHeader");
    expect(header.type).toMatchObject({ class: "H5T_STRING", length: "H5T_VARIABLE" });
    expect(header.value).toMatch(/^BinMethod=ARITHMETIC_MEAN;\n/);
  });
});

describe("datasets and values", () => {
  it("gets a dataset's type, shape and server layout", async () => {
    const dset = await client().domain(TALL).getDataset(DSET111);
    expect(dset.type).toEqual({ class: "H5T_INTEGER", base: "H5T_STD_I32BE" });
    expect(dset.shape).toEqual({ class: "H5S_SIMPLE", dims: [10, 10], maxdims: [10, 10] });
    expect(dset.layout).toEqual({ class: "H5D_CHUNKED", dims: [10, 10] });
    const precip = await client().domain(IMERG).getDataset(PRECIP);
    expect(precip.shape.maxdims).toEqual([0, 36, 18]);
  });

  it("gets linked-dataset layouts and verbose chunk counts", async () => {
    const big = await client().domain(LINK_BIG).getDataset(BIG);
    expect(big.creationProperties?.layout).toMatchObject({ class: "H5D_CHUNKED_REF_INDIRECT", chunk_table: CHUNK_TABLE });
    const verbose = await client().domain(LINK_BIG).getDataset(BIG, { verbose: true });
    expect(typeof verbose.num_chunks).toBe("number");
  });

  it("reads a selection as binary and as JSON, in agreement (tall dset1.1.1[i][j] = i*j)", async () => {
    const domain = client().domain(TALL);
    const select = hyperslab([2, 3], [4, 7]);
    const bytes = await domain.readValue(DSET111, { select });
    expect(decode(bytes, "i32be")).toEqual([6, 8, 10, 12, 9, 12, 15, 18]);
    expect(await domain.readValueJson(DSET111, { select })).toEqual([[6, 8, 10, 12], [9, 12, 15, 18]]);
    expect(golden.requests[0]).toBe(`/datasets/${DSET111}/value?domain=${TALL}&select=%5B2:4,3:7%5D`);
  });

  it("reads a whole dataset", async () => {
    const values = decode(await client().domain(TALL).readValue(DSET111), "i32be");
    expect(values).toEqual(Array.from({ length: 100 }, (_, k) => Math.floor(k / 10) * (k % 10)));
  });

  it("reads a stepped selection with a coordinate list", async () => {
    const values = decode(await client().domain(TALL).readValue(DSET111, { select: "[0:10:3,[1,3,5]]" }), "i32be");
    expect(values).toEqual([0, 3, 6, 9].flatMap((i) => [1, 3, 5].map((j) => i * j)));
  });

  it("reads big-endian floats", async () => {
    const domain = client().domain(TALL);
    expect(decode(await domain.readValue(DSET21, { select: "[5]" }), "f32be")).toEqual([1.5]);
    expect(decode(await domain.readValue(DSET22), "f32be")).toEqual(flat(capturedValue("tall/value_dset2.2_all.json")));
  });

  it("reads linked chunks and 3-D selections as little-endian floats", async () => {
    const big = client().domain(LINK_BIG);
    expect(decode(await big.readValue(BIG, { select: "[14:18,30:34]" }), "f32le")).toEqual(
      flat(capturedValue("link_big/value_big_sel_14-18_30-34.json")),
    );
    const all = await big.readValue(BIG);
    expect(all.byteLength).toBe(256 * 256 * 4);
    expect(decode(all.subarray(0, 32), "f32le")).toEqual(flat(capturedValue("link_big/value_big_sel_0-4_0-8.json")).slice(0, 8));
    const imerg = client().domain(IMERG);
    expect(decode(await imerg.readValue(PRECIP, { select: "[0:4,0:3,0:2]" }), "f32le")).toEqual(
      flat(capturedValue("imerg/value_precipitationCal_sel_0-4_0-3_0-2.json")),
    );
    expect(decode(await imerg.readValue(TIME), "f64le")).toEqual([1593561600, 1593563400, 1593565200, 1593567000]);
  });

  it("reads a compound chunk table (<i8 offset, <i4 size) in binary", async () => {
    const bytes = await client().domain(LINK_BIG).readValue(CHUNK_TABLE);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const rows: number[][] = [];
    for (let i = 0; i < bytes.byteLength; i += 12) rows.push([Number(view.getBigInt64(i, true)), view.getInt32(i + 8, true)]);
    expect(rows).toHaveLength(256);
    expect(rows).toEqual((capturedValue("link_big/value_chunktable.json") as number[][][]).flat());
  });
});

describe("errors from the real server", () => {
  async function failure(promise: Promise<unknown>): Promise<HsdsError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HsdsError);
    return err as HsdsError;
  }

  it("404 for a missing domain", async () => {
    const err = await failure(client().domain("/home/test_user1/golden/nosuch.h5").get());
    expect(err).toMatchObject({ status: 404, method: "GET", path: "/", domain: "/home/test_user1/golden/nosuch.h5" });
    expect(err.message).toBe("domain not found: /home/test_user1/golden/nosuch.h5");
  });

  it("404 for a missing link", async () => {
    const err = await failure(client().domain(TALL).getLink(TALL_ROOT, "nosuch"));
    expect(err.message).toBe(`link not found: nosuch in group ${TALL_ROOT} in ${TALL}`);
  });

  it("401 for a wrong password or an unknown user", async () => {
    const wrong = await failure(client("test_user1", "wrongpassword").domain(TALL).get());
    expect(wrong.status).toBe(401);
    expect(wrong.message).toBe("username/password not valid for test_user1");
    expect((await failure(client("nosuchuser", "x").domain(TALL).get())).message).toBe(
      "username/password not valid for nosuchuser",
    );
  });

  it("403 for another user's domain and its values", async () => {
    const other = client("test_user2", "test").domain(TALL);
    expect((await failure(other.get())).message).toBe(`permission denied for ${TALL}`);
    const valueErr = await failure(other.readValueJson(DSET111));
    expect([valueErr.status, valueErr.message]).toEqual([403, `permission denied for ${TALL}`]);
  });

  it("400 with HSDS's reason for bad selections, ids and domain names", async () => {
    const domain = client().domain(TALL);
    for (const select of ["[0:20,0:10]", "[0:2,abc]", "[0:2]"]) {
      const err = await failure(domain.readValueJson(DSET111, { select }));
      expect([err.status, err.reason, err.message]).toEqual([
        400,
        "Invalid selection",
        `bad request for dataset ${DSET111} in ${TALL}: Invalid selection`,
      ]);
    }
    expect((await failure(domain.getGroup("g-nothex"))).message).toBe(
      `bad request for group g-nothex in ${TALL}: Invalid group id: g-nothex`,
    );
    expect((await failure(client().domain("/home/test_user1/golden/").get())).message).toBe(
      "bad request for domain /home/test_user1/golden/: Invalid domain name",
    );
  });
});

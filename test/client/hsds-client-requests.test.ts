// What the client sends for writes and special reads, checked against the REST API of
// hsds-reference.md §4, through a Transport that records requests and plays scripted answers.

import { describe, expect, it } from "vitest";
import { HsdsError, InvalidIdError } from "../../src/client/errors.js";
import { HsdsClient } from "../../src/client/hsds-client.js";
import type { RetryHint } from "../../src/client/http-transport.js";
import type { HsRequest, HsResponse, Transport } from "../../src/client/transport.js";

interface Answer {
  status: number;
  json?: string;
  text?: string;
  bytes?: Uint8Array;
}

class ScriptedTransport implements Transport {
  readonly endpoint = "http://hsds.test:5101";
  readonly requests: Array<HsRequest & RetryHint> = [];
  constructor(private readonly answers: Answer[]) {}

  async request(req: HsRequest & RetryHint): Promise<HsResponse> {
    this.requests.push(req);
    const answer = this.answers.shift() ?? { status: 200, json: "{}" };
    if (answer.text !== undefined) {
      return { status: answer.status, headers: { "content-type": "text/plain; charset=utf-8" }, body: new TextEncoder().encode(answer.text) };
    }
    const body = answer.bytes ?? new TextEncoder().encode(answer.json ?? "");
    return { status: answer.status, headers: { "content-type": "application/json" }, body };
  }

  async close(): Promise<void> {}
}

function setup(answers: Answer[] = [], options: { bucket?: string; username?: string } = {}) {
  const transport = new ScriptedTransport(answers);
  const client = new HsdsClient(transport, options);
  return { transport, client, domain: client.domain("/home/alice/new.h5") };
}

const bodyJson = (req: HsRequest) => JSON.parse(new TextDecoder().decode(req.body));

describe("domain requests", () => {
  it("creates a domain with PUT / and an empty JSON body", async () => {
    const { transport, domain } = setup([{ status: 201, json: '{"root":"g-1","class":"domain","owner":"alice"}' }]);
    expect((await domain.create()).root).toBe("g-1");
    const [req] = transport.requests;
    expect(req).toMatchObject({ method: "PUT", path: "/", query: { domain: "/home/alice/new.h5" } });
    expect(req!.headers["content-type"]).toBe("application/json");
    expect(bodyJson(req!)).toEqual({});
  });

  it("creates folders and root creation properties, and adds bucket= to every domain request", async () => {
    const { transport, client } = setup([{ status: 201, json: "{}" }, { status: 201, json: "{}" }, { status: 200, json: '{"state":"READY"}' }], {
      bucket: "b1",
    });
    await client.domain("/home/alice/sub").create({ folder: true, owner: "alice" });
    await client.domain("/home/alice/x.h5").create({ rootCreationProperties: { CreateOrder: true } });
    await client.about();
    expect(bodyJson(transport.requests[0]!)).toEqual({ folder: true, owner: "alice" });
    expect(bodyJson(transport.requests[1]!)).toEqual({ group: { creationProperties: { CreateOrder: true } } });
    expect(transport.requests[0]!.query).toEqual({ domain: "/home/alice/sub", bucket: "b1" });
    expect(transport.requests[2]!.query).toEqual({});
  });

  it("words conflicts on create and delete", async () => {
    const { domain } = setup([
      { status: 409, text: "409: Conflict" },
      { status: 409, text: "409: folder has sub-items" },
    ]);
    await expect(domain.create()).rejects.toThrow(/^domain already exists: \/home\/alice\/new\.h5$/);
    await expect(domain.delete()).rejects.toThrow(/^folder is not empty: \/home\/alice\/new\.h5: folder has sub-items$/);
  });

  it("deletes with keep_root, flushes and rescans with empty 204 answers", async () => {
    const { transport, domain } = setup([{ status: 200, json: '{"domain":"b/x"}' }, { status: 204 }, { status: 204 }]);
    await domain.delete({ keepRoot: true });
    await domain.flush();
    await domain.rescan();
    expect(transport.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ["DELETE", "/", { domain: "/home/alice/new.h5", keep_root: "1" }],
      ["PUT", "/", { domain: "/home/alice/new.h5", flush: "1" }],
      ["PUT", "/", { domain: "/home/alice/new.h5", rescan: "1" }],
    ]);
  });

  it("says who failed to authenticate, or that nobody did", async () => {
    await expect(setup([{ status: 401, text: "401: Unauthorized" }]).domain.create()).rejects.toThrow(/^authentication required$/);
    await expect(setup([{ status: 401 }], { username: "bob" }).domain.get()).rejects.toThrow(
      /^username\/password not valid for bob$/,
    );
  });

  it("reports 410 and unexpected statuses on one line", async () => {
    await expect(setup([{ status: 410, text: "410: Gone" }]).domain.get()).rejects.toThrow(
      /^domain was deleted: \/home\/alice\/new\.h5$/,
    );
    const err = await setup([{ status: 500, text: "500: Internal Server Error" }]).domain.createGroup().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HsdsError);
    expect((err as HsdsError).message).toBe("POST /groups: 500 Internal Server Error");
  });
});

describe("object creation and links", () => {
  it("creates and links a group in one POST", async () => {
    const { transport, domain } = setup([{ status: 201, json: '{"id":"g-2","root":"g-1","linkCount":0,"attributeCount":0}' }]);
    expect((await domain.createGroup({ link: { id: "g-1", name: "g1" } })).id).toBe("g-2");
    expect(transport.requests[0]).toMatchObject({ method: "POST", path: "/groups" });
    expect(transport.requests[0]!.idempotent).toBeUndefined();
    expect(bodyJson(transport.requests[0]!)).toEqual({ link: { id: "g-1", name: "g1" } });
  });

  it("names the link and the parent on 409 and 404 of a create", async () => {
    const { domain } = setup([{ status: 409, text: "409: Conflict" }, { status: 404, text: "404: Not Found" }]);
    const link = { id: "g-1", name: "dset" };
    const definition = { type: "H5T_STD_I32LE", shape: [10], link };
    await expect(domain.createDataset(definition)).rejects.toThrow(
      /^link dset already exists in group g-1 in \/home\/alice\/new\.h5$/,
    );
    await expect(domain.createDataset(definition)).rejects.toThrow(/^parent group not found: g-1 in \/home\/alice\/new\.h5$/);
  });

  it("creates a dataset with type, shape, maxdims, creation properties and link", async () => {
    const { transport, domain } = setup([{ status: 201, json: '{"id":"d-1"}' }]);
    const definition = {
      type: { class: "H5T_INTEGER", base: "H5T_STD_I32BE" },
      shape: [10, 10],
      maxdims: [0, 10],
      creationProperties: { layout: { class: "H5D_CHUNKED", dims: [10, 10] }, fillTime: "H5D_FILL_TIME_ALLOC" },
      link: { id: "g-1", name: "dset1" },
    };
    await domain.createDataset(definition);
    expect(bodyJson(transport.requests[0]!)).toEqual(definition);
  });

  it("puts hard, soft and external links, telling new from unchanged", async () => {
    const { transport, domain } = setup([{ status: 201, json: "{}" }, { status: 200, json: "{}" }, { status: 201, json: "{}" }]);
    expect(await domain.putLink("g-1", "hard", { id: "d-1" })).toBe("created");
    expect(await domain.putLink("g-1", "soft", { h5path: "/g2" })).toBe("unchanged");
    expect(await domain.putLinks("g-1", { ext: { h5path: "/x", h5domain: "/home/alice/o.h5" }, h: { id: "g-3" } })).toBe("created");
    expect(transport.requests.map((r) => [r.method, r.path, bodyJson(r)])).toEqual([
      ["PUT", "/groups/g-1/links/hard", { id: "d-1" }],
      ["PUT", "/groups/g-1/links/soft", { h5path: "/g2" }],
      ["PUT", "/groups/g-1/links", { links: { ext: { h5path: "/x", h5domain: "/home/alice/o.h5" }, h: { id: "g-3" } } }],
    ]);
  });

  it("words a link conflict", async () => {
    await expect(setup([{ status: 409, text: "409: Conflict" }]).domain.putLink("g-1", "a", { id: "d-9" })).rejects.toThrow(
      /^link a already exists with another target in group g-1 in \/home\/alice\/new\.h5$/,
    );
  });

  it("deletes one link or many in one request", async () => {
    const { transport, domain } = setup();
    await domain.deleteLink("g-1", "a");
    await domain.deleteLinks("g-1", ["a", "b c", "d"]);
    expect(transport.requests.map((r) => [r.method, r.path, r.query.titles])).toEqual([
      ["DELETE", "/groups/g-1/links/a", undefined],
      ["DELETE", "/groups/g-1/links", "a/b c/d"],
    ]);
  });

  it("resizes and extends datasets, returning the new region", async () => {
    const { transport, domain } = setup([
      { status: 201, json: "{}" },
      { status: 201, json: '{"selection": "[100:150,:]"}' },
      { status: 409, text: "409: Conflict" },
    ]);
    expect(await domain.resizeDataset("d-1", [100, 20])).toEqual({});
    expect(await domain.extendDataset("d-1", 50, 0)).toEqual({ selection: "[100:150,:]" });
    await expect(domain.extendDataset("d-1", 5000, 0)).rejects.toThrow(/^new shape exceeds maxdims of dataset d-1 in /);
    expect(transport.requests.map((r) => [r.method, r.path, bodyJson(r)])).toEqual([
      ["PUT", "/datasets/d-1/shape", { shape: [100, 20] }],
      ["PUT", "/datasets/d-1/shape", { extend: 50, extend_dim: 0 }],
      ["PUT", "/datasets/d-1/shape", { extend: 5000, extend_dim: 0 }],
    ]);
  });

  it("creates, gets and deletes committed datatypes", async () => {
    const { transport, domain } = setup([{ status: 201, json: '{"id":"t-1"}' }, { status: 200, json: '{"id":"t-1","type":"H5T_IEEE_F64LE"}' }]);
    await domain.createDatatype({ type: "H5T_IEEE_F64LE", link: { id: "g-1", name: "dtype" } });
    expect((await domain.getDatatype("t-1")).type).toBe("H5T_IEEE_F64LE");
    await domain.deleteDatatype("t-1");
    expect(transport.requests.map((r) => [r.method, r.path])).toEqual([
      ["POST", "/datatypes"],
      ["GET", "/datatypes/t-1"],
      ["DELETE", "/datatypes/t-1"],
    ]);
    expect(bodyJson(transport.requests[0]!)).toEqual({ type: "H5T_IEEE_F64LE", link: { id: "g-1", name: "dtype" } });
  });
});

describe("values", () => {
  it("writes binary with a selection and a broadcast count", async () => {
    const { transport, domain } = setup();
    const data = new Uint8Array([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    await domain.writeValue("d-1", data, { select: "[0:1000]", elementCount: 1 });
    await domain.writeValue("d-1", data, { append: 1, appendDim: 0 });
    const [req, append] = transport.requests;
    expect(req).toMatchObject({ method: "PUT", path: "/datasets/d-1/value", query: { select: "[0:1000]", element_count: "1" } });
    expect(req!.headers["content-type"]).toBe("application/octet-stream");
    expect(req!.body).toEqual(data);
    expect(append!.query).toMatchObject({ append: "1", append_dim: "0" });
  });

  it("writes JSON values", async () => {
    const { transport, domain } = setup();
    await domain.writeValueJson("d-1", [[1, 2, 3], [4, 5, 6]], { select: "[0:2,0:3]" });
    expect(transport.requests[0]!.query.select).toBe("[0:2,0:3]");
    expect(bodyJson(transport.requests[0]!)).toEqual({ value: [[1, 2, 3], [4, 5, 6]] });
  });

  it("reads JSON values with bare NaN", async () => {
    const { domain } = setup([{ status: 200, json: '{"status": 200, "value": [1.5, NaN, -Infinity]}' }]);
    expect(await domain.readValueJson("d-1")).toEqual([1.5, NaN, -Infinity]);
  });

  it("moves a long selection into a POST body, as a retryable read", async () => {
    const { transport, domain } = setup([{ status: 200, bytes: new Uint8Array(4) }]);
    const select = `[${Array.from({ length: 40 }, (_, i) => i * 3).join(",")}]`;
    await domain.readValue("d-1", { select });
    const [req] = transport.requests;
    expect(req).toMatchObject({ method: "POST", path: "/datasets/d-1/value", idempotent: true });
    expect(req!.query.select).toBeUndefined();
    expect(req!.headers.accept).toBe("application/octet-stream");
    expect(bodyJson(req!)).toEqual({ select });
  });

  it("sends point reads as uint64 little-endian coordinates", async () => {
    const { transport, domain } = setup([{ status: 200, bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) }]);
    const result = await domain.readPoints("d-1", [[1, 2], [3, 2 ** 40]]);
    expect([...result]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const [req] = transport.requests;
    expect(req).toMatchObject({ method: "POST", idempotent: true });
    expect(req!.headers["content-type"]).toBe("application/octet-stream");
    const view = new DataView(req!.body!.buffer, req!.body!.byteOffset, req!.body!.byteLength);
    expect([0, 8, 16, 24].map((o) => view.getBigUint64(o, true))).toEqual([1n, 2n, 3n, 2n ** 40n]);
  });

  it("words a 413", async () => {
    await expect(setup([{ status: 413, text: "413: Request Entity Too Large" }]).domain.readValue("d-1")).rejects.toThrow(
      /^request too large for dataset d-1 in \/home\/alice\/new\.h5: use smaller selections$/,
    );
  });
});

describe("attributes and ACLs", () => {
  it("puts attributes with replace=1 by default, on the collection the id names", async () => {
    const { transport, domain } = setup([{ status: 201, json: "{}" }, { status: 200, json: "{}" }, { status: 201, json: "{}" }]);
    const attr = { type: "H5T_STD_I32LE", shape: [2], value: [1, 2] };
    expect(await domain.putAttribute("d-1", "a", attr)).toBe("created");
    expect(await domain.putAttribute("t-1", "b", attr, { replace: false })).toBe("unchanged");
    expect(await domain.putAttributes("g-1", { c: attr, d: { type: "H5T_IEEE_F32LE", shape: "H5S_SCALAR", value: 0.5 } })).toBe("created");
    expect(transport.requests.map((r) => [r.method, r.path, r.query.replace])).toEqual([
      ["PUT", "/datasets/d-1/attributes/a", "1"],
      ["PUT", "/datatypes/t-1/attributes/b", undefined],
      ["PUT", "/groups/g-1/attributes", "1"],
    ]);
    expect(bodyJson(transport.requests[0]!)).toEqual(attr);
    expect(bodyJson(transport.requests[2]!).attributes.d).toEqual({ type: "H5T_IEEE_F32LE", shape: "H5S_SCALAR", value: 0.5 });
  });

  it("reads several attributes in one retryable POST", async () => {
    const { transport, domain } = setup([{ status: 200, json: '{"attributes":[{"name":"a","value":1},{"name":"b","value":NaN}]}' }]);
    const attrs = await domain.readAttributes("g-1", ["a", "b"]);
    expect(attrs.map((a) => [a.name, a.value])).toEqual([["a", 1], ["b", NaN]]);
    expect(transport.requests[0]).toMatchObject({ method: "POST", path: "/groups/g-1/attributes", idempotent: true });
    expect(transport.requests[0]!.query.IncludeData).toBe("1");
    expect(bodyJson(transport.requests[0]!)).toEqual({ attr_names: ["a", "b"] });
  });

  it("deletes an attribute and rejects ids of no collection", async () => {
    const { transport, domain } = setup();
    await domain.deleteAttribute("d-1", "a b/c");
    expect(transport.requests[0]).toMatchObject({ method: "DELETE", path: "/datasets/d-1/attributes/a%20b%2Fc" });
    expect(() => domain.listAttributes("c-1_0")).toThrow(InvalidIdError);
    expect(() => domain.listAttributes("c-1_0")).toThrow("not a group, dataset or datatype id: c-1_0");
  });

  it("puts an ACL", async () => {
    const { transport, domain } = setup([{ status: 201, json: "{}" }]);
    await domain.putAcl("bob", { read: true, update: false });
    expect(transport.requests[0]).toMatchObject({ method: "PUT", path: "/acls/bob" });
    expect(bodyJson(transport.requests[0]!)).toEqual({ read: true, update: false });
  });
});

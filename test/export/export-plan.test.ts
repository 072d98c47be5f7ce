// What hsget plans to write for golden domains, checked against the HDF5 files they were loaded from
// (read with h5wasm) and against the domains' own attributes; plus a domain made here for what the
// golden ones lack (hard links, committed types, types h5wasm cannot write).
import h5wasm, { Dataset } from "h5wasm/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HsdsClient } from "../../src/client/hsds-client.js";
import { snapshotDomain } from "../../src/export/domain-snapshot.js";
import { type ExportPlan, planExport } from "../../src/export/export-plan.js";
import { localClient } from "../loader/helpers/local-client.js";
import { copyGoldenStore, goldenClient, goldenDomain, sourceFile } from "./golden-domains.js";

let client: HsdsClient;
let store: string;
const BLOCK_BYTES = 4 << 20;

beforeAll(async () => {
  await h5wasm.ready;
  store = copyGoldenStore();
  client = await goldenClient(store);
});
afterAll(async () => {
  await client.close();
  rmSync(store, { recursive: true, force: true });
});

async function planOf(domain: string): Promise<ExportPlan> {
  return planExport(await snapshotDomain(client.domain(domain)), { blockBytes: BLOCK_BYTES });
}

function withSource<T>(name: string, use: (file: InstanceType<typeof h5wasm.File>) => T): T {
  const file = new h5wasm.File(sourceFile(name), "r");
  try {
    return use(file);
  } finally {
    file.close();
  }
}

describe("planExport on golden domains", () => {
  it("tall.h5: every group, dataset and link of the source, big-endian numbers reported", async () => {
    const plan = await planOf(goldenDomain("tall.h5"));
    expect(plan.groups.map((g) => g.path)).toEqual(["/g1", "/g1/g1.1", "/g1/g1.2", "/g1/g1.2/g1.2.1", "/g2"]);
    expect(plan.datasets.map((d) => [d.path, d.shape])).toEqual([
      ["/g1/g1.1/dset1.1.1", [10, 10]],
      ["/g1/g1.1/dset1.1.2", [20]],
      ["/g2/dset2.1", [10]],
      ["/g2/dset2.2", [3, 5]],
    ]);
    expect(plan.links).toEqual([
      { kind: "external", path: "/g1/g1.2/extlink", file: "somefile", target: "somepath" },
      { kind: "soft", path: "/g1/g1.2/g1.2.1/slink", target: "somevalue" },
    ]);
    expect(plan.attributes.map((a) => `${a.objectPath} ${a.name}`)).toEqual(["/ attr1", "/ attr2", "/g1/g1.1/dset1.1.1 attr1", "/g1/g1.1/dset1.1.1 attr2"]);
    const bigEndian = ["big-endian written as little-endian"];
    expect([...plan.changes]).toEqual([
      ["/g1/g1.1/dset1.1.1", bigEndian],
      ["/g1/g1.1/dset1.1.2", bigEndian],
      ["/g2/dset2.1", bigEndian],
      ["/g2/dset2.2", bigEndian],
      ["/ attribute attr2", bigEndian],
    ]);
  });

  it("dim_scale.h5: the source's scales, names and attachments; the scale attributes are not copied", async () => {
    const plan = await planOf(goldenDomain("dim_scale.h5"));
    const expected = withSource("dim_scale.h5", (f) => {
      const names = ["scale_x", "scale_y", "scale_z"].map((n) => ({ path: `/${n}`, name: (f.get(n) as Dataset).get_scale_name()! }));
      const temperatures = f.get("temperatures") as Dataset;
      const attached = [0, 1, 2].flatMap((dim) => temperatures.get_attached_scales(dim).map((scale) => ({ path: "/temperatures", dim, scale })));
      return { names, attached };
    });
    expect(plan.scales).toEqual(expected.names);
    expect(plan.attachments).toEqual(expected.attached);
    expect(plan.attributes.map((a) => `${a.objectPath} ${a.name}`)).toEqual(["/temperatures temp_units"]);
    expect(plan.changes.size).toBe(0);
  });

  it("imerg.h5: attachments in each scale's REFERENCE_LIST order, so the lists are rebuilt as they were", async () => {
    const plan = await planOf(goldenDomain("imerg.h5"));
    const d = client.domain(goldenDomain("imerg.h5"));
    const paths = new Map(plan.objects.map((o) => [o.id, o.path]));
    for (const scale of ["/Grid/time", "/Grid/lon", "/Grid/lat"]) {
      const scaleId = plan.objects.find((o) => o.path === scale)!.id;
      const list = (await d.getAttribute(scaleId, "REFERENCE_LIST")).value as Array<[string, number]>;
      const expected = list.map(([ref, dim]) => ({ path: paths.get(ref.split("/")[1]!), dim, scale }));
      expect(plan.attachments.filter((a) => a.scale === scale)).toEqual(expected);
    }
    const precipitation = plan.datasets.find((p) => p.path === "/Grid/precipitationCal")!;
    expect(precipitation).toMatchObject({ dims: [4, 36, 18], maxshape: [null, 36, 18], chunks: [4, 36, 18], blocks: 1 });
    expect(plan.changes.get("/Grid/precipitationCal")).toEqual([
      "fill value -9999.900390625 not kept (h5wasm cannot set fill values); every value is written",
    ]);
  });

  it("dset_gzip.h5 and h5ex_d_shuffle.h5: deflate at the source's level; a shuffle before it is dropped and reported", async () => {
    for (const name of ["dset_gzip.h5", "h5ex_d_shuffle.h5"]) {
      const plan = await planOf(goldenDomain(name));
      for (const d of plan.datasets) {
        const filters = withSource(name, (f) => (f.get(d.path) as Dataset).filters);
        const deflate = filters.find((x) => x.id === 1)!;
        expect(d.filter).toEqual({ id: 1, cdValues: [deflate.cd_values[0]] });
        const dropped = filters.some((x) => x.id === 2) ? ["filter shuffle dropped (h5wasm writes one filter per dataset and deflate was kept)"] : undefined;
        expect(plan.changes.get(d.path)).toEqual(dropped);
      }
    }
  });

  it("objref_dset.h5: the null dataspace becomes an empty (0,) one and has no blocks", async () => {
    const plan = await planOf(goldenDomain("objref_dset.h5"));
    const ds2 = plan.datasets.find((d) => d.path === "/DS2")!;
    expect(ds2).toMatchObject({ shape: [0], maxshape: [0], blocks: 0 });
    expect(ds2.chunks).toBeUndefined();
    expect([...plan.changes]).toEqual([["/DS2", ["null dataspace written as an empty one-dimensional dataspace"]]]);
  });
});

describe("planExport on a domain made here", () => {
  let plan: ExportPlan;
  let ids: Record<string, string>;

  beforeAll(async () => {
    const { client: own } = await localClient(mkdtempSync(join(tmpdir(), "hsget-plan-")), "alice");
    const d = own.domain("/home/alice/links.h5");
    const root = (await d.create()).root!;
    const g = await d.createGroup({ link: { id: root, name: "a" } });
    await d.putLink(root, "b", { id: g.id });
    const ds = await d.createDataset({ type: "H5T_STD_I32LE", shape: [3], link: { id: g.id, name: "x" } });
    await d.putLink(root, "x_too", { id: ds.id });
    const t = await d.createDatatype({ type: "H5T_IEEE_F32BE", link: { id: root, name: "t" } });
    const seq = await d.createDataset({ type: { class: "H5T_VLEN", base: "H5T_STD_I32LE" }, shape: [2], link: { id: root, name: "seq" } });
    await d.putLink(g.id, "seq_too", { id: seq.id });
    await d.putAttribute(root, "refs", { type: "H5T_STD_REF_OBJ", shape: [2], value: [`datasets/${ds.id}`, `datatypes/${t.id}`] });
    ids = { g: g.id, ds: ds.id, t: t.id, seq: seq.id };
    plan = planExport(await snapshotDomain(d), { blockBytes: BLOCK_BYTES });
    await own.close();
  });

  it("writes an object once, at the first path the walk reaches, and links the others to it", () => {
    expect(plan.groups.map((g) => g.path)).toEqual(["/a"]);
    expect(plan.datasets.map((d) => d.path)).toEqual(["/a/x"]);
    expect(plan.links).toEqual([
      { kind: "hard", path: "/b", target: "/a" },
      { kind: "hard", path: "/x_too", target: "/a/x" },
    ]);
    expect(plan.objects).toEqual([
      { id: expect.any(String), path: "/" },
      { id: ids.g, path: "/a" },
      { id: ids.ds, path: "/a/x" },
    ]);
  });

  it("reports committed types and unwritable datasets at every path that names them", () => {
    const committed = ["committed datatype not written (h5wasm cannot commit datatypes; users of it carry the type inline)"];
    const sequence = ["dataset not written: h5wasm cannot write variable-length sequences (H5T_VLEN)"];
    expect(plan.changes.get("/t")).toEqual(committed);
    expect(plan.changes.get("/a/seq_too")).toEqual(sequence);
    expect(plan.changes.get("/seq")).toEqual(sequence);
  });
});

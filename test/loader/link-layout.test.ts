// hsload --link's plan: every link seed read with the source layer and our chunk-index reader, planned, and the
// layout compared with h5py's ground truth and with what the real HSDS + h5pyd stored; then the cases that are
// copied instead, on constructed trees.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hdf5Source } from "../../src/hdf5/source/hdf5-source.js";
import type { SourceDataset, SourceTree } from "../../src/hdf5/source/source-tree.js";
import type { DatasetStorageInfo } from "../../src/hdf5/storage-info.js";
import type { HsdsType } from "../../src/model/datatype.js";
import { copiedBecause, hyperChunkDims, type LinkSource, storedElement } from "../../src/loader/link-layout.js";
import { readLinkSource } from "../../src/loader/link-source.js";
import type { LoadPlan, PlannedDataset } from "../../src/loader/load-plan.js";
import { plan } from "../../src/loader/plan.js";
import { goldenLinked, LINK_SEEDS, linkSeeds, truthRefs } from "./helpers/link-seeds.js";

const seeds = linkSeeds();
const plans = new Map<string, LoadPlan>();

beforeAll(async () => {
  for (const { file } of seeds) {
    const path = join(LINK_SEEDS, file);
    const source = await Hdf5Source.open(path);
    try {
      const tree = await source.tree();
      const link = await readLinkSource(path, tree, { linkpath: `h5files/${file}` });
      // -z and --ignore-filters shape copies; linked datasets keep the filters their bytes were written with.
      plans.set(file, plan(tree, { link, ignoreFilters: true, defaultCompression: { name: "gzip", level: 9 } }));
    } finally {
      await source.close();
    }
  }
});

const only = (file: string): PlannedDataset => {
  const datasets = plans.get(file)!.datasets;
  expect(datasets).toHaveLength(1);
  return datasets[0]!;
};

const EXPECTED_CLASS: Record<string, string> = {
  "link_contig.h5": "H5D_CONTIGUOUS_REF",
  "link_small.h5": "H5D_CHUNKED_REF",
  "link_single.h5": "H5D_CHUNKED_REF",
  "link_extarray.h5": "H5D_CHUNKED_REF",
  "link_btree2.h5": "H5D_CHUNKED_REF",
  "link_big.h5": "H5D_CHUNKED_REF_INDIRECT",
  "link_fixedarray.h5": "H5D_CHUNKED_REF_INDIRECT",
  "link_implicit.h5": "H5D_CHUNKED_REF_INDIRECT",
};

describe("the plan of every link seed", () => {
  it.each(seeds.map((s) => [s.file, s] as const))("%s: the locations h5py reported, no values to copy", (file, { truth }) => {
    const d = only(file);
    const layout = d.creationProperties!.layout!;
    expect(layout.class).toBe(EXPECTED_CLASS[file]);
    expect(layout.file_uri).toBe(`h5files/${file}`);
    expect(d.values).toBe("none");
    if (layout.class === "H5D_CONTIGUOUS_REF") {
      expect([layout.offset, layout.size]).toEqual([truth.contiguous!.byte_offset, truth.contiguous!.size]);
    } else if (layout.class === "H5D_CHUNKED_REF") {
      expect(layout.dims).toEqual(truth.chunks);
      expect(layout.chunks).toEqual(Object.fromEntries(truth.chunk_table!.map((c) => [c.chunk_index.join("_"), [c.byte_offset, c.size]])));
      expect(d.chunkTable).toBeUndefined();
    } else {
      expect(layout.hyper_dims).toEqual(truth.chunks);
      expect(d.chunkTable!.shape).toEqual(truth.chunk_grid);
      expect(d.chunkTable!.refs).toEqual(truthRefs(truth));
      expect(d.chunkTable!.fileUris).toBeUndefined();
    }
    expect((d.creationProperties!.filters ?? []).map((f) => f.id)).toEqual(truth.filters.map((f) => f.id));
  });

  it.each(["link_contig.h5", "link_small.h5", "link_big.h5"])("%s: creationProperties as h5pyd sent them to HSDS 0.9.4", (file) => {
    const golden = goldenLinked(file).creationProperties!;
    const ours = only(file).creationProperties!;
    // The chunk table's id completes the layout when the run has created the table.
    const { chunk_table: goldenTable, ...goldenLayout } = golden.layout!;
    expect(ours.layout).toEqual(goldenLayout);
    expect(only(file).chunkTable !== undefined).toBe(goldenTable !== undefined);
    expect(ours.filters).toEqual(golden.filters);
  });

  it("keeps the source's fill value for chunks that were never written", () => {
    expect(only("link_btree2.h5").creationProperties!.fillValue).toBe(-1);
  });

  it("hyper-chunks as h5pyd's expandChunk does: doubling from the last dimension to at least 1 MiB, within the extent", () => {
    expect(hyperChunkDims([16, 16], [256, 256], 4)).toEqual([256, 256]);
    expect(hyperChunkDims([16, 16], [64, 96], 4)).toEqual([64, 64]);
    expect(hyperChunkDims([1, 100], [10000, 100], 8)).toEqual([2048, 100]);
    expect(hyperChunkDims([1024, 1024], [4096, 4096], 4)).toEqual([1024, 1024]);
  });
});

const F32: HsdsType = { class: "H5T_FLOAT", base: "H5T_IEEE_F32LE" };

function dataset(extra: Partial<SourceDataset> = {}): SourceDataset {
  return {
    kind: "dataset",
    key: 2,
    path: "/d",
    attributes: [],
    type: { type: F32 },
    shape: [100, 100],
    maxShape: [100, 100],
    layout: { class: "chunked", chunks: [50, 50] },
    filters: [],
    allocated: true,
    ...extra,
  };
}

function planOne(d: SourceDataset, storage?: Partial<DatasetStorageInfo>): { planned: PlannedDataset; notes: string[] } {
  const tree: SourceTree = { file: "f.h5", root: 1, objects: [{ kind: "group", key: 1, path: "/", attributes: [], links: [{ name: "d", kind: "hard", target: 2 }], trackOrder: false }, d] };
  const info: DatasetStorageInfo = {
    shape: d.shape ?? [],
    maxShape: d.shape ?? [],
    elementSize: 4,
    filters: d.filters,
    storage: { layout: "chunked", chunkShape: [50, 50], indexType: "btree-v1", chunks: [{ index: [0, 0], address: 4096, size: 10000, filterMask: 0 }] },
    ...storage,
  };
  const link: LinkSource = { fileUri: "b/f.h5", storage: new Map(copiedBecause(d) ? [] : [[2, info]]) };
  const p = plan(tree, { link });
  return { planned: p.datasets[0]!, notes: p.notes.map((n) => `${n.path}: ${n.message}`) };
}

describe("datasets --link copies instead, as h5pyd does, saying why", () => {
  it.each([
    ["512 elements or fewer", dataset({ shape: [16, 32], maxShape: [16, 32] }), /512 elements/],
    ["scalars", dataset({ shape: [], maxShape: [] }), /no dimensions/],
    ["variable-length types", dataset({ type: { type: { class: "H5T_STRING", charSet: "H5T_CSET_UTF8", strPad: "H5T_STR_NULLTERM", length: "H5T_VARIABLE" } as HsdsType } }), /variable length/],
    ["compact storage", dataset({ layout: { class: "compact" } }), /compact/],
  ])("%s", (_what, d, reason) => {
    const { planned, notes } = planOne(d);
    expect(planned.creationProperties?.layout?.class ?? "H5D_CHUNKED").toBe("H5D_CHUNKED");
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^\/d: copied, not linked: /);
    expect(notes[0]).toMatch(reason);
  });

  it("filters HSDS cannot decode in place (LZ4 plugin)", () => {
    const lz4 = { id: 32004, flags: 1, cdValues: [] };
    const { planned, notes } = planOne(dataset({ filters: [lz4] }), { filters: [lz4] });
    expect(planned.values).toBe("blocks");
    expect(notes).toEqual(["/d: copied, not linked: HSDS cannot decode chunks stored with HDF5 filter 32004 (lz4)"]);
  });

  it("elements laid out differently in the file (padded compounds)", () => {
    const { planned, notes } = planOne(dataset(), { elementSize: 8 });
    expect(planned.values).toBe("blocks");
    expect(notes).toEqual(["/d: copied, not linked: its elements take 8 bytes in the file but 4 in HSDS"]);
  });

  it("chunks stored with a filter skipped (HDF5's filter mask), which HSDS ignores", () => {
    const chunks = [0, 1].map((i) => ({ index: [i, 0], address: 4096 + i * 100, size: 100, filterMask: i }));
    const { planned, notes } = planOne(dataset({ filters: [{ id: 1, flags: 1, cdValues: [4] }] }), { filters: [{ id: 1, flags: 1, cdValues: [4] }], storage: { layout: "chunked", chunkShape: [50, 50], indexType: "btree-v1", chunks } });
    expect(planned.values).toBe("blocks");
    expect(notes).toEqual(["/d: copied, not linked: 1 of its chunks skip a filter (HDF5 filter mask), which reference layouts cannot express"]);
  });

  it("contiguous data that was never written", () => {
    const { planned, notes } = planOne(dataset({ layout: { class: "contiguous" }, allocated: false }), { storage: { layout: "contiguous", address: undefined, size: 40000 } });
    expect(planned.values).toBe("none");
    expect(notes).toEqual(["/d: copied, not linked: its data was never written"]);
  });

  it("links a chunked dataset none of whose chunks were written, with an empty chunk map", () => {
    const { planned, notes } = planOne(dataset({ allocated: false }), { storage: { layout: "chunked", chunkShape: [50, 50], indexType: "btree-v1", chunks: [] } });
    expect(planned.creationProperties!.layout).toEqual({ class: "H5D_CHUNKED_REF", file_uri: "b/f.h5", dims: [50, 50], chunks: {} });
    expect(notes).toEqual([]);
  });
});

describe("storedElement: an element whose bytes come from the file, read once to prove the server finds it", () => {
  it("is the origin of the first written chunk, or none when nothing was written", () => {
    expect(storedElement(only("link_contig.h5"))).toEqual([0, 0]);
    expect(storedElement(only("link_small.h5"))).toEqual([0, 0]);
    const big = only("link_big.h5");
    const laterFirst = { ...big, chunkTable: { ...big.chunkTable!, refs: big.chunkTable!.refs.map((r, i) => (i < 17 ? { offset: 0, size: 0 } : r)) } };
    expect(storedElement(laterFirst)).toEqual([16, 16]);
    expect(storedElement({ ...big, chunkTable: { ...big.chunkTable!, refs: big.chunkTable!.refs.map(() => ({ offset: 0, size: 0 })) } })).toBeUndefined();
    expect(storedElement(planOne(dataset({ allocated: false }), { storage: { layout: "chunked", chunkShape: [50, 50], indexType: "btree-v1", chunks: [] } }).planned)).toBeUndefined();
  });
});

afterAll(() => plans.clear());

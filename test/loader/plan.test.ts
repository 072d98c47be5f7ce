// plan(): from a source tree to what the copy creates, on constructed trees.
import { describe, expect, it } from "vitest";
import type { HsdsType } from "../../src/model/datatype.js";
import type { SourceDataset, SourceGroup, SourceObject, SourceTree } from "../../src/hdf5/source/source-tree.js";
import { plan, PlanError } from "../../src/loader/plan.js";

const F32LE: HsdsType = { class: "H5T_FLOAT", base: "H5T_IEEE_F32LE" };
const I32BE: HsdsType = { class: "H5T_INTEGER", base: "H5T_STD_I32BE" };

function group(key: number, path: string, links: SourceGroup["links"] = [], extra: Partial<SourceGroup> = {}): SourceGroup {
  return { kind: "group", key, path, attributes: [], links, trackOrder: false, ...extra };
}

function dataset(key: number, path: string, extra: Partial<SourceDataset> = {}): SourceDataset {
  return {
    kind: "dataset",
    key,
    path,
    attributes: [],
    type: { type: F32LE },
    shape: [100, 200],
    maxShape: [100, 200],
    layout: { class: "chunked", chunks: [10, 20] },
    filters: [],
    allocated: true,
    ...extra,
  };
}

function tree(...objects: SourceObject[]): SourceTree {
  return { file: "src.h5", root: objects[0]!.key, objects };
}

const gzip = { id: 1, name: "deflate", flags: 1, cdValues: [6] };
const shuffle = { id: 2, name: "shuffle", flags: 1, cdValues: [4] };

describe("plan", () => {
  it("creates groups, datatypes and datasets, and each group's links in order", () => {
    const p = plan(
      tree(
        group(1, "/", [
          { name: "z", kind: "hard", target: 2 },
          { name: "a", kind: "hard", target: 3 },
          { name: "again", kind: "hard", target: 3 },
          { name: "soft", kind: "soft", path: "/z" },
          { name: "ext", kind: "external", file: "other.h5", path: "/x" },
        ]),
        group(2, "/z"),
        dataset(3, "/a"),
      ),
    );
    expect(p.root).toBe(1);
    expect(p.groups.map((g) => g.path)).toEqual(["/z"]);
    expect(p.datasets.map((d) => d.path)).toEqual(["/a"]);
    expect(p.links).toEqual([
      {
        group: 1,
        links: [
          { name: "z", target: { object: 2 } },
          { name: "a", target: { object: 3 } },
          { name: "again", target: { object: 3 } },
          { name: "soft", target: { h5path: "/z" } },
          { name: "ext", target: { h5path: "/x", h5domain: "other.h5" } },
        ],
      },
    ]);
  });

  it("defines datasets as HSDS does: shape, maxdims (0 = unlimited), the source's chunks, fill value", () => {
    const fill = new Uint8Array([0, 0, 0, 99]);
    const p = plan(tree(group(1, "/"), dataset(2, "/d", { type: { type: I32BE }, shape: [6, 10], maxShape: [null, null], layout: { class: "chunked", chunks: [4, 4] }, fillValue: fill })));
    expect(p.datasets[0]).toEqual({
      key: 2,
      path: "/d",
      type: { type: I32BE },
      shape: [6, 10],
      maxdims: [0, 0],
      creationProperties: { layout: { class: "H5D_CHUNKED", dims: [4, 4] }, fillValue: 99 },
      values: "blocks",
      sourceChunks: [4, 4],
      fill,
      bytes: 240,
    });
  });

  it("chunks contiguous data in whole trailing rows, so each chunk is one range of the source", () => {
    const p = plan(tree(group(1, "/"), dataset(2, "/d", { shape: [1000, 1000, 1000], maxShape: [1000, 1000, 1000], layout: { class: "contiguous" } })));
    expect(p.datasets[0]!.creationProperties!.layout).toEqual({ class: "H5D_CHUNKED", dims: [1, 1000, 1000] });
    expect(p.datasets[0]!.sourceChunks).toBeUndefined();
  });

  it("copies scalars as one value, and nothing of null, empty or never-written datasets, or with --nodata", () => {
    const p = plan(
      tree(
        group(1, "/"),
        dataset(2, "/scalar", { shape: [], maxShape: [], layout: { class: "contiguous" } }),
        dataset(3, "/null", { shape: null, maxShape: null, layout: { class: "contiguous" } }),
        dataset(4, "/empty", { shape: [0, 10], maxShape: [null, 10] }),
        dataset(5, "/unwritten", { allocated: false }),
        dataset(6, "/data"),
      ),
    );
    expect(p.datasets.map((d) => [d.path, d.values])).toEqual([
      ["/scalar", "scalar"],
      ["/null", "none"],
      ["/empty", "none"],
      ["/unwritten", "none"],
      ["/data", "blocks"],
    ]);
    expect(p.datasets.find((d) => d.path === "/null")!.shape).toBe("H5S_NULL");
    expect(p.datasets.find((d) => d.path === "/scalar")!.maxdims).toBeUndefined();
    // A fixed extent of 0 would read as unlimited in maxdims: such a dataset gets none.
    expect(plan(tree(group(1, "/"), dataset(7, "/fixed-empty", { shape: [0], maxShape: [0] }))).datasets[0]!.maxdims).toBeUndefined();
    const nodata = plan(tree(group(1, "/"), dataset(6, "/data")), { nodata: true });
    expect(nodata.datasets[0]!.values).toBe("none");
  });

  it("maps filters, drops what HSDS cannot apply with a note, and adds the -z compressor where none is left", () => {
    const p = plan(
      tree(
        group(1, "/"),
        dataset(2, "/gz", { filters: [shuffle, gzip] }),
        dataset(3, "/so", { filters: [{ id: 6, name: "scaleoffset", flags: 1, cdValues: [2, 0] }] }),
        dataset(4, "/plain"),
      ),
      { defaultCompression: { name: "lz4", level: 5 } },
    );
    const filters = (path: string) => p.datasets.find((d) => d.path === path)!.creationProperties!.filters;
    expect(filters("/gz")).toEqual([
      { class: "H5Z_FILTER_SHUFFLE", id: 2, name: "shuffle" },
      { class: "H5Z_FILTER_DEFLATE", id: 1, level: 6, name: "gzip" },
    ]);
    expect(filters("/so")).toEqual([{ class: "H5Z_FILTER_USER", id: 32004, name: "lz4", level: 5 }]);
    expect(filters("/plain")).toEqual([{ class: "H5Z_FILTER_USER", id: 32004, name: "lz4", level: 5 }]);
    expect(p.notes).toEqual([{ path: "/so", message: expect.stringMatching(/scaleoffset/) }]);
    const ignored = plan(tree(group(1, "/"), dataset(2, "/gz", { filters: [shuffle, gzip] })), { ignoreFilters: true });
    expect(ignored.datasets[0]!.creationProperties!.filters).toBeUndefined();
  });

  it("creates datasets and attributes from copied committed datatypes", () => {
    const p = plan(
      tree(
        group(1, "/", [], { attributes: [{ name: "a", type: { type: I32BE, committed: 2 }, shape: [], value: new Uint8Array(4) }] }),
        { kind: "datatype", key: 2, path: "/t", attributes: [], type: { type: I32BE } },
        dataset(3, "/d", { type: { type: I32BE, committed: 2 } }),
        dataset(4, "/anonymous-type", { type: { type: I32BE, committed: 99 } }),
      ),
    );
    expect(p.datatypes).toEqual([{ key: 2, path: "/t", type: I32BE }]);
    expect(p.datasets.map((d) => d.type)).toEqual([{ type: I32BE, committed: 2 }, { type: I32BE }]);
    expect(p.attributes[0]!.attributes[0]!.type).toEqual({ type: I32BE, committed: 2 });
  });

  it("fails on what cannot be copied, naming it, or with ignore leaves it out and reports it", () => {
    const source = tree(
      group(1, "/", [
        { name: "bad", kind: "hard", target: 2 },
        { name: "alias", kind: "hard", target: 2 },
      ], { attributes: [{ name: "region", type: { unsupported: "dataset region references are not supported" }, shape: [2] }] }),
      dataset(2, "/bad", { type: { unsupported: "the HDF5 time datatype is not supported by HSDS" } }),
      dataset(3, "/extern", { unreadable: "unable to open external raw data file" }),
    );
    expect(() => plan(source)).toThrow(PlanError);
    expect(() => plan(source)).toThrow("cannot copy /bad: the HDF5 time datatype is not supported by HSDS (and 2 more); --ignore leaves such objects out");
    const p = plan(source, { ignore: true });
    expect(p.datasets).toEqual([]);
    expect(p.attributes).toEqual([]);
    expect(p.skipped.map((s) => s.path)).toEqual(["/bad", "/extern", "/@region", "/alias"]);
    expect(p.links).toEqual([]);
  });

  it("refuses variable-length text that is not UTF-8, which HSDS cannot store", () => {
    const notUtf8 = new Uint8Array([1, 0, 0, 0, 0xff]);
    const source = tree(group(1, "/", [], { attributes: [{ name: "s", type: { type: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_ASCII" } }, shape: [], value: notUtf8 }] }));
    expect(() => plan(source)).toThrow(/\/@s: its variable-length text is not UTF-8/);
  });

  it("keeps link creation order where the source tracks it", () => {
    const p = plan(tree(group(1, "/", [{ name: "g", kind: "hard", target: 2 }], { trackOrder: true }), group(2, "/g", [], { trackOrder: true })));
    expect(p.rootCreationProperties).toEqual({ CreateOrder: 1 });
    expect(p.groups[0]!.creationProperties).toEqual({ CreateOrder: 1 });
  });
});

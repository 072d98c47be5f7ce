// When a source's stored chunks can be the target's chunk objects as they are, and why not otherwise.
import { describe, expect, it } from "vitest";
import type { HsdsFilter } from "../../src/codecs/filters.js";
import type { DatasetStorageInfo, Hdf5Filter } from "../../src/hdf5/storage-info.js";
import { passthroughProblem } from "../../src/loader/chunk-passthrough.js";
import type { PlannedDataset } from "../../src/loader/load-plan.js";
import type { HsdsType } from "../../src/model/datatype.js";

const FLOAT32: HsdsType = { class: "H5T_FLOAT", base: "H5T_IEEE_F32LE" };
const DEFLATE: Hdf5Filter = { id: 1, flags: 0, cdValues: [4] };
const SHUFFLE: Hdf5Filter = { id: 2, flags: 0, cdValues: [4] };
const HSDS_DEFLATE: HsdsFilter = { class: "H5Z_FILTER_DEFLATE", id: 1, name: "gzip", level: 4 };
const HSDS_SHUFFLE: HsdsFilter = { class: "H5Z_FILTER_SHUFFLE", id: 2, name: "shuffle" };

function dataset(type: HsdsType = FLOAT32, filters: HsdsFilter[] = [HSDS_DEFLATE]): PlannedDataset {
  return { key: 1, path: "/d", type: { type }, shape: [512, 1024], values: "blocks", bytes: 512 * 1024 * 4, creationProperties: { filters } };
}

function storage(filters: Hdf5Filter[] = [DEFLATE], options: { elementSize?: number; chunkShape?: number[]; filterMask?: number } = {}): DatasetStorageInfo {
  return {
    shape: [512, 1024],
    maxShape: [512, 1024],
    elementSize: options.elementSize ?? 4,
    filters,
    storage: {
      layout: "chunked",
      chunkShape: options.chunkShape ?? [256, 1024],
      indexType: "fixed-array",
      chunks: [{ index: [0, 0], address: 4096, size: 1000, filterMask: options.filterMask ?? 0 }],
    },
  };
}

describe("passthroughProblem", () => {
  it("takes deflate, and shuffle then deflate, on the same grid", () => {
    expect(passthroughProblem(dataset(), storage(), [256, 1024])).toBeUndefined();
    expect(passthroughProblem(dataset(FLOAT32, [HSDS_SHUFFLE, HSDS_DEFLATE]), storage([SHUFFLE, DEFLATE]), [256, 1024])).toBeUndefined();
  });

  it("refuses another grid, other filters on either side, or a chunk that skipped a filter", () => {
    expect(passthroughProblem(dataset(), storage(), [512, 1024])).toBe("the target's chunks differ");
    expect(passthroughProblem(dataset(), storage([DEFLATE, { id: 3, flags: 0, cdValues: [] }]), [256, 1024])).toMatch(/not deflate/);
    expect(passthroughProblem(dataset(FLOAT32, [HSDS_SHUFFLE, HSDS_DEFLATE]), storage(), [256, 1024])).toBe("the target filters differ");
    expect(passthroughProblem(dataset(), storage([{ ...SHUFFLE, cdValues: [8] }, DEFLATE]), [256, 1024])).toMatch(/shuffle element size/);
    expect(passthroughProblem(dataset(), storage([DEFLATE], { filterMask: 1 }), [256, 1024])).toMatch(/skipped a filter/);
  });

  it("refuses values whose bytes differ between a file and HSDS: compounds, references, variable length, padded sizes", () => {
    const compound: HsdsType = { class: "H5T_COMPOUND", fields: [{ name: "a", type: FLOAT32 }] };
    expect(passthroughProblem(dataset(compound), storage(), [256, 1024])).toMatch(/bytes differ/);
    expect(passthroughProblem(dataset({ class: "H5T_REFERENCE", base: "H5T_STD_REF_OBJ" }), storage(), [256, 1024])).toMatch(/bytes differ/);
    expect(passthroughProblem(dataset({ class: "H5T_STRING", charSet: "H5T_CSET_UTF8", strPad: "H5T_STR_NULLTERM", length: "H5T_VARIABLE" }), storage(), [256, 1024])).toMatch(/bytes differ/);
    expect(passthroughProblem(dataset(), storage([DEFLATE], { elementSize: 8 }), [256, 1024])).toMatch(/bytes differ/);
  });
});

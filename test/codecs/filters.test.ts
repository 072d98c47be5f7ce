import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FilterError } from "../../src/codecs/codec.js";
import {
  hdf5FilterToHsds,
  hsdsFilterOps,
  hsdsFilterToHdf5,
  linkedPipelineProblem,
  normalizeFilters,
  type HsdsFilter,
} from "../../src/codecs/filters.js";
import type { Hdf5Filter } from "../../src/codecs/hdf5-chunk.js";
import { CORPUS } from "../helpers/paths.js";
import { goldenDatasets, readJson } from "./helpers.js";

const DEFLATE = { class: "H5Z_FILTER_DEFLATE", id: 1, name: "gzip" };
const SHUFFLE = { class: "H5Z_FILTER_SHUFFLE", id: 2, name: "shuffle" };
const BITSHUFFLE = { class: "H5Z_FILTER_BITSHUFFLE", id: 32008, name: "bitshuffle" };

describe("normalizeFilters (HSDS POST /datasets)", () => {
  it.each([
    ["gzip", DEFLATE],
    ["deflate", DEFLATE],
    [1, DEFLATE],
    ["H5Z_FILTER_SHUFFLE", SHUFFLE],
    [2, SHUFFLE],
    ["fletcher32", { class: "H5Z_FILTER_FLETCHER32", id: 3, name: "fletcher32" }],
    [32004, { class: "H5Z_FILTER_LZ4", id: 32004, name: "lz4" }],
    ["zstd", { class: "H5Z_FILTER_ZSTD", id: 32015, name: "zstd" }],
    ["H5Z_FILTER_BLOSC", { class: "H5Z_FILTER_BLOSC", id: 32001, name: "blosclz" }],
  ])("turns %j into its table entry", (input, expected) => {
    expect(normalizeFilters([input])).toEqual([expected]);
  });

  it("keeps a dict's keys and class, filling in id and name after them", () => {
    const out = normalizeFilters([
      { class: "H5Z_FILTER_DEFLATE", id: 1, level: 9 },
      { class: "H5Z_FILTER_USER", name: "lz4", level: 3 },
      { class: "H5Z_FILTER_USER", id: 32015 },
      { class: "H5Z_FILTER_SCALEOFFSET", id: 6, scaleOffset: 2, scaleType: "H5Z_SO_INT" },
    ]);
    expect(JSON.stringify(out)).toBe(
      JSON.stringify([
        { class: "H5Z_FILTER_DEFLATE", id: 1, level: 9, name: "gzip" },
        { class: "H5Z_FILTER_USER", name: "lz4", level: 3, id: 32004 },
        { class: "H5Z_FILTER_USER", id: 32015, name: "zstd" },
        { class: "H5Z_FILTER_SCALEOFFSET", id: 6, scaleOffset: 2, scaleType: "H5Z_SO_INT", name: "scaleoffset" },
      ]),
    );
  });

  it("accepts a user filter named deflate (what hscp -z sends) and keeps that name", () => {
    expect(normalizeFilters([{ class: "H5Z_FILTER_USER", name: "deflate" }])).toEqual([{ class: "H5Z_FILTER_USER", name: "deflate", id: 1 }]);
  });

  it("does not change its input", () => {
    const input = [{ class: "H5Z_FILTER_DEFLATE", level: 4 }];
    normalizeFilters(input);
    expect(input).toEqual([{ class: "H5Z_FILTER_DEFLATE", level: 4 }]);
  });

  it.each([
    [["lzf"], /^filter lzf is not supported$/],
    [["szip"], /^filter szip is not supported$/],
    [[0], /^filter 0 is not supported$/],
    [["bogus"], /^filter bogus not recognized$/],
    [[{ class: "H5Z_FILTER_DEFLATE", id: 2 }], /^expected H5Z_FILTER_DEFLATE to have id: 1 but got 2$/],
    [[{ class: "H5Z_FILTER_USER", id: 32000 }], /is not supported/],
    [[{ class: "H5Z_FILTER_USER" }], /^filter H5Z_FILTER_USER not recognized$/],
    [[{ id: 1 }], /^expected 'class' key for filter property$/],
    [[null], /^unexpected type for filter: null$/],
    [[1.5], /unexpected type for filter/],
    [[true], /unexpected type for filter/],
    [[[1]], /unexpected type for filter/],
    [{ class: "H5Z_FILTER_DEFLATE" }, /must be a list/],
  ])("refuses %j", (input, message) => {
    expect(() => normalizeFilters(input)).toThrow(FilterError);
    expect(() => normalizeFilters(input)).toThrow(message);
  });

  it("refuses bitshuffle from clients but accepts it from linked HDF5 sources", () => {
    expect(() => normalizeFilters(["bitshuffle"])).toThrow(/is not supported/);
    expect(() => normalizeFilters([BITSHUFFLE])).toThrow(/is not supported/);
    expect(normalizeFilters(["bitshuffle", BITSHUFFLE], { allowBitshuffle: true })).toEqual([BITSHUFFLE, BITSHUFFLE]);
  });
});

describe("hsdsFilterOps (which entries HSDS acts on)", () => {
  it("takes the first compressor and the first shuffle", () => {
    expect(hsdsFilterOps([SHUFFLE, { ...DEFLATE, level: 9 }, { class: "H5Z_FILTER_ZSTD", id: 32015, name: "zstd" }], false)).toEqual({
      compressor: "zlib",
      level: 9,
      shuffle: 1,
    });
    expect(hsdsFilterOps([{ class: "H5Z_FILTER_FLETCHER32", id: 3, name: "fletcher32" }, BITSHUFFLE, SHUFFLE], false)).toEqual({ level: 5, shuffle: 2 });
  });

  it("uses the entry's name for other compressors, level 5 by default, lz4 when unnamed", () => {
    expect(hsdsFilterOps([{ class: "H5Z_FILTER_USER", name: "lz4hc", id: 32005 }], false)).toEqual({ compressor: "lz4hc", level: 5, shuffle: 0 });
    expect(hsdsFilterOps([{ class: "H5Z_FILTER_BLOSC", id: 32001 }], false)).toEqual({ compressor: "lz4", level: 5, shuffle: 0 });
    expect(hsdsFilterOps([{ class: "H5Z_FILTER_USER", name: "gzip", id: 1, level: "7" }], false)).toEqual({ compressor: "gzip", level: 7, shuffle: 0 });
  });

  it("lets scaleoffset count as the compressor and ignores user filters named deflate", () => {
    expect(hsdsFilterOps([{ class: "H5Z_FILTER_SCALEOFFSET", id: 6, name: "scaleoffset" }, DEFLATE], false).compressor).toBe("scaleoffset");
    expect(hsdsFilterOps([{ class: "H5Z_FILTER_USER", name: "deflate", id: 1 }], false).compressor).toBeUndefined();
  });

  it("never shuffles variable-length types", () => {
    expect(hsdsFilterOps([SHUFFLE, DEFLATE], true)).toEqual({ compressor: "zlib", level: 5, shuffle: 0 });
  });
});

describe("HDF5 pipeline -> HSDS filters (hsload)", () => {
  const hdf5 = (id: number, cdValues: number[] = []): Hdf5Filter => ({ id, flags: 1, cdValues });

  it("gives exactly the filters HSDS stored for the linked golden domains", () => {
    for (const [file, rootPrefix] of [["link_big.h5", "53495327-17630286"], ["link_small.h5", "3f2450ca-762a6253"]] as const) {
      const seed = readJson(join(CORPUS, "seeds", "link", `${file}.chunks.json`)) as { datasets: Array<{ filters: Array<{ id: number; cd_values: number[] }> }> };
      const mapped = seed.datasets[0]!.filters.map((f) => hdf5FilterToHsds({ id: f.id, cdValues: f.cd_values }).filter);
      const stored = goldenDatasets(rootPrefix)[0]!.json.creationProperties as { filters: HsdsFilter[] };
      expect(JSON.stringify(mapped)).toBe(JSON.stringify(stored.filters));
    }
  });

  it("maps the plugins as h5pyd does, in a form that normalisation keeps unchanged", () => {
    const mapped = [hdf5(32001, [2, 2, 4, 4000, 5, 1, 1]), hdf5(32004, [0]), hdf5(32015, [3]), hdf5(32008, [0, 4, 4, 0, 2])].map((f) => hdf5FilterToHsds(f).filter!);
    expect(mapped).toEqual([
      { class: "H5Z_FILTER_USER", name: "blosclz", id: 32001 },
      { class: "H5Z_FILTER_USER", name: "lz4", id: 32004 },
      { class: "H5Z_FILTER_USER", name: "zstd", id: 32015 },
      BITSHUFFLE,
    ]);
    expect(normalizeFilters(mapped, { allowBitshuffle: true })).toEqual(mapped);
  });

  it("drops what HSDS cannot use, with the reason", () => {
    expect(hdf5FilterToHsds(hdf5(3))).toEqual({ filter: undefined, reason: expect.stringMatching(/HDF5 filter 3 \(fletcher32\) is not supported by HSDS/) });
    expect(hdf5FilterToHsds(hdf5(6)).reason).toMatch(/scaleoffset/);
    expect(hdf5FilterToHsds({ id: 32000, name: "lzf", cdValues: [] }).reason).toMatch(/HDF5 filter 32000 \(lzf\) has no HSDS equivalent/);
  });

  it.each([
    [[2, 1], undefined],
    [[1], undefined],
    [[32001], undefined],
    [[32008, 1], undefined],
    [[2, 32001], /skips the byte unshuffle/],
    [[1, 2], /compressor before the shuffle/],
    [[3, 2, 1], /filter 3 \(fletcher32\)/],
    [[32004], /filter 32004/],
    [[32015], /filter 32015/],
    [[1, 32001], /at most one compressor/],
  ])("judges whether HSDS can read %j chunks in place", (ids, problem) => {
    const filters = ids.map((id) => hdf5(id, id === 32008 ? [0, 4, 4, 0, 2] : []));
    const answer = linkedPipelineProblem(filters);
    if (problem === undefined) expect(answer).toBeUndefined();
    else expect(answer).toMatch(problem);
  });

  it("knows HSDS reads bitshuffle only with LZ4", () => {
    expect(linkedPipelineProblem([hdf5(32008, [0, 4, 4, 0, 0])])).toMatch(/only with LZ4/);
  });
});

describe("HSDS filters -> HDF5 pipeline (hsget)", () => {
  it.each([
    [{ ...DEFLATE, level: 9 }, { id: 1, cdValues: [9] }],
    [DEFLATE, { id: 1, cdValues: [5] }],
    [{ class: "H5Z_FILTER_USER", name: "deflate", id: 1 }, { id: 1, cdValues: [5] }],
    [SHUFFLE, { id: 2, cdValues: [] }],
    [{ class: "H5Z_FILTER_FLETCHER32", id: 3, name: "fletcher32" }, { id: 3, cdValues: [], flags: 0 }],
    [{ class: "H5Z_FILTER_SCALEOFFSET", id: 6, name: "scaleoffset", scaleOffset: 2, scaleType: "H5Z_SO_INT" }, { id: 6, cdValues: [2, 2] }],
    [BITSHUFFLE, { id: 32008, cdValues: [0, 2] }],
    [{ class: "H5Z_FILTER_USER", name: "blosclz", id: 32001, level: 7 }, { id: 32001, cdValues: [0, 0, 0, 0, 7, 0, 0] }],
    [{ class: "H5Z_FILTER_LZ4HC", id: 32005, name: "lz4hc" }, { id: 32001, cdValues: [0, 0, 0, 0, 5, 0, 2] }],
    [{ class: "H5Z_FILTER_USER", name: "snappy", id: 32003 }, { id: 32001, cdValues: [0, 0, 0, 0, 5, 0, 3] }],
    [{ class: "H5Z_FILTER_USER", name: "lz4", id: 32004 }, { id: 32004, cdValues: [] }],
    [{ class: "H5Z_FILTER_ZSTD", id: 32015, name: "zstd", level: 9 }, { id: 32015, cdValues: [9] }],
  ])("writes %j as HDF5 filter %j", (hsds, expected) => {
    expect(hsdsFilterToHdf5(hsds as HsdsFilter).filter).toMatchObject({ flags: 1, ...expected });
  });

  it("says why a filter cannot be written", () => {
    expect(hsdsFilterToHdf5({ class: "H5Z_FILTER_LZF", id: 32000, name: "lzf" }).reason).toMatch(/no HDF5 equivalent/);
    expect(hsdsFilterToHdf5({ class: "H5Z_FILTER_SCALEOFFSET", id: 6, name: "scaleoffset" }).reason).toMatch(/lacks scaleType/);
  });
});

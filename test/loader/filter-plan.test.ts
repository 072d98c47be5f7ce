// The HSDS filters of a copied dataset from the source's HDF5 pipeline.
import { describe, expect, it } from "vitest";
import { HSDS_COMPRESSORS } from "../../src/codecs/filters.js";
import { planFilters } from "../../src/loader/filter-plan.js";

const options = { ignoreFilters: false, compressors: HSDS_COMPRESSORS, variableLength: false };
const f = (id: number, cdValues: number[] = []) => ({ id, flags: 1, cdValues });

describe("planFilters", () => {
  it("keeps Blosc's own compressor and level, and the zstd plugin's level", () => {
    expect(planFilters([f(32001, [2, 2, 4, 4096, 7, 1, 5])], options).filters).toEqual([{ class: "H5Z_FILTER_USER", id: 32015, name: "zstd", level: 7 }]);
    expect(planFilters([f(32001, [2, 2, 4, 4096, 3, 1, 4])], options).filters).toEqual([{ class: "H5Z_FILTER_DEFLATE", id: 1, name: "gzip", level: 3 }]);
    expect(planFilters([f(32015, [9])], options).filters).toEqual([{ class: "H5Z_FILTER_USER", id: 32015, name: "zstd", level: 9 }]);
    expect(planFilters([f(32004, [0])], options).filters).toEqual([{ class: "H5Z_FILTER_USER", id: 32004, name: "lz4" }]);
  });

  it("drops what HSDS cannot create or apply, saying why", () => {
    const bitshuffle = planFilters([f(32008, [0, 3, 4, 0, 2])], options);
    expect(bitshuffle.filters).toEqual([]);
    expect(bitshuffle.notes).toEqual([expect.stringMatching(/bitshuffle .*cannot create/)]);
    const fletcher = planFilters([f(3), f(1, [5])], options);
    expect(fletcher.filters).toEqual([{ class: "H5Z_FILTER_DEFLATE", id: 1, level: 5, name: "gzip" }]);
    expect(fletcher.notes).toEqual([expect.stringMatching(/fletcher32/)]);
    const shuffleOnly = planFilters([f(2, [4])], options);
    expect(shuffleOnly).toEqual({ filters: [], notes: [expect.stringMatching(/shuffle without a compressor/)] });
    const variable = planFilters([f(2, [4]), f(1, [5])], { ...options, variableLength: true });
    expect(variable.filters.map((x) => x.name)).toEqual(["gzip"]);
    const notOffered = planFilters([f(32001, [2, 2, 4, 4096, 5, 1, 3])], { ...options, compressors: ["gzip"] });
    expect(notOffered).toEqual({ filters: [], notes: ["the snappy compressor is dropped: the server does not offer it"] });
  });

  it("adds the default compressor only where none is left", () => {
    const defaults = { ...options, defaultCompression: { name: "gzip", level: 9 } };
    expect(planFilters([f(2, [4])], defaults).filters.map((x) => x.name)).toEqual(["shuffle", "gzip"]);
    expect(planFilters([f(1, [1])], defaults).filters).toEqual([{ class: "H5Z_FILTER_DEFLATE", id: 1, level: 1, name: "gzip" }]);
    expect(planFilters([f(1, [1])], { ...defaults, ignoreFilters: true }).filters).toEqual([{ class: "H5Z_FILTER_DEFLATE", id: 1, level: 9, name: "gzip" }]);
  });
});

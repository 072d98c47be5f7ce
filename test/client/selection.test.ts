import { describe, expect, it } from "vitest";
import { hyperslab, packPoints } from "../../src/client/selection.js";

describe("selection strings", () => {
  it("writes one start:stop[:step] per dimension, leaving out steps of 1", () => {
    expect(hyperslab([0, 5], [10, 9], [1, 2])).toBe("[0:10,5:9:2]");
    expect(hyperslab([3], [4])).toBe("[3:4]");
    expect(() => hyperslab([0, 0], [1])).toThrow(RangeError);
  });

  it("packs points as uint64 little-endian, rank values per point", () => {
    const bytes = packPoints([[1, 256], [2 ** 33, 0]]);
    expect([...bytes]).toEqual([
      1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(() => packPoints([[1, 2], [3]])).toThrow("point 1 has 1 coordinates, expected 2");
  });
});

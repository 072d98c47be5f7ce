// C-order index arithmetic.
import { describe, expect, it } from "vitest";
import { stridesOf, unravel } from "../../src/model/shape.js";

describe("stridesOf and unravel", () => {
  it("strides count elements per step of each dimension", () => {
    expect(stridesOf([4, 3, 2])).toEqual([6, 2, 1]);
    expect(stridesOf([])).toEqual([]);
  });

  it("unravel inverts the strides, into a fresh array or the one given", () => {
    const shape = [4, 3, 2];
    const strides = stridesOf(shape);
    const out = [0, 0, 0];
    for (let i = 0; i < 24; i++) {
      const at = unravel(i, shape);
      expect(at.reduce((n, c, d) => n + c * strides[d]!, 0)).toBe(i);
      expect(unravel(i, shape, out)).toBe(out);
      expect(out).toEqual(at);
    }
    expect(unravel(17, [4, 3, 2])).toEqual([2, 2, 1]);
  });
});

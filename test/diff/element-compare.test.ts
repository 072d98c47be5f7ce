import { describe, expect, it } from "vitest";
import { elementComparer } from "../../src/diff/element-compare.js";
import { normalizeType } from "../../src/model/datatype.js";
import { encodeElements } from "../../src/model/values.js";

const f32le = normalizeType("H5T_IEEE_F32LE");
const f64be = normalizeType("H5T_IEEE_F64BE");

function float32(values: number[], bits: Record<number, number> = {}): Uint8Array {
  const view = new DataView(new ArrayBuffer(4 * values.length));
  values.forEach((v, i) => (i in bits ? view.setUint32(4 * i, bits[i]!, true) : view.setFloat32(4 * i, v, true)));
  return new Uint8Array(view.buffer);
}

describe("elementComparer", () => {
  it("finds the first differing element, or -1", () => {
    const compare = elementComparer(f32le);
    expect(compare(float32([1, 2, 3]), float32([1, 2, 3]), 3)).toBe(-1);
    expect(compare(float32([1, 2, 3, 4]), float32([1, 5, 3, 6]), 4)).toBe(1);
  });

  it("compares floats bit for bit, with any NaN equal to any NaN", () => {
    const compare = elementComparer(f32le);
    // 0x7fc00000 is the quiet NaN, 0x7fa00001 and 0xffc00000 other payloads and signs.
    expect(compare(float32([1, NaN, NaN], { 1: 0x7fc00000, 2: 0xffc00000 }), float32([1, NaN, NaN], { 1: 0x7fa00001, 2: 0x7fc00000 }), 3)).toBe(-1);
    expect(compare(float32([NaN]), float32([1]), 1)).toBe(0);
    expect(compare(float32([0]), float32([-0]), 1)).toBe(0);
    expect(compare(float32([Infinity]), float32([Infinity]), 1)).toBe(-1);
  });

  it("reads NaNs in the type's byte order, and of every width", () => {
    const be = new Uint8Array([0x7f, 0xf8, 0, 0, 0, 0, 0, 0, 0x7f, 0xf0, 0, 0, 0, 0, 0, 1]);
    const other = new Uint8Array([0xff, 0xf8, 0, 0, 0, 0, 0, 2, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0]);
    expect(elementComparer(f64be)(be, other, 2)).toBe(-1);
    // Read as little-endian, the same bytes are not NaNs.
    expect(elementComparer(normalizeType("H5T_IEEE_F64LE"))(be, other, 2)).toBe(0);
    const half = normalizeType("H5T_IEEE_F16LE");
    expect(elementComparer(half)(new Uint8Array([0x01, 0x7e]), new Uint8Array([0x00, 0x7e]), 1)).toBe(-1);
    // 0x7c00 is +Infinity, not a NaN.
    expect(elementComparer(half)(new Uint8Array([0x00, 0x7c]), new Uint8Array([0x00, 0x7e]), 1)).toBe(0);
  });

  it("applies the NaN rule to floats inside compounds and arrays, and bytes to everything else", () => {
    const t = normalizeType({
      class: "H5T_COMPOUND",
      fields: [
        { name: "n", type: "H5T_STD_I16LE" },
        { name: "v", type: { class: "H5T_ARRAY", dims: [2], base: "H5T_IEEE_F32LE" } },
      ],
    });
    const compare = elementComparer(t);
    const a = encodeElements([[1, [NaN, 2]], [2, [3, 4]]], t);
    const b = a.slice();
    new DataView(b.buffer).setUint32(2, 0x7fc00123, true);
    expect(compare(a, b, 2)).toBe(-1);
    b[10] = 9; // the second element's integer
    expect(compare(a, b, 2)).toBe(1);
  });

  it("counts a missing element as the first difference", () => {
    expect(elementComparer(f32le)(float32([1, 2, 3]), float32([1, 2]), 3)).toBe(2);
  });

  it("compares variable-length elements one by one, floats by the NaN rule", () => {
    const text = normalizeType({ class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8", strPad: "H5T_STR_NULLTERM" });
    const compare = elementComparer(text);
    expect(compare(encodeElements(["a", "bb", "ccc"], text), encodeElements(["a", "bb", "ccc"], text), 3)).toBe(-1);
    expect(compare(encodeElements(["a", "bb", "ccc"], text), encodeElements(["a", "bx", "ccc"], text), 3)).toBe(1);
    expect(compare(encodeElements(["a", "bb"], text), encodeElements(["a"], text), 2)).toBe(0);
    const sequence = normalizeType({ class: "H5T_VLEN", base: "H5T_IEEE_F32LE" });
    const a = encodeElements([[1], [NaN, 2]], sequence);
    const b = a.slice();
    new DataView(b.buffer).setUint32(12, 0x7fc00042, true);
    expect(elementComparer(sequence)(a, b, 2)).toBe(-1);
    expect(elementComparer(sequence)(a, encodeElements([[1], [NaN, 3]], sequence), 2)).toBe(1);
  });
});

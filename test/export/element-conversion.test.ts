// HSDS element bytes into h5wasm's memory layout. The HSDS side is made by the model's own encoder from
// JSON values, so these tests check the conversion against the values, not against our reading of bytes.
import { describe, expect, it } from "vitest";
import { normalizeType } from "../../src/model/datatype.js";
import { ValueError, encodeElements } from "../../src/model/values.js";
import { conversionPlan, convertElements, zeroElements } from "../../src/export/element-conversion.js";
import { writableType } from "../../src/export/writable-type.js";

function convert(typeJson: unknown, values: unknown[], refs: Record<string, number[]> = {}) {
  const hsdsType = normalizeType(typeJson);
  const type = writableType(hsdsType);
  const input = encodeElements(values, hsdsType);
  const resolve = (id: string) => (refs[id] ? Uint8Array.from(refs[id]!) : undefined);
  return convertElements(input, conversionPlan(type), values.length, resolve);
}

describe("convertElements", () => {
  it("passes little-endian numbers through without copying", () => {
    const hsdsType = normalizeType("H5T_IEEE_F32LE");
    const input = encodeElements([1.5, -2, 3.25], hsdsType);
    const out = convertElements(input, conversionPlan(writableType(hsdsType)), 3, () => undefined);
    expect(out.bytes).toBe(input);
  });

  it("turns big-endian integers into little-endian ones", () => {
    const out = convert("H5T_STD_I32BE", [1, -2, 0x01020304]);
    expect([...new Int32Array(out.bytes.buffer, out.bytes.byteOffset, 3)]).toEqual([1, -2, 0x01020304]);
  });

  it("widens float16 (either order) to float32", () => {
    for (const base of ["H5T_IEEE_F16LE", "H5T_IEEE_F16BE"]) {
      const out = convert(base, [1.5, -2, 0.25, 65504, 1 / 3]);
      expect([...new Float32Array(out.bytes.buffer, 0, 5)]).toEqual([1.5, -2, 0.25, 65504, 0.333251953125]);
    }
  });

  it("writes arrays of big-endian numbers element after element", () => {
    const out = convert({ class: "H5T_ARRAY", dims: [2, 2], base: "H5T_STD_U16BE" }, [[[1, 2], [3, 4]], [[5, 6], [7, 258]]]);
    expect([...new Uint16Array(out.bytes.buffer, 0, 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 258]);
  });

  it("resolves references by id, leaves empty ones null and counts the ones not in the file", () => {
    const out = convert("H5T_STD_REF_OBJ", ["groups/g-1", "", "datasets/d-2", "datatypes/t-3"], { "g-1": [1, 2, 3, 4, 5, 6, 7, 8], "d-2": [9, 9, 9, 9, 0, 0, 0, 0] });
    expect([...out.bytes]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, ...Array(8).fill(0), 9, 9, 9, 9, 0, 0, 0, 0, ...Array(8).fill(0)]);
    expect(out.unresolvedReferences).toBe(1);
  });

  it("leaves pointer slots for variable-length strings, inside compounds too", () => {
    const type = {
      class: "H5T_COMPOUND",
      fields: [
        { name: "a", type: "H5T_STD_I16BE" },
        { name: "s", type: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" } },
        { name: "r", type: "H5T_STD_REF_OBJ" },
      ],
    };
    const out = convert(type, [[7, "héllo", "groups/g-1"], [-1, "", ""]], { "g-1": [8, 7, 6, 5, 4, 3, 2, 1] });
    const view = new DataView(out.bytes.buffer);
    expect(out.bytes.length).toBe(2 * 14);
    expect([view.getInt16(0, true), view.getInt16(14, true)]).toEqual([7, -1]);
    expect(out.stringSlots).toEqual([2, 16]);
    expect(out.strings.map((s) => Buffer.from(s).toString("utf8"))).toEqual(["héllo", ""]);
    expect([...out.bytes.subarray(6, 14)]).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect([...out.bytes.subarray(20, 28)]).toEqual(Array(8).fill(0));
  });

  it("rejects truncated and surplus input", () => {
    const plan = conversionPlan(writableType(normalizeType("H5T_STD_I32BE")));
    expect(() => convertElements(new Uint8Array(7), plan, 2, () => undefined)).toThrow(ValueError);
    const vlen = conversionPlan(writableType(normalizeType({ class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_ASCII" })));
    expect(() => convertElements(Uint8Array.from([5, 0, 0, 0, 65]), vlen, 1, () => undefined)).toThrow(ValueError);
    expect(() => convertElements(Uint8Array.from([1, 0, 0, 0, 65, 66]), vlen, 1, () => undefined)).toThrow("1 bytes left over");
  });

  it("makes zero elements of the HSDS form: zero numbers, empty strings, null references", () => {
    const type = writableType(normalizeType({
      class: "H5T_COMPOUND",
      fields: [
        { name: "a", type: "H5T_IEEE_F16BE" },
        { name: "s", type: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_ASCII" } },
        { name: "r", type: "H5T_STD_REF_OBJ" },
      ],
    }));
    const zeros = zeroElements(type.steps, 3);
    expect(zeros.length).toBe(3 * (2 + 4 + 48));
    const out = convertElements(zeros, conversionPlan(type), 3, () => undefined);
    expect(out.strings.map((s) => s.length)).toEqual([0, 0, 0]);
    expect(out.bytes.every((b) => b === 0)).toBe(true);
  });
});

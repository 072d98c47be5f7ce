// HSDS types to what h5wasm writes: the form chosen, the conversion steps and the change reported.
import { describe, expect, it } from "vitest";
import { normalizeType } from "../../src/model/datatype.js";
import { UnwritableTypeError, writableType } from "../../src/export/writable-type.js";

const plan = (json: unknown) => writableType(normalizeType(json));

describe("writableType", () => {
  it("keeps little-endian numbers as they are", () => {
    expect(plan("H5T_STD_U8LE")).toMatchObject({ h5: { kind: "integer", size: 1, signed: false }, memorySize: 1, steps: [{ op: "copy", bytes: 1 }], changes: [] });
    expect(plan("H5T_IEEE_F64LE")).toMatchObject({ h5: { kind: "float", size: 8 }, steps: [{ op: "copy", bytes: 8 }], changes: [] });
  });

  it("swaps big-endian numbers and says so", () => {
    const t = plan("H5T_STD_I32BE");
    expect(t.h5).toEqual({ kind: "integer", size: 4, signed: true });
    expect(t.steps).toEqual([{ op: "swap", width: 4, count: 1 }]);
    expect(t.changes).toEqual(["big-endian written as little-endian"]);
    // One byte has no order.
    expect(plan("H5T_STD_I8BE").changes).toEqual([]);
  });

  it("widens float16 to float32", () => {
    const t = plan("H5T_IEEE_F16BE");
    expect(t).toMatchObject({ h5: { kind: "float", size: 4 }, memorySize: 4, steps: [{ op: "half", littleEndian: false, count: 1 }] });
    expect(t.changes).toEqual(["float16 written as float32"]);
  });

  it("writes enums as their integer base, naming the mapping", () => {
    const t = plan({ class: "H5T_ENUM", base: "H5T_STD_I16BE", mapping: { SOLID: 0, LIQUID: 1, GAS: 2, PLASMA: 3 } });
    expect(t.h5).toEqual({ kind: "integer", size: 2, signed: true });
    expect(t.changes).toEqual(["enum {SOLID=0, LIQUID=1, GAS=2, PLASMA=3} written as H5T_STD_I16LE", "big-endian written as little-endian"]);
    const bool = plan({ class: "H5T_ENUM", base: "H5T_STD_I8LE", mapping: { FALSE: 0, TRUE: 1 } });
    expect(bool.changes).toEqual(["boolean enum written as H5T_STD_I8LE"]);
  });

  it("reports the padding h5wasm forces on fixed-length strings, and only when it differs", () => {
    const ascii = (strPad: string) => plan({ class: "H5T_STRING", length: 6, charSet: "H5T_CSET_ASCII", strPad });
    expect(ascii("H5T_STR_NULLPAD")).toMatchObject({ h5: { kind: "string", size: 6, utf8: false }, steps: [{ op: "copy", bytes: 6 }] });
    expect(ascii("H5T_STR_NULLPAD").changes).toEqual(["string padding NULLPAD written as NULLTERM"]);
    expect(ascii("H5T_STR_NULLTERM").changes).toEqual([]);
    const utf8 = plan({ class: "H5T_STRING", length: 4, charSet: "H5T_CSET_UTF8", strPad: "H5T_STR_NULLTERM" });
    expect(utf8.changes).toEqual(["string padding NULLTERM written as SPACEPAD"]);
  });

  it("writes variable-length strings as char pointers", () => {
    const t = plan({ class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8", strPad: "H5T_STR_NULLTERM" });
    expect(t).toMatchObject({ h5: { kind: "vlen-string", utf8: true }, memorySize: 4, variable: true, changes: [] });
    expect(t.steps).toEqual([{ op: "vlen-string", count: 1 }]);
  });

  it("writes object references as hobj_ref_t and refuses region references", () => {
    expect(plan("H5T_STD_REF_OBJ")).toMatchObject({ h5: { kind: "reference" }, memorySize: 8, steps: [{ op: "reference", count: 1 }] });
    expect(() => plan("H5T_STD_REF_DSETREG")).toThrow(UnwritableTypeError);
  });

  it("lays compounds out packed and merges their steps", () => {
    // compound.h5's type: i8, S6, i8, f8, S6.
    const t = plan({
      class: "H5T_COMPOUND",
      fields: [
        { name: "date", type: "H5T_STD_I64LE" },
        { name: "time", type: { class: "H5T_STRING", length: 6, charSet: "H5T_CSET_ASCII", strPad: "H5T_STR_NULLPAD" } },
        { name: "temp", type: "H5T_STD_I64LE" },
        { name: "pressure", type: "H5T_IEEE_F64LE" },
        { name: "wind", type: { class: "H5T_STRING", length: 6, charSet: "H5T_CSET_ASCII", strPad: "H5T_STR_NULLPAD" } },
      ],
    });
    expect(t.h5.kind === "compound" && t.h5.members.map((m) => [m.name, m.offset])).toEqual([
      ["date", 0], ["time", 8], ["temp", 14], ["pressure", 22], ["wind", 30],
    ]);
    expect(t.memorySize).toBe(36);
    expect(t.steps).toEqual([{ op: "copy", bytes: 36 }]);
    expect(t.changes).toEqual(["string padding NULLPAD written as NULLTERM"]);
  });

  it("sizes compounds by their memory form: 4-byte pointers, 8-byte references, float32 for halves", () => {
    const t = plan({
      class: "H5T_COMPOUND",
      fields: [
        { name: "a", type: "H5T_STD_I32BE" },
        { name: "s", type: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" } },
        { name: "r", type: "H5T_STD_REF_OBJ" },
        { name: "h", type: "H5T_IEEE_F16LE" },
      ],
    });
    expect(t.h5.kind === "compound" && t.h5.members.map((m) => m.offset)).toEqual([0, 4, 8, 16]);
    expect(t.memorySize).toBe(20);
    expect(t.steps).toEqual([
      { op: "swap", width: 4, count: 1 },
      { op: "vlen-string", count: 1 },
      { op: "reference", count: 1 },
      { op: "half", littleEndian: true, count: 1 },
    ]);
    expect(t.variable).toBe(true);
  });

  it("turns array types into extra trailing dimensions", () => {
    const t = plan({ class: "H5T_ARRAY", dims: [2, 3], base: "H5T_STD_I16BE" });
    expect(t).toMatchObject({ h5: { kind: "integer", size: 2 }, memorySize: 2, extraDims: [2, 3] });
    expect(t.steps).toEqual([{ op: "swap", width: 2, count: 6 }]);
    expect(t.changes).toEqual(["array type [2,3] written as extra dimensions", "big-endian written as little-endian"]);
    const nested = plan({ class: "H5T_ARRAY", dims: [2], base: { class: "H5T_ARRAY", dims: [4], base: "H5T_STD_U8LE" } });
    expect(nested).toMatchObject({ extraDims: [2, 4], steps: [{ op: "copy", bytes: 8 }] });
  });

  it("turns opaque types into uint8 arrays", () => {
    const t = plan({ class: "H5T_OPAQUE", size: 5, tag: "raw" });
    expect(t).toMatchObject({ h5: { kind: "integer", size: 1, signed: false }, extraDims: [5], steps: [{ op: "copy", bytes: 5 }] });
    expect(t.changes).toEqual(['opaque "raw" of 5 bytes written as uint8 array']);
  });

  it("refuses what h5wasm cannot express at all", () => {
    expect(() => plan({ class: "H5T_VLEN", base: "H5T_STD_I32LE" })).toThrow("h5wasm cannot write variable-length sequences (H5T_VLEN)");
    const arrayMember = { class: "H5T_COMPOUND", fields: [{ name: "a", type: { class: "H5T_ARRAY", dims: [2], base: "H5T_STD_I32LE" } }] };
    expect(() => plan(arrayMember)).toThrow("h5wasm cannot write array types inside compounds");
  });
});

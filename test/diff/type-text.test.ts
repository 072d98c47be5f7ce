import { describe, expect, it } from "vitest";
import { typeText } from "../../src/diff/type-text.js";
import { normalizeType } from "../../src/model/datatype.js";

const text = (json: unknown) => typeText(normalizeType(json));

describe("typeText", () => {
  it("is equal for what HSDS adds to a type without changing it", () => {
    const compound = { class: "H5T_COMPOUND", fields: [{ name: "a", type: "H5T_STD_I32BE" }, { name: "r", type: "H5T_STD_REF_OBJ" }] };
    const stored = {
      class: "H5T_COMPOUND",
      id: "t-1",
      fields: [
        { name: "a", type: { class: "H5T_INTEGER", base: "H5T_STD_I32BE" } },
        { name: "r", type: { class: "H5T_REFERENCE", base: "H5T_STD_REF_OBJ", length: 48, charSet: "H5T_CSET_ASCII", strPad: "H5T_STR_NULLPAD" } },
      ],
    };
    expect(text(stored)).toBe(text(compound));
    expect(text({ class: "H5T_VLEN", base: "H5T_STD_U16LE", size: "H5T_VARIABLE" })).toBe(text({ class: "H5T_VLEN", base: "H5T_STD_U16LE" }));
    expect(text({ class: "H5T_OPAQUE", size: 4, tag: "x" })).toBe(text({ class: "H5T_OPAQUE", size: 4 }));
  });

  it("gives one-byte integers no byte order (h5py reads H5T_STD_I8BE as int8)", () => {
    expect(text("H5T_STD_I8BE")).toBe(text("H5T_STD_I8LE"));
    expect(text("H5T_STD_U8BE")).toBe(text("H5T_STD_U8LE"));
    expect(text("H5T_STD_I8LE")).not.toBe(text("H5T_STD_U8LE"));
    expect(text("H5T_STD_I16BE")).not.toBe(text("H5T_STD_I16LE"));
  });

  it("compares enum members as a set, and names every part that matters", () => {
    const enumOf = (mapping: Record<string, number>) => ({ class: "H5T_ENUM", base: "H5T_STD_I16LE", mapping });
    expect(text(enumOf({ A: 0, B: 1 }))).toBe(text(enumOf({ B: 1, A: 0 })));
    expect(text(enumOf({ A: 0, B: 1 }))).not.toBe(text(enumOf({ A: 0, B: 2 })));
    const string = (length: unknown, charSet: string, strPad: string) => text({ class: "H5T_STRING", length, charSet, strPad });
    expect(string(10, "H5T_CSET_ASCII", "H5T_STR_NULLTERM")).toBe("H5T_STRING(10, H5T_CSET_ASCII, H5T_STR_NULLTERM)");
    expect(string("H5T_VARIABLE", "H5T_CSET_UTF8", "H5T_STR_NULLTERM")).not.toBe(string("H5T_VARIABLE", "H5T_CSET_ASCII", "H5T_STR_NULLTERM"));
    expect(string(10, "H5T_CSET_ASCII", "H5T_STR_NULLPAD")).not.toBe(string(10, "H5T_CSET_ASCII", "H5T_STR_NULLTERM"));
    expect(text({ class: "H5T_ARRAY", dims: [2, 3], base: "H5T_IEEE_F32LE" })).toBe("H5T_ARRAY[2, 3] of H5T_IEEE_F32LE");
    expect(text({ class: "H5T_COMPOUND", fields: [{ name: "a", type: "H5T_STD_I32LE" }, { name: "b", type: "H5T_STD_I32LE" }] })).not.toBe(
      text({ class: "H5T_COMPOUND", fields: [{ name: "b", type: "H5T_STD_I32LE" }, { name: "a", type: "H5T_STD_I32LE" }] }),
    );
  });
});

import { describe, expect, it } from "vitest";
import { attributeLine, attributeSummary } from "../../src/cli/format/attribute-summary.js";
import type { AttributeInfo } from "../../src/client/hsds-types.js";
import { normalizeType } from "../../src/model/datatype.js";
import { cliLines, restBody } from "./golden-rest.js";

function summaryOf(attr: Pick<AttributeInfo, "type" | "shape" | "value">): string {
  return attributeSummary({ type: normalizeType(attr.type), shape: attr.shape, value: attr.value });
}

describe("hsls --showattrs values", () => {
  it("reproduces the root attributes of tall.h5 from HSDS's attribute JSON", () => {
    const attributes = ["attr1", "attr2"].map((name) => restBody<AttributeInfo>(`tall/attribute_root_${name}.json`));
    const lines = attributes.map((a) => attributeLine(a.name, summaryOf(a)));
    expect(lines).toEqual(cliLines("hsls_r_showattrs_tall.txt").slice(0, 2));
  });

  const vlenStr = { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8", strPad: "H5T_STR_NULLTERM" };
  const scalar = { class: "H5S_SCALAR" as const };

  it("prints scalars as numpy would", () => {
    expect(summaryOf({ type: vlenStr, shape: scalar, value: "mm/hr" })).toBe("mm/hr");
    expect(summaryOf({ type: { class: "H5T_STRING", length: 15, charSet: "H5T_CSET_ASCII", strPad: "H5T_STR_NULLPAD" }, shape: scalar, value: "DIMENSION_SCALE" })).toBe("b'DIMENSION_SCALE'");
    expect(summaryOf({ type: "H5T_IEEE_F32LE", shape: scalar, value: -9999.900390625 })).toBe("-9999.9");
    expect(summaryOf({ type: "H5T_IEEE_F64LE", shape: scalar, value: 2 })).toBe("2.0");
    expect(summaryOf({ type: "H5T_STD_I64LE", shape: scalar, value: 1 })).toBe("1");
  });

  it("prints one-element arrays whole and longer ones as [first,...]", () => {
    expect(summaryOf({ type: "H5T_IEEE_F32LE", shape: { class: "H5S_SIMPLE", dims: [1] }, value: [-999.0] })).toBe("[-999.]");
    expect(summaryOf({ type: vlenStr, shape: { class: "H5S_SIMPLE", dims: [1] }, value: ["a"] })).toBe("['a']");
    expect(summaryOf({ type: vlenStr, shape: { class: "H5S_SIMPLE", dims: [3] }, value: ["a", "b", "c"] })).toBe("[a,...]");
    expect(summaryOf({ type: "H5T_STD_I32LE", shape: { class: "H5S_SIMPLE", dims: [2, 2, 2] }, value: [] })).toBe("[[[...]]]");
  });

  it("prints compound elements as tuples and empty dataspaces as Empty", () => {
    const type = { class: "H5T_COMPOUND", fields: [{ name: "a", type: "H5T_STD_I32LE" }, { name: "b", type: { class: "H5T_STRING", length: 3, charSet: "H5T_CSET_ASCII" } }] };
    expect(summaryOf({ type, shape: scalar, value: [7, "abc"] })).toBe("(7, b'abc')");
    expect(summaryOf({ type: "H5T_STD_I32LE", shape: { class: "H5S_NULL" } })).toBe("Empty(dtype=dtype('int32'))");
  });
});

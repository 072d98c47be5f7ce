// Attribute values that follow the structure: a dataset given a leading dimension keeps its scales on their
// dimensions, and references to a dataset a concatenation replaced name its successor.
import { describe, expect, it } from "vitest";
import { adjustForStacking, mentionsAny, replaceReferences } from "../../src/loader/aggregate-attributes.js";

const DIMENSION_LIST = { type: { class: "H5T_VLEN", base: { class: "H5T_REFERENCE", base: "H5T_STD_REF_OBJ" } }, shape: [2], value: [["datasets/d-time"], ["datasets/d-lat"]] };
const REFERENCE_LIST = {
  type: { class: "H5T_COMPOUND", fields: [] },
  shape: [2],
  value: [
    ["datasets/d-grid", 0],
    ["datasets/d-other", 1],
  ],
};

describe("adjustForStacking", () => {
  it("gives a stacked dataset's DIMENSION_LIST an empty entry for the new leading dimension", () => {
    expect(adjustForStacking("DIMENSION_LIST", DIMENSION_LIST, true, () => false)).toEqual({ ...DIMENSION_LIST, shape: [3], value: [[], ["datasets/d-time"], ["datasets/d-lat"]] });
    expect(adjustForStacking("DIMENSION_LIST", DIMENSION_LIST, false, () => true)).toBe(DIMENSION_LIST);
  });

  it("moves a scale's REFERENCE_LIST entry for a stacked dataset one dimension on, and only that entry", () => {
    expect(adjustForStacking("REFERENCE_LIST", REFERENCE_LIST, false, (ref) => ref === "datasets/d-grid").value).toEqual([
      ["datasets/d-grid", 1],
      ["datasets/d-other", 1],
    ]);
    expect(adjustForStacking("REFERENCE_LIST", REFERENCE_LIST, false, () => false)).toBe(REFERENCE_LIST);
  });

  it("leaves other attributes alone", () => {
    const units = { type: "H5T_STD_I32LE", shape: [], value: 3 };
    expect(adjustForStacking("units", units, true, () => true)).toBe(units);
  });
});

describe("replaceReferences", () => {
  it("turns references to replaced datasets into references to their successors, at any depth", () => {
    const replaced = new Map([["d-grid", "d-new"]]);
    expect(replaceReferences(REFERENCE_LIST, replaced).value).toEqual([
      ["datasets/d-new", 0],
      ["datasets/d-other", 1],
    ]);
    expect(replaceReferences({ type: "H5T_STD_REF_OBJ", shape: [], value: "datasets/d-grid" }, replaced).value).toBe("datasets/d-new");
    expect(replaceReferences(DIMENSION_LIST, replaced)).toBe(DIMENSION_LIST);
  });

  it("mentionsAny finds a reference among nested values", () => {
    expect(mentionsAny(REFERENCE_LIST.value, new Set(["d-other"]))).toBe(true);
    expect(mentionsAny(REFERENCE_LIST.value, new Set(["d-time"]))).toBe(false);
    expect(mentionsAny("d-other", new Set(["d-other"]))).toBe(false);
  });
});

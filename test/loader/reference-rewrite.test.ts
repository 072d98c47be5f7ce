// Object references inside HSDS binary values rewritten in place, in fixed-size and variable-length layouts.
import { describe, expect, it } from "vitest";
import type { HsdsType } from "../../src/model/datatype.js";
import { decodeValues, encodeValues } from "../../src/model/values.js";
import { containsReferences, rewriteReferences } from "../../src/loader/reference-rewrite.js";
import { referenceResolver } from "../../src/loader/run.js";
import { sourceReference } from "../../src/hdf5/source/source-tree.js";

const REF: HsdsType = { class: "H5T_REFERENCE", base: "H5T_STD_REF_OBJ" };
const ids = new Map([
  [800, "d-0123abcd-0123abcd-0123-456789-abcdef"],
  [96, "g-0123abcd-0123abcd-1111-456789-abcdef"],
]);

describe("rewriteReferences", () => {
  it("rewrites references inside compounds (REFERENCE_LIST) and keeps the other fields", () => {
    const type: HsdsType = { class: "H5T_COMPOUND", fields: [{ name: "dataset", type: REF }, { name: "dimension", type: { class: "H5T_INTEGER", base: "H5T_STD_I32LE" } }] };
    const bytes = encodeValues([[sourceReference(800), 2], [sourceReference(96), 0]], type, [2]);
    let missing = 0;
    rewriteReferences(bytes, type, 2, referenceResolver(ids, () => missing++));
    expect(decodeValues(bytes, type, [2])).toEqual([[`datasets/${ids.get(800)}`, 2], [`groups/${ids.get(96)}`, 0]]);
    expect(missing).toBe(0);
  });

  it("rewrites references inside variable-length sequences (DIMENSION_LIST) and next to variable-length strings", () => {
    const list: HsdsType = { class: "H5T_VLEN", base: REF };
    const bytes = encodeValues([[sourceReference(800)], [], [sourceReference(96), sourceReference(800)]], list, [3]);
    rewriteReferences(bytes, list, 3, referenceResolver(ids, () => undefined));
    expect(decodeValues(bytes, list, [3])).toEqual([[`datasets/${ids.get(800)}`], [], [`groups/${ids.get(96)}`, `datasets/${ids.get(800)}`]]);
    const mixed: HsdsType = { class: "H5T_COMPOUND", fields: [{ name: "s", type: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" } }, { name: "r", type: REF }] };
    const row = encodeValues([["text", sourceReference(96)]], mixed, [1]);
    rewriteReferences(row, mixed, 1, referenceResolver(ids, () => undefined));
    expect(decodeValues(row, mixed, [1])).toEqual([["text", `groups/${ids.get(96)}`]]);
  });

  it("writes references to objects that are not copied as null references, and counts them", () => {
    const bytes = encodeValues([sourceReference(5), ""], REF, [2]);
    let missing = 0;
    rewriteReferences(bytes, REF, 2, referenceResolver(ids, () => missing++));
    expect(decodeValues(bytes, REF, [2])).toEqual(["", ""]);
    expect(missing).toBe(1);
  });

  it("leaves types without references alone", () => {
    expect(containsReferences({ class: "H5T_ARRAY", dims: [2], base: { class: "H5T_INTEGER", base: "H5T_STD_I8LE" } })).toBe(false);
    const bytes = new Uint8Array([1, 2, 3, 4]);
    expect(rewriteReferences(bytes, { class: "H5T_INTEGER", base: "H5T_STD_I32LE" }, 1, () => "x")).toBe(bytes);
  });
});

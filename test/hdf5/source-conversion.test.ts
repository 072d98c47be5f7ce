// The pure parts of the source layer on constructed inputs: HDF5 types (as h5wasm describes them) to HSDS
// type JSON, library memory buffers to HSDS binary values, h5wasm's byte-order behaviour, and box copies.
import type { Metadata } from "h5wasm/node";
import { describe, expect, it } from "vitest";
import { decodeValues } from "../../src/model/values.js";
import { type Box, cellsTouched, copyOverlap, intersect } from "../../src/hdf5/source/box.js";
import { elementConverter, h5wasmCannotRead, h5wasmNumberOrder } from "../../src/hdf5/source/element-conversion.js";
import { sourceReference } from "../../src/hdf5/source/source-tree.js";
import { hsdsTypeOf, UnsupportedTypeError } from "../../src/hdf5/source/type-mapping.js";

type Partial = { type: number; size: number } & Record<string, unknown>;
const meta = (m: Partial): Metadata => ({ signed: false, littleEndian: true, vlen: false, shape: [], total_size: 1, maxshape: [], chunks: null, ...m }) as Metadata;
const int = (size: number, le = true, signed = true) => meta({ type: 0, size, signed, littleEndian: le });
const float = (size: number, le = true) => meta({ type: 1, size, littleEndian: le });
const member = (name: string, offset: number, m: Metadata) => ({ ...m, name, offset });
const compound = (size: number, members: ReturnType<typeof member>[]) => meta({ type: 6, size, compound_type: { nmembers: members.length, members } });
const fixedString = (size: number, strpad = 0, cset = 0) => meta({ type: 3, size, strpad, cset });
const vlenString = (cset = 1) => meta({ type: 3, size: 4, vlen: true, cset, strpad: 0 });
const objectRef = () => meta({ type: 7, size: 8, ref_type: "object" });

describe("HDF5 types map to HSDS type JSON", () => {
  it.each([
    [int(2, false), { class: "H5T_INTEGER", base: "H5T_STD_I16BE" }],
    [int(8, true, false), { class: "H5T_INTEGER", base: "H5T_STD_U64LE" }],
    [float(2, false), { class: "H5T_FLOAT", base: "H5T_IEEE_F16BE" }],
    [float(8), { class: "H5T_FLOAT", base: "H5T_IEEE_F64LE" }],
    [meta({ type: 4, size: 2, littleEndian: false }), { class: "H5T_INTEGER", base: "H5T_STD_U16BE" }],
    [fixedString(7, 2), { class: "H5T_STRING", length: 7, charSet: "H5T_CSET_ASCII", strPad: "H5T_STR_SPACEPAD" }],
    [vlenString(), { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8", strPad: "H5T_STR_NULLTERM" }],
    [meta({ type: 5, size: 7 }), { class: "H5T_OPAQUE", size: 7 }],
    [objectRef(), { class: "H5T_REFERENCE", base: "H5T_STD_REF_OBJ" }],
    [
      meta({ type: 8, size: 1, signed: true, enum_type: { type: 0, nmembers: 2, members: { FALSE: 0, TRUE: 1 } } }),
      { class: "H5T_ENUM", base: { class: "H5T_INTEGER", base: "H5T_STD_I8LE" }, mapping: { FALSE: 0, TRUE: 1 } },
    ],
    [meta({ type: 9, size: 8, vlen_type: int(4) }), { class: "H5T_VLEN", base: { class: "H5T_INTEGER", base: "H5T_STD_I32LE" } }],
    [meta({ type: 10, size: 24, array_type: { ...float(4), shape: [2, 3] } }), { class: "H5T_ARRAY", dims: [2, 3], base: { class: "H5T_FLOAT", base: "H5T_IEEE_F32LE" } }],
    [
      compound(12, [member("b", 4, float(8, false)), member("a", 0, int(4))]),
      { class: "H5T_COMPOUND", fields: [{ name: "b", type: { class: "H5T_FLOAT", base: "H5T_IEEE_F64BE" } }, { name: "a", type: { class: "H5T_INTEGER", base: "H5T_STD_I32LE" } }] },
    ],
  ])("%#", (metadata, expected) => {
    expect(hsdsTypeOf(metadata)).toEqual(expected);
  });

  it.each([
    [meta({ type: 2, size: 8 }), /time datatype/],
    [meta({ type: 7, size: 12, ref_type: "region" }), /region references/],
    [float(16), /128-bit float/],
    [int(3), /24-bit integer/],
    [meta({ type: 10, size: 24, array_type: { ...compound(12, [member("a", 0, int(4))]), shape: [2] } }), /array base/],
    [meta({ type: 9, size: 8, vlen_type: vlenString() }), /variable-length type is not supported/],
  ])("refuses what HSDS cannot store (%#)", (metadata, reason) => {
    expect(() => hsdsTypeOf(metadata)).toThrow(UnsupportedTypeError);
    expect(() => hsdsTypeOf(metadata)).toThrow(reason);
  });
});

describe("h5wasm's byte order", () => {
  it("converts a type that is big-endian as a whole to little-endian, and nothing else", () => {
    expect(h5wasmNumberOrder(int(4, false))).toBe("little-endian");
    expect(h5wasmNumberOrder(compound(12, [member("a", 0, int(4, false)), member("s", 4, fixedString(8))]))).toBe("little-endian");
    // A compound whose members disagree has no order: HDF5 reads it as stored.
    expect(h5wasmNumberOrder(compound(8, [member("a", 0, int(4, false)), member("b", 4, int(4))]))).toBe("as-stored");
    expect(h5wasmNumberOrder(fixedString(8))).toBe("as-stored");
    expect(h5wasmNumberOrder(meta({ type: 10, size: 8, array_type: { ...int(2, false), shape: [4] } }))).toBe("little-endian");
  });

  it("cannot convert big-endian enums, which must then be read raw", () => {
    const beEnum = meta({ type: 8, size: 2, signed: true, littleEndian: false, enum_type: { type: 0, nmembers: 1, members: { A: 0 } } });
    expect(h5wasmCannotRead(beEnum)).toBe(true);
    expect(h5wasmCannotRead(compound(6, [member("e", 0, beEnum), member("i", 2, int(4, false))]))).toBe(true);
    expect(h5wasmCannotRead(compound(6, [member("e", 0, beEnum), member("i", 2, int(4, true))]))).toBe(false);
    expect(h5wasmCannotRead(int(4, false))).toBe(false);
  });
});

describe("library buffers become HSDS binary values", () => {
  const convert = (m: Metadata, bytes: number[], count: number, order: "little-endian" | "as-stored", heap?: Uint8Array) =>
    elementConverter(m, hsdsTypeOf(m), order).convert(new Uint8Array(bytes), count, heap);

  it("restores big-endian numbers that h5wasm handed out little-endian", () => {
    expect(Array.from(convert(int(4, false), [1, 0, 0, 0, 0, 1, 0, 0], 2, "little-endian"))).toEqual([0, 0, 0, 1, 0, 0, 1, 0]);
    expect(Array.from(convert(float(2, false), [0x00, 0x3c], 1, "little-endian"))).toEqual([0x3c, 0x00]);
    expect(Array.from(convert(int(4, false), [0, 0, 0, 1], 1, "as-stored"))).toEqual([0, 0, 0, 1]);
  });

  it("packs compound fields in declaration order, without the file's padding, each in its own byte order", () => {
    // Declared b (BE float32 at 8), a (BE int16 at 0): 12 bytes with 2..7 padding.
    const m = compound(12, [member("b", 8, float(4, false)), member("a", 0, int(2, false))]);
    const memory = [0x07, 0x00, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0x00, 0x00, 0x80, 0x3f]; // LE: a = 7, b = 1.0
    const out = convert(m, memory, 1, "little-endian");
    expect(Array.from(out)).toEqual([0x3f, 0x80, 0x00, 0x00, 0x00, 0x07]);
    expect(decodeValues(out, hsdsTypeOf(m), [])).toEqual([1, 7]);
  });

  it("turns object references into placeholders naming the object, and null references into empty strings", () => {
    const out = convert(objectRef(), [0x20, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2, "as-stored");
    expect(out.length).toBe(96);
    expect(decodeValues(out, hsdsTypeOf(objectRef()), [2])).toEqual([sourceReference(800), ""]);
  });

  it("serialises variable-length strings and sequences from the heap they point into", () => {
    const heap = new Uint8Array(64);
    heap.set(new TextEncoder().encode("héllo\0"), 16);
    heap.set([3, 0, 0, 0, 4, 0, 0, 0], 32); // two int32: 3, 4
    const strings = convert(vlenString(), [16, 0, 0, 0, 0, 0, 0, 0], 2, "as-stored", heap);
    expect(decodeValues(strings, hsdsTypeOf(vlenString()), [2])).toEqual(["héllo", ""]);
    const sequence = meta({ type: 9, size: 8, vlen_type: int(4) });
    const sequences = convert(sequence, [2, 0, 0, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2, "as-stored", heap);
    expect(decodeValues(sequences, hsdsTypeOf(sequence), [2])).toEqual([[3, 4], []]);
  });
});

describe("compounds with variable-length members", () => {
  it("serialise each member in turn, from the library's memory layout (pointers in place of strings)", () => {
    // {id: int32 at 0, name: vlen string pointer at 4, scale: float64 at 8}: 16 bytes in memory.
    const m = compound(16, [member("id", 0, int(4)), member("name", 4, vlenString()), member("scale", 8, float(8))]);
    const heap = new Uint8Array(64);
    heap.set(new TextEncoder().encode("abc\0"), 40);
    const memory = new Uint8Array(16);
    const view = new DataView(memory.buffer);
    view.setInt32(0, 7, true);
    view.setUint32(4, 40, true);
    view.setFloat64(8, 2.5, true);
    const out = elementConverter(m, hsdsTypeOf(m), "as-stored").convert(memory, 1, heap);
    expect(decodeValues(out, hsdsTypeOf(m), [1])).toEqual([[7, "abc", 2.5]]);
    expect(out.length).toBe(4 + 4 + 3 + 8);
  });
});

describe("boxes", () => {
  it("intersect", () => {
    expect(intersect({ start: [0, 5], count: [10, 10] }, { start: [5, 0], count: [10, 10] })).toEqual({ start: [5, 5], count: [5, 5] });
    expect(intersect({ start: [0], count: [5] }, { start: [5], count: [5] })).toBeUndefined();
  });

  it("copy the overlap between buffers laid out as different boxes", () => {
    // src: rows 0..3 x cols 0..3 of a grid where value = 10*row + col; dst: rows 2..4 x cols 1..2.
    const srcBox: Box = { start: [0, 0], count: [4, 4] };
    const src = new Uint8Array(16).map((_, i) => 10 * Math.floor(i / 4) + (i % 4));
    const dstBox: Box = { start: [2, 1], count: [3, 2] };
    const dst = new Uint8Array(6).fill(255);
    copyOverlap(src, srcBox, dst, dstBox, 1);
    expect(Array.from(dst)).toEqual([21, 22, 31, 32, 255, 255]);
    // Whole rows merge into one run; rank 0 copies the one element.
    const whole = new Uint8Array(16);
    copyOverlap(src, srcBox, whole, srcBox, 1);
    expect(whole).toEqual(src);
    const scalar = new Uint8Array(2);
    copyOverlap(new Uint8Array([7, 9]), { start: [], count: [] }, scalar, { start: [], count: [] }, 2);
    expect(Array.from(scalar)).toEqual([7, 9]);
  });

  it("list the grid cells a box touches", () => {
    expect([...cellsTouched({ start: [3, 9], count: [2, 2] }, [4, 10])]).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect([...cellsTouched({ start: [4], count: [0] }, [4])]).toEqual([]);
  });
});

import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type HsdsType,
  TypeJsonError,
  fieldLayout,
  isVariableLength,
  itemSize,
  normalizeType,
  numpyDtypeString,
  product,
  someTypeIn,
  swapByteOrder,
} from "../../src/model/datatype.js";
import { CORPUS, GOLDEN } from "../helpers/paths.js";
import { storedDataset, storedObjects } from "./golden.js";

const I32LE = { class: "H5T_INTEGER", base: "H5T_STD_I32LE" };

function everyStoredType(): Array<{ where: string; type: unknown }> {
  const out: Array<{ where: string; type: unknown }> = [];
  for (const { path, json } of [...storedObjects("dataset"), ...storedObjects("group")]) {
    if (json.type) out.push({ where: path, type: json.type });
    for (const [name, attr] of Object.entries<any>(json.attributes ?? {})) out.push({ where: `${path}@${name}`, type: attr.type });
  }
  return out;
}

describe("normalizeType", () => {
  it("expands predefined type names at every level", () => {
    expect(normalizeType("H5T_STD_I32LE")).toEqual(I32LE);
    expect(normalizeType("H5T_IEEE_F64BE")).toEqual({ class: "H5T_FLOAT", base: "H5T_IEEE_F64BE" });
    expect(normalizeType("H5T_STD_REF_OBJ")).toEqual({ class: "H5T_REFERENCE", base: "H5T_STD_REF_OBJ" });
    expect(
      normalizeType({ class: "H5T_COMPOUND", fields: [{ name: "a", type: "H5T_STD_I32LE" }, { name: "b", type: "H5T_IEEE_F16LE" }] }),
    ).toEqual({
      class: "H5T_COMPOUND",
      fields: [{ name: "a", type: I32LE }, { name: "b", type: { class: "H5T_FLOAT", base: "H5T_IEEE_F16LE" } }],
    });
    expect(normalizeType({ class: "H5T_VLEN", base: "H5T_STD_U8BE" })).toEqual({
      class: "H5T_VLEN",
      base: { class: "H5T_INTEGER", base: "H5T_STD_U8BE" },
    });
  });

  it("returns every type stored by HSDS unchanged, extra keys and committed-type ids included", () => {
    const types = everyStoredType();
    expect(types.length).toBeGreaterThan(100);
    for (const { where, type } of types) expect(normalizeType(type), where).toEqual(type);
    const committed = { ...I32LE, id: "t-431e4465-47c6da7b-1f8e-c1c8ab-7298ba" };
    expect(normalizeType(committed)).toEqual(committed);
  });

  it("does not share structure with its input", () => {
    const input = { class: "H5T_ENUM", base: { class: "H5T_INTEGER", base: "H5T_STD_I8LE" }, mapping: { A: 1, B: 2 } };
    const out = normalizeType(input) as any;
    out.mapping.C = 3;
    expect(input.mapping).toEqual({ A: 1, B: 2 });
  });

  const rejected: Array<[string, unknown, RegExp]> = [
    ["unknown predefined name", "H5T_STD_I24LE", /type: unknown predefined type "H5T_STD_I24LE"/],
    ["non-object", 42, /type: expected a type object/],
    ["unknown class", { class: "H5T_BITFIELD" }, /type: unknown class "H5T_BITFIELD"/],
    ["bad integer base", { class: "H5T_INTEGER", base: "H5T_IEEE_F32LE" }, /invalid integer base/],
    ["integer base without byte order", { class: "H5T_INTEGER", base: "H5T_STD_I32" }, /invalid integer base/],
    ["bad float base", { class: "H5T_FLOAT", base: "H5T_IEEE_F128LE" }, /invalid float base/],
    ["zero string length", { class: "H5T_STRING", length: 0, charSet: "H5T_CSET_ASCII" }, /string length must be a positive integer/],
    ["text string length", { class: "H5T_STRING", length: "10", charSet: "H5T_CSET_ASCII" }, /string length/],
    ["missing charSet", { class: "H5T_STRING", length: 5 }, /invalid charSet undefined/],
    ["bad strPad", { class: "H5T_STRING", length: 5, charSet: "H5T_CSET_ASCII", strPad: "H5T_STR_X" }, /invalid strPad/],
    ["empty compound", { class: "H5T_COMPOUND", fields: [] }, /'fields' must be a non-empty list/],
    ["non-ASCII field name", { class: "H5T_COMPOUND", fields: [{ name: "température", type: I32LE }] }, /type.fields\[0\]: field name "température" is not ASCII/],
    ["duplicate field name", { class: "H5T_COMPOUND", fields: [{ name: "a", type: I32LE }, { name: "a", type: I32LE }] }, /fields\[1\]: duplicate field name "a"/],
    ["bad nested field type", { class: "H5T_COMPOUND", fields: [{ name: "a", type: { class: "H5T_FLOAT", base: "x" } }] }, /type.fields\[0\].type: invalid float base "x"/],
    ["array of vlen", { class: "H5T_ARRAY", dims: [2], base: { class: "H5T_VLEN", base: I32LE } }, /array base must be an integer, float, string or array type, got H5T_VLEN/],
    ["array of compound", { class: "H5T_ARRAY", dims: [2], base: { class: "H5T_COMPOUND", fields: [{ name: "a", type: I32LE }] } }, /array base must be/],
    ["array without dims", { class: "H5T_ARRAY", base: I32LE }, /array 'dims' must be a non-empty list/],
    ["array with zero dim", { class: "H5T_ARRAY", dims: [2, 0], base: I32LE }, /array 'dims'/],
    ["dims on a non-array", { ...I32LE, dims: [2] }, /'dims' is only allowed for H5T_ARRAY/],
    ["vlen of compound", { class: "H5T_VLEN", base: { class: "H5T_COMPOUND", fields: [{ name: "a", type: I32LE }] } }, /H5T_VLEN of H5T_COMPOUND/],
    ["vlen of vlen string", { class: "H5T_VLEN", base: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" } }, /H5T_VLEN of a variable-length type/],
    ["vlen without base", { class: "H5T_VLEN" }, /type.base: expected a type object/],
    ["enum of float", { class: "H5T_ENUM", base: { class: "H5T_FLOAT", base: "H5T_IEEE_F32LE" }, mapping: { A: 0 } }, /enum base must be H5T_INTEGER/],
    ["empty enum mapping", { class: "H5T_ENUM", base: I32LE, mapping: {} }, /'mapping' must be a non-empty object/],
    ["fractional enum value", { class: "H5T_ENUM", base: I32LE, mapping: { A: 0.5 } }, /enum value of "A" must be an integer/],
    ["opaque of size 0", { class: "H5T_OPAQUE", size: 0 }, /opaque size must be a positive integer/],
    ["bad reference base", { class: "H5T_REFERENCE", base: "H5T_STD_REF_X" }, /invalid reference base/],
    ["bad reference length", { class: "H5T_REFERENCE", base: "H5T_STD_REF_OBJ", length: 8 }, /reference length must be 48/],
    ["non-string id", { ...I32LE, id: 7 }, /'id' must be a string/],
  ];
  it.each(rejected)("rejects %s with a one-line TypeJsonError", (_what, input, message) => {
    let error: unknown;
    try {
      normalizeType(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TypeJsonError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });
});

describe("item sizes", () => {
  it("match the bytes of every uncompressed fixed-size chunk in the golden store", () => {
    let checked = 0;
    for (const { path, json } of storedObjects("dataset")) {
      const t = normalizeType(json.type);
      const dir = join(GOLDEN, "hsds-store", "hsdstest", "db", path.replace(/\/\.dataset\.json$/, ""));
      if (isVariableLength(t) || json.creationProperties?.filters?.length || !json.layout?.dims) continue;
      for (const file of readdirSync(dir).filter((f) => !f.startsWith("."))) {
        const size = readFileSync(join(dir, file)).length;
        expect(size, `${path} chunk ${file}`).toBe((itemSize(t) as number) * product(json.layout.dims));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it("are variable for any variable-length part", () => {
    const vstr = { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" };
    expect(itemSize(normalizeType({ class: "H5T_COMPOUND", fields: [{ name: "a", type: I32LE }, { name: "s", type: vstr }] }))).toBe("H5T_VARIABLE");
    expect(itemSize(normalizeType({ class: "H5T_ARRAY", dims: [3], base: vstr }))).toBe("H5T_VARIABLE");
    expect(itemSize(normalizeType({ class: "H5T_ARRAY", dims: [3, 2], base: "H5T_IEEE_F64LE" }))).toBe(48);
    expect(itemSize(normalizeType({ class: "H5T_REFERENCE", base: "H5T_STD_REF_DSETREG" }))).toBe(48);
    expect(itemSize(normalizeType({ class: "H5T_OPAQUE", size: 7, tag: "" }))).toBe(7);
  });

  it("lays out compound fields packed in declaration order", () => {
    const table = normalizeType(storedDataset("d-53495327-17630286-95f5-e22e8c-aa7fa0").json.type);
    expect(table.class).toBe("H5T_COMPOUND");
    if (table.class !== "H5T_COMPOUND") return;
    expect(fieldLayout(table).map(({ name, offset, size }) => [name, offset, size])).toEqual([
      ["offset", 0, 8],
      ["size", 8, 4],
    ]);
    const weather = normalizeType(storedDataset("d-7af4e758-920eb637-9d46-55ad86-9980f4").json.type);
    if (weather.class !== "H5T_COMPOUND") throw new Error("expected compound");
    expect(fieldLayout(weather).map((f) => f.offset)).toEqual([0, 8, 14, 22, 30]);
    expect(itemSize(weather)).toBe(36);
  });
});

describe("someTypeIn", () => {
  it("tests the type and every type it is made of, at any depth", () => {
    const isReference = (t: HsdsType) => t.class === "H5T_REFERENCE";
    // Built as a literal: it need not be a type HSDS accepts, only a deep one.
    const nested: HsdsType = {
      class: "H5T_COMPOUND",
      fields: [
        { name: "a", type: { class: "H5T_INTEGER", base: "H5T_STD_I32LE" } },
        { name: "b", type: { class: "H5T_ARRAY", dims: [2], base: { class: "H5T_VLEN", base: { class: "H5T_REFERENCE", base: "H5T_STD_REF_OBJ" } } } },
      ],
    };
    expect(someTypeIn(nested, isReference)).toBe(true);
    expect(someTypeIn(nested, (t) => t.class === "H5T_COMPOUND")).toBe(true);
    expect(someTypeIn(normalizeType("H5T_STD_I32LE"), isReference)).toBe(false);
    expect(someTypeIn(normalizeType({ class: "H5T_ARRAY", dims: [3], base: "H5T_IEEE_F32LE" }), (t) => t.class === "H5T_FLOAT")).toBe(true);
  });
});

describe("numpyDtypeString", () => {
  it("prints what hsls -v printed for every golden dataset", () => {
    const cli = join(GOLDEN, "cli");
    let checked = 0;
    for (const file of readdirSync(cli).filter((f) => /^hsls_r_v_.*\.txt$/.test(f))) {
      let uuid = "";
      for (const line of readFileSync(join(cli, file), "utf8").split("\n")) {
        const id = /UUID: (\S+)/.exec(line);
        if (id) uuid = id[1]!;
        const printed = /^\s+Type: (.*)$/.exec(line);
        if (!printed) continue;
        const t = normalizeType(storedDataset(uuid).json.type);
        expect(numpyDtypeString(t), `${file} ${uuid}`).toBe(printed[1]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(50);
  });

  // Expected strings were produced by numpy 2.4.6's str(np.dtype(...)) for the dtypes h5pyd builds.
  const cases: Array<[unknown, string]> = [
    [{ class: "H5T_INTEGER", base: "H5T_STD_U8BE" }, "uint8"],
    [{ class: "H5T_INTEGER", base: "H5T_STD_I8LE" }, "int8"],
    [{ class: "H5T_INTEGER", base: "H5T_STD_U64BE" }, ">u8"],
    [{ class: "H5T_FLOAT", base: "H5T_IEEE_F16LE" }, "float16"],
    [{ class: "H5T_FLOAT", base: "H5T_IEEE_F16BE" }, ">f2"],
    [{ class: "H5T_ENUM", base: { class: "H5T_INTEGER", base: "H5T_STD_I8LE" }, mapping: { FALSE: 0, TRUE: 1 } }, "bool"],
    [{ class: "H5T_OPAQUE", size: 7 }, "|V7"],
    [{ class: "H5T_VLEN", base: I32LE }, "object"],
    [{ class: "H5T_ARRAY", dims: [3], base: I32LE }, "('<i4', (3,))"],
    [{ class: "H5T_ARRAY", dims: [2, 3], base: "H5T_IEEE_F64BE" }, "('>f8', (2, 3))"],
    [{ class: "H5T_ARRAY", dims: [2], base: { class: "H5T_STRING", length: 5, charSet: "H5T_CSET_ASCII" } }, "('S5', (2,))"],
    [{ class: "H5T_ARRAY", dims: [2], base: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_ASCII" } }, "('O', (2,))"],
    [{ class: "H5T_ARRAY", dims: [2], base: { class: "H5T_ARRAY", dims: [3], base: I32LE } }, "('V12', (2,))"],
    [
      {
        class: "H5T_COMPOUND",
        fields: [
          { name: "a", type: { class: "H5T_ARRAY", dims: [3], base: I32LE } },
          {
            name: "b",
            type: {
              class: "H5T_COMPOUND",
              fields: [
                { name: "x", type: "H5T_IEEE_F64BE" },
                { name: "y", type: { class: "H5T_ENUM", base: { class: "H5T_INTEGER", base: "H5T_STD_I8LE" }, mapping: { FALSE: 0, TRUE: 1 } } },
              ],
            },
          },
          { name: "c", type: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" } },
          { name: "d", type: { class: "H5T_OPAQUE", size: 4 } },
          { name: "e", type: "H5T_STD_I8LE" },
          { name: "f", type: "H5T_STD_I16BE" },
          { name: "it's", type: "H5T_STD_U8LE" },
        ],
      },
      `[('a', '<i4', (3,)), ('b', [('x', '>f8'), ('y', '?')]), ('c', 'O'), ('d', 'V4'), ('e', 'i1'), ('f', '>i2'), ("it's", 'u1')]`,
    ],
  ];
  it.each(cases)("prints %j as numpy does", (type, expected) => {
    expect(numpyDtypeString(normalizeType(type))).toBe(expected);
  });
});

describe("swapByteOrder", () => {
  beforeAll(async () => {
    await h5wasm.ready;
  });

  function littleEndianBytes(file: string, path: string): { bytes: Uint8Array; count: number } {
    const f = new h5wasm.File(join(CORPUS, "hdf5-json", "h5", file), "r");
    try {
      const dset = f.get(path) as any;
      const values = dset.value as ArrayBufferView & { length: number };
      return { bytes: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)), count: values.length };
    } finally {
      f.close();
    }
  }

  // h5wasm hands out native little-endian numbers; HSDS stores big-endian types big-endian.
  const cases: Array<[string, string, string, string]> = [
    ["tall.h5", "g1/g1.1/dset1.1.1", "d-431e4465-47c6da7b-1f8e-c1c8ab-7298ba", "0_0"],
    ["tall.h5", "g2/dset2.2", "d-431e4465-47c6da7b-df42-dbee7d-4a9e07", "0_0"],
  ];
  it.each(cases)("turns h5wasm's %s %s into the bytes of the HSDS chunk", (file, path, id, chunk) => {
    const { json, dir } = storedDataset(id);
    const t = normalizeType(json.type);
    const { bytes, count } = littleEndianBytes(file, path);
    const stored = new Uint8Array(readFileSync(join(dir, chunk)));
    expect(stored).not.toEqual(bytes);
    expect(swapByteOrder(bytes, t, count)).toEqual(stored);
    expect(swapByteOrder(bytes, t, count)).toEqual(littleEndianBytes(file, path).bytes);
  });

  it("swaps only the big-endian members of compounds and arrays", () => {
    const t: HsdsType = normalizeType({
      class: "H5T_COMPOUND",
      fields: [
        { name: "be", type: "H5T_STD_I16BE" },
        { name: "le", type: "H5T_STD_I16LE" },
        { name: "s", type: { class: "H5T_STRING", length: 2, charSet: "H5T_CSET_ASCII" } },
        { name: "arr", type: { class: "H5T_ARRAY", dims: [2], base: "H5T_STD_U16BE" } },
      ],
    });
    const bytes = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(Array.from(swapByteOrder(bytes, t, 2))).toEqual([2, 1, 3, 4, 5, 6, 8, 7, 10, 9, 12, 11, 13, 14, 15, 16, 18, 17, 20, 19]);
  });

  it("refuses a byte count that is not a whole number of elements", () => {
    expect(() => swapByteOrder(new Uint8Array(7), normalizeType("H5T_STD_I32BE"), 2)).toThrow(TypeJsonError);
  });
});

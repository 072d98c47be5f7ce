import { readFileSync } from "node:fs";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { beforeAll, describe, expect, it } from "vitest";
import { type HsdsType, itemSize, normalizeType, product } from "../../src/model/datatype.js";
import { parseJson, stringifyJson } from "../../src/model/json.js";
import { parseSelection, selectionShape } from "../../src/model/selection.js";
import {
  emptyElement,
  ValueError,
  decodeBase64,
  decodeElements,
  decodeValues,
  encodeBase64,
  encodeElements,
  encodeValues,
  fillValueBytes,
  flattenValue,
  joinElements,
  nestValues,
  splitElements,
} from "../../src/model/values.js";
import { CORPUS } from "../helpers/paths.js";
import { REST, restBytes, restJson, shapeDims, storedDataset, storedObjects } from "./golden.js";

beforeAll(async () => {
  await h5wasm.ready;
});

function h5Value(file: string, path: string): unknown {
  const f = new h5wasm.File(join(CORPUS, file), "r");
  try {
    return (f.get(path) as any).value;
  } finally {
    f.close();
  }
}

/** h5wasm gives int64 as BigInt; HSDS JSON (and decodeValues) uses plain numbers when they are safe. */
function safeNumbers(value: unknown): unknown {
  if (typeof value === "bigint" && value >= -(2n ** 53n) && value <= 2n ** 53n) return Number(value);
  if (Array.isArray(value)) return value.map(safeNumbers);
  return value;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

describe("values captured from HSDS (rest/*.bin with rest/*.json)", () => {
  // [response file stem, dataset JSON, select]
  const cases: Array<[string, string, string | undefined]> = [
    ["tall/value_dset1.1.1_all", "tall/dataset_dset1.1.1.json", undefined],
    ["tall/value_dset1.1.1_sel_2-4_3-7", "tall/dataset_dset1.1.1.json", "[2:4,3:7]"],
    ["tall/value_dset1.1.1_sel_step_coordlist", "tall/dataset_dset1.1.1.json", "[0:10:3,[1,3,5]]"],
    ["tall/value_dset1.1.2_all", "tall/dataset_dset1.1.2.json", undefined],
    ["tall/value_dset2.1_sel_5", "tall/dataset_dset2.1.json", "[5]"],
    ["tall/value_dset2.2_all", "tall/dataset_dset2.2.json", undefined],
    ["link_big/value_big_sel_0-4_0-8", "link_big/dataset_big.json", "[0:4,0:8]"],
    ["link_big/value_big_sel_14-18_30-34", "link_big/dataset_big.json", "[14:18,30:34]"],
    ["link_big/value_chunktable", "link_big/dataset_chunktable.json", undefined],
    ["imerg/value_precipitationCal_sel_0-4_0-3_0-2", "imerg/dataset_precipitationCal.json", "[0:4,0:3,0:2]"],
    ["imerg/value_time_all", "imerg/dataset_time.json", undefined],
    ["imerg/value_time_bnds_all", "imerg/dataset_time_bnds.json", undefined],
    ["imerg/value_lat_all", "imerg/dataset_lat.json", undefined],
  ];

  it.each(cases)("%s: decode(bin) is the JSON value and encode(JSON) is the bin", (stem, datasetFile, select) => {
    const dataset = restJson(datasetFile);
    const t = normalizeType(dataset.type);
    const shape = selectionShape(parseSelection(select, dataset.shape.dims));
    const bin = restBytes(`${stem}.bin`);
    const { value } = restJson(`${stem}.json`);
    expect(bin.length).toBe((itemSize(t) as number) * product(shape));
    expect(decodeValues(bin, t, shape)).toEqual(value);
    expect(hex(encodeValues(value, t, shape))).toBe(hex(bin));
  });

  it("serialises decoded floats with the digits HSDS printed", () => {
    const dataset = restJson("tall/dataset_dset2.2.json");
    const text = readFileSync(join(REST, "tall", "value_dset2.2_all.json"), "utf8");
    const printed = /"value": (\[[\s\S]*?\]\s*\]),/.exec(text)![1]!.replace(/\s+/g, "");
    const decoded = decodeValues(restBytes("tall/value_dset2.2_all.bin"), normalizeType(dataset.type), [3, 5]);
    // Python prints 0.0 where JavaScript prints 0; every other digit must agree.
    expect(stringifyJson(decoded)).toBe(printed.replace(/(?<![\d.])0\.0(?!\d)/g, "0"));
  });
});

describe("attribute values stored by HSDS", () => {
  const attributes = [...storedObjects("dataset"), ...storedObjects("group")].flatMap(({ path, json }) =>
    Object.entries<any>(json.attributes ?? {}).map(([name, attr]) => [`${path}@${name}`, attr] as const),
  );

  it("cover the classes that matter", () => {
    const classes = new Set(attributes.map(([, attr]) => attr.type.class));
    for (const c of ["H5T_STRING", "H5T_INTEGER", "H5T_FLOAT", "H5T_COMPOUND", "H5T_VLEN"]) expect(classes).toContain(c);
  });

  it("round-trip through their binary form", () => {
    for (const [where, attr] of attributes) {
      const t = normalizeType(attr.type);
      const shape = shapeDims(attr.shape)!;
      const bytes = encodeValues(attr.value, t, shape);
      const size = itemSize(t);
      if (size !== "H5T_VARIABLE") expect(bytes.length, where).toBe(size * product(shape));
      expect(decodeValues(bytes, t, shape), where).toEqual(attr.value);
    }
  });

  it("serialise references and vlen sequences as §3.5 describes", () => {
    const imerg = storedDataset("d-b0b38a15-e6ec3d00-511c-ad2f99-0b802b").json;
    const dimList = imerg.attributes.DIMENSION_LIST;
    const bytes = encodeValues(dimList.value, normalizeType(dimList.type), dimList.shape.dims);
    const parts = splitElements(bytes, normalizeType(dimList.type), 3);
    const ref = "datasets/d-b0b38a15-e6ec3d00-1a7c-a31ec5-364598";
    const expected = new Uint8Array(52);
    new DataView(expected.buffer).setInt32(0, 48, true);
    expected.set(Buffer.from(ref), 4);
    expect(hex(parts[0]!)).toBe(hex(expected));

    const timeBnds = storedDataset("d-b0b38a15-e6ec3d00-297e-35d061-192893").json.attributes.DIMENSION_LIST;
    const withEmpty = encodeValues(timeBnds.value, normalizeType(timeBnds.type), [2]);
    expect(hex(splitElements(withEmpty, normalizeType(timeBnds.type), 2)[1]!)).toBe("00000000");
  });
});

describe("chunks written by HSDS (uncompressed, fixed-size)", () => {
  it("the compound chunk decodes to what h5wasm reads from compound.h5", () => {
    const { json, dir } = storedDataset("d-7af4e758-920eb637-9d46-55ad86-9980f4");
    const t = normalizeType(json.type);
    const chunk = new Uint8Array(readFileSync(join(dir, "0")));
    const expected = safeNumbers(h5Value("hdf5-json/h5/compound.h5", "dset"));
    expect(decodeValues(chunk, t, json.layout.dims)).toEqual(expected);
    expect(hex(encodeValues(expected, t, json.layout.dims))).toBe(hex(chunk));
  });

  it("the big-endian enum chunk decodes to the hdf5-json dump of enum_dset.h5", () => {
    const { json, dir } = storedDataset("d-e9357520-e0858b20-795c-38a3be-ccebfd");
    const t = normalizeType(json.type);
    const chunk = new Uint8Array(readFileSync(join(dir, "0_0")));
    const dump = parseJson(readFileSync(join(CORPUS, "hdf5-json", "json", "enum_dset.json"), "utf8")) as any;
    const expected = (Object.values(dump.datasets)[0] as any).value;
    expect(decodeValues(chunk, t, [4, 7])).toEqual(expected);
    expect(hex(encodeValues(expected, t, [4, 7]))).toBe(hex(chunk));
  });

  it("the object-reference chunk decodes to the ids the references point at", () => {
    const { json, dir } = storedDataset("d-e792cda5-97829358-b6c8-9561ae-0c1922");
    const t = normalizeType(json.type);
    const chunk = new Uint8Array(readFileSync(join(dir, "0")));
    const root = parseJson(
      readFileSync(join(dir, "..", "..", ".group.json"), "utf8"),
    ) as { links: Record<string, { id: string }> };
    const expected = [`groups/${root.links.G1!.id}`, `datasets/${root.links.DS2!.id}`];
    expect(decodeValues(chunk, t, [2])).toEqual(expected);
    expect(hex(encodeValues(expected, t, [2]))).toBe(hex(chunk));
  });

  it("a scalar NUL-padded string chunk decodes to the source text", () => {
    const { json, dir } = storedDataset("d-cfc18c5f-c5e06de5-8d73-b39b48-6c7e6e");
    const t = normalizeType(json.type);
    const chunk = new Uint8Array(readFileSync(join(dir, "0")));
    const source = h5Value("seeds/ncep3/GSSTF_NCEP.3.1987.07.05.he5", "HDFEOS INFORMATION/StructMetadata.0");
    expect(decodeValues(chunk, t, [])).toBe(source);
    expect(hex(encodeValues(source, t, []))).toBe(hex(chunk));
  });
});

describe("variable-length chunks (§3.5)", () => {
  const { json, dir } = storedDataset("d-d58341be-53acc02a-bd67-ff809f-022df2");
  const chunk = new Uint8Array(readFileSync(join(dir, "0")));

  it("splitElements gives the strings of vlen_string_dset.h5", () => {
    const t = normalizeType(json.type);
    const strings = h5Value("hdf5-json/h5/vlen_string_dset.h5", "DS1") as string[];
    const parts = splitElements(chunk, t, 4);
    expect(parts.map((p) => decodeElements(p, t, 1)[0])).toEqual(strings);
    expect(hex(joinElements(parts))).toBe(hex(chunk));
    expect(decodeValues(chunk, t, [4])).toEqual(strings);
    expect(hex(encodeValues(strings, t, [4]))).toBe(hex(chunk));
  });

  it("rejects truncated and surplus bytes", () => {
    const t = normalizeType(json.type);
    expect(() => splitElements(chunk.subarray(0, chunk.length - 1), t, 4)).toThrow(/truncated data/);
    expect(() => splitElements(chunk.subarray(0, 2), t, 1)).toThrow(ValueError);
    expect(() => splitElements(chunk, t, 3)).toThrow(/left over after 3 elements/);
    expect(() => decodeValues(chunk, t, [5])).toThrow(/truncated/);
    const negative = Uint8Array.from([0xff, 0xff, 0xff, 0xff]);
    expect(() => splitElements(negative, t, 1)).toThrow(/invalid variable-length byte count -1/);
  });

  it("serialises compounds with variable-length fields field by field", () => {
    const t = normalizeType({
      class: "H5T_COMPOUND",
      fields: [
        { name: "n", type: "H5T_STD_U16BE" },
        { name: "s", type: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" } },
        { name: "v", type: { class: "H5T_VLEN", base: "H5T_STD_I16LE" } },
      ],
    });
    const bytes = encodeValues([[1, "é", [-1, 2]], [2, "", []]], t, [2]);
    expect(hex(bytes)).toBe(
      "0001" + "02000000c3a9" + "04000000ffff0200" + "0002" + "00000000" + "00000000",
    );
    expect(splitElements(bytes, t, 2).map((p) => p.length)).toEqual([16, 10]);
    expect(decodeValues(bytes, t, [2])).toEqual([[1, "é", [-1, 2]], [2, "", []]]);
  });

  it("accepts HSDS's 0 for an empty variable-length element", () => {
    const t = normalizeType({ class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_ASCII" });
    expect(hex(encodeValues(["a", 0], t, [2]))).toBe("0100000061" + "00000000");
  });

  it("serialises arrays of variable-length strings element by element", () => {
    const t = normalizeType({
      class: "H5T_ARRAY",
      dims: [2],
      base: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_ASCII" },
    });
    const bytes = encodeValues(["ab", "c"], t, []);
    expect(hex(bytes)).toBe("020000006162" + "0100000063");
    expect(decodeValues(bytes, t, [])).toEqual(["ab", "c"]);
  });
});

describe("element rules", () => {
  const t = (json: unknown): HsdsType => normalizeType(json);

  it("keeps 64-bit integers beyond 2^53 exact as BigInt", () => {
    const i64 = t("H5T_STD_I64BE");
    const values = [9223372036854775807n, -9223372036854775808n, 9007199254740993n, 12];
    const bytes = encodeValues(values, i64, [4]);
    expect(hex(bytes.subarray(0, 8))).toBe("7fffffffffffffff");
    expect(decodeValues(bytes, i64, [4])).toEqual(values);
    const u64 = t("H5T_STD_U64LE");
    expect(decodeValues(encodeValues([18446744073709551615n], u64, [1]), u64, [1])).toEqual([18446744073709551615n]);
    expect(stringifyJson(decodeValues(bytes, i64, [4]))).toBe("[9223372036854775807,-9223372036854775808,9007199254740993,12]");
  });

  it("refuses integers out of range or not numbers", () => {
    expect(() => encodeValues([128], t("H5T_STD_I8LE"), [1])).toThrow(/128 is out of range for int8/);
    expect(() => encodeValues([-1], t("H5T_STD_U32BE"), [1])).toThrow(/out of range for uint32/);
    expect(() => encodeValues([2n ** 64n], t("H5T_STD_U64LE"), [1])).toThrow(/out of range for uint64/);
    expect(() => encodeValues(["7"], t("H5T_STD_I32LE"), [1])).toThrow(/cannot convert "7" to int32/);
    expect(() => encodeValues([NaN], t("H5T_STD_I16LE"), [1])).toThrow(ValueError);
    expect(decodeValues(encodeValues([2.9, -2.9, true], t("H5T_STD_I16BE"), [3]), t("H5T_STD_I16BE"), [3])).toEqual([2, -2, 1]);
  });

  it("carries NaN and infinities, and float strings as numpy parses them", () => {
    const f64 = t("H5T_IEEE_F64LE");
    expect(decodeValues(encodeValues([NaN, Infinity, -Infinity, "nan", "-inf", "1.5e3"], f64, [6]), f64, [6])).toEqual([
      NaN,
      Infinity,
      -Infinity,
      NaN,
      -Infinity,
      1500,
    ]);
    expect(() => encodeValues(["abc"], f64, [1])).toThrow(/cannot convert "abc" to a float/);
    const f32 = t("H5T_IEEE_F32BE");
    expect(decodeValues(encodeValues([0.1], f32, [1]), f32, [1])).toEqual([0.10000000149011612]);
  });

  it("rounds float16 as numpy does", () => {
    // numpy 2.4.6: np.array(inputs, dtype=np.float16).view(np.uint16)
    const inputs = [0, -0, 1, -2.5, 65504, 65519, 65520, 1e-8, 5.96e-8, 0.1, 3.14159, 2 ** -14, 2 ** -24, 2 ** -25, 3 * 2 ** -25, 1.0009765625, 2049, 2051, Infinity, -Infinity, 6.1e-5, 1e5];
    const bits = [0, 32768, 15360, 49408, 31743, 31743, 31744, 0, 1, 11878, 16968, 1024, 1, 0, 2, 15361, 26624, 26626, 31744, 64512, 1023, 31744];
    const f16 = t("H5T_IEEE_F16LE");
    const bytes = encodeValues(inputs, f16, [inputs.length]);
    expect(Array.from(new Uint16Array(bytes.buffer, bytes.byteOffset, inputs.length))).toEqual(bits);
    expect(decodeValues(bytes, f16, [inputs.length])).toEqual([
      0, -0, 1, -2.5, 65504, 65504, Infinity, 0, 5.960464477539063e-8, 0.0999755859375, 3.140625, 6.103515625e-5,
      5.960464477539063e-8, 0, 1.1920928955078125e-7, 1.0009765625, 2048, 2052, Infinity, -Infinity, 6.097555160522461e-5, Infinity,
    ]);
    const nan = encodeValues([NaN], t("H5T_IEEE_F16BE"), [1]);
    expect(decodeValues(nan, t("H5T_IEEE_F16BE"), [1])).toEqual([NaN]);
  });

  it("treats h5py's FALSE/TRUE int8 enum as bool and other enums as their integer", () => {
    const bool = t({ class: "H5T_ENUM", base: "H5T_STD_I8LE", mapping: { FALSE: 0, TRUE: 1 } });
    expect(hex(encodeValues([true, false, 1], bool, [3]))).toBe("010001");
    expect(decodeValues(Uint8Array.from([0, 1, 2]), bool, [3])).toEqual([false, true, true]);
    const colors = t({ class: "H5T_ENUM", base: "H5T_STD_U8LE", mapping: { FALSE: 0, TRUE: 1 } });
    expect(decodeValues(Uint8Array.from([0, 1]), colors, [2])).toEqual([0, 1]);
  });

  it("handles fixed strings like numpy 'S': trailing NULs stripped, other padding kept, long text truncated", () => {
    const s5 = t({ class: "H5T_STRING", length: 5, charSet: "H5T_CSET_ASCII", strPad: "H5T_STR_SPACEPAD" });
    expect(decodeValues(Buffer.from("ab   a\0b\0\0"), s5, [2])).toEqual(["ab   ", "a\0b"]);
    expect(hex(encodeValues(["abcdefg", "é", ""], s5, [3]))).toBe("6162636465" + "c3a9000000" + "0000000000");
  });

  it("refuses bytes that are not UTF-8, as HSDS cannot JSON them", () => {
    const s4 = t({ class: "H5T_STRING", length: 4, charSet: "H5T_CSET_ASCII" });
    expect(() => decodeValues(Uint8Array.from([0x61, 0xff, 0, 0]), s4, [1])).toThrow(/not valid UTF-8 text: 61 ff/);
    const vstr = t({ class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" });
    expect(() => decodeValues(Uint8Array.from([1, 0, 0, 0, 0xc3]), vstr, [1])).toThrow(ValueError);
  });

  it("decodes opaque data as its whole bytes in UTF-8", () => {
    const opaque = t({ class: "H5T_OPAQUE", size: 4, tag: "x" });
    expect(decodeValues(Buffer.from("ab\0\0cdef"), opaque, [2])).toEqual(["ab\0\0", "cdef"]);
    expect(hex(encodeValues(["ab"], opaque, [1]))).toBe("61620000");
  });

  it("writes references as 48-byte NUL-padded strings, the null reference as zeros", () => {
    const ref = t("H5T_STD_REF_OBJ");
    const id = "groups/g-e792cda5-97829358-120a-d34dee-6a045c";
    const bytes = encodeValues([id, ""], ref, [2]);
    expect(bytes.length).toBe(96);
    expect(bytes.subarray(48).every((b) => b === 0)).toBe(true);
    expect(decodeValues(bytes, ref, [2])).toEqual([id, ""]);
    const region = t({ class: "H5T_REFERENCE", base: "H5T_STD_REF_DSETREG" });
    expect(decodeValues(new Uint8Array(48), region, [])).toBe("");
  });

  it("nests array-type elements by their dims and accepts them flat", () => {
    const arr = t({ class: "H5T_ARRAY", dims: [2, 3], base: "H5T_STD_I16BE" });
    const nested = [[1, 2, 3], [4, 5, 6]];
    const bytes = encodeValues([nested], arr, [1]);
    expect(hex(bytes)).toBe("000100020003000400050006");
    expect(decodeValues(bytes, arr, [1])).toEqual([nested]);
    expect(hex(encodeValues([[1, 2, 3, 4, 5, 6]], arr, [1]))).toBe(hex(bytes));
    expect(() => encodeValues([[1, 2, 3]], arr, [1])).toThrow(/value does not match shape \[2,3\]/);
  });

  it("accepts the forms HSDS accepts for a value's shape, and names a mismatch", () => {
    const i32 = t("H5T_STD_I32LE");
    const expected = hex(encodeValues([[1, 2, 3], [4, 5, 6]], i32, [2, 3]));
    expect(hex(encodeValues([1, 2, 3, 4, 5, 6], i32, [2, 3]))).toBe(expected);
    expect(hex(encodeValues(7, i32, [1, 1]))).toBe("07000000");
    expect(hex(encodeValues([7], i32, []))).toBe("07000000");
    expect(hex(encodeValues(7, i32, []))).toBe("07000000");
    const pair = t({ class: "H5T_COMPOUND", fields: [{ name: "a", type: "H5T_STD_U8LE" }, { name: "b", type: "H5T_STD_U8LE" }] });
    expect(hex(encodeValues([1, 2], pair, [1]))).toBe("0102");
    expect(hex(encodeValues([[1, 2]], pair, []))).toBe("0102");
    expect(() => encodeValues([1, 2, 3], i32, [2, 2])).toThrow(/value does not match shape \[2,2\]: got lists of \[3\]/);
    expect(() => encodeValues([[1, 2], [3]], i32, [2, 2])).toThrow(ValueError);
    expect(() => encodeValues([[1, 2, 3]], pair, [1])).toThrow(/expected a list of 2 field values/);
    expect(() => decodeValues(new Uint8Array(10), i32, [3])).toThrow(/expected 12 bytes for 3 elements of 4 bytes, got 10/);
  });

  it("nests and flattens in C order", () => {
    expect(nestValues([1, 2, 3, 4, 5, 6], [2, 3])).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(nestValues([1, 2, 3, 4, 5, 6], [3, 1, 2])).toEqual([[[1, 2]], [[3, 4]], [[5, 6]]]);
    expect(nestValues([9], [])).toBe(9);
    expect(nestValues([], [0, 4])).toEqual([]);
    expect(nestValues([], [3, 0])).toEqual([[], [], []]);
    expect(decodeValues(new Uint8Array(0), t("H5T_STD_I32LE"), [2, 0])).toEqual([[], []]);
    expect(flattenValue([[[1, 2]], [[3, 4]], [[5, 6]]], [3, 1, 2])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("uses one element encoding for fast and general paths", () => {
    const i16 = t("H5T_STD_I16BE");
    const mixed = encodeElements([1, 2n, 3], i16);
    expect(hex(mixed)).toBe(hex(encodeElements([1, 2, 3], i16)));
    expect(hex(mixed)).toBe("000100020003");
  });
});

describe("fill values", () => {
  it("encodes the compound fill value HSDS stored for compound.h5", () => {
    const { json } = storedDataset("d-7af4e758-920eb637-9d46-55ad86-9980f4");
    const t = normalizeType(json.type);
    const bytes = fillValueBytes(t, json.creationProperties)!;
    expect(bytes.length).toBe(36);
    expect(decodeValues(bytes, t, [])).toEqual([999, "99:90", 999, 999.0, "N"]);
    expect(fillValueBytes(t, { fillValue: encodeBase64(bytes), fillValue_encoding: "base64" })).toEqual(bytes);
  });

  it("encodes float fill values including nan", () => {
    const { json } = storedDataset("d-b0b38a15-e6ec3d00-511c-ad2f99-0b802b");
    const t = normalizeType(json.type);
    expect(hex(fillValueBytes(t, json.creationProperties)!)).toBe(hex(Buffer.from(new Float32Array([-9999.900390625]).buffer)));
    expect(hex(fillValueBytes(t, { fillValue: "nan" })!)).toBe("0000c07f");
    expect(fillValueBytes(t, {})).toBeUndefined();
    expect(fillValueBytes(t, undefined)).toBeUndefined();
  });

  it("rejects base64 fill values of the wrong size and unknown encodings", () => {
    const t = normalizeType("H5T_STD_I32LE");
    expect(() => fillValueBytes(t, { fillValue: encodeBase64(new Uint8Array(3)), fillValue_encoding: "base64" })).toThrow(
      /expected 4 bytes/,
    );
    expect(() => fillValueBytes(t, { fillValue: 1, fillValue_encoding: "hex" })).toThrow(/unexpected fillValue_encoding "hex"/);
  });

  it("serialises a variable-length fill value as one §3.5 element", () => {
    const t = normalizeType({ class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" });
    expect(hex(fillValueBytes(t, { fillValue: "na" })!)).toBe("020000006e61");
  });
});

describe("base64", () => {
  it("round-trips bytes and rejects text that is not base64", () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    expect(encodeBase64(bytes)).toBe("AAEC+v8=");
    expect(decodeBase64("AAEC+v8=")).toEqual(bytes);
    expect(decodeBase64(encodeBase64(bytes.subarray(1, 3)))).toEqual(Uint8Array.from([1, 2]));
    expect(() => decodeBase64("not base64!")).toThrow(ValueError);
  });
});

describe("emptyElement", () => {
  it("is zeros for fixed parts and zero-length variable parts, field by field", () => {
    const table = normalizeType({
      class: "H5T_COMPOUND",
      fields: [
        { name: "offset", type: "H5T_STD_I64LE" },
        { name: "size", type: "H5T_STD_I32LE" },
        { name: "file_uri", type: { class: "H5T_STRING", charSet: "H5T_CSET_UTF8", length: "H5T_VARIABLE", strPad: "H5T_STR_NULLTERM" } },
      ],
    });
    expect(emptyElement(table)).toEqual(new Uint8Array(16));
    expect(splitElements(emptyElement(table), table, 1)).toHaveLength(1);
    expect(emptyElement(normalizeType("H5T_IEEE_F64LE"))).toEqual(new Uint8Array(8));
  });
});

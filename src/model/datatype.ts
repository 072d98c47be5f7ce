// HSDS datatype JSON (reference §2.4): the TypeScript shape of a type, its validation, sizes, byte order
// and the numpy dtype string h5pyd prints. Written by hand because no library speaks HSDS's type dialect:
// validation follows what HSDS 0.9.4's hdf5dtype.createDataType accepts, and numpyDtypeString follows
// numpy's str(dtype) for the dtypes h5pyd builds from the same JSON.
import { pyStrRepr } from "./python-repr.js";

export type ByteOrder = "LE" | "BE";
export type IntegerBase = `H5T_STD_${"I" | "U"}${8 | 16 | 32 | 64}${ByteOrder}`;
export type FloatBase = `H5T_IEEE_F${16 | 32 | 64}${ByteOrder}`;
export type ReferenceBase = "H5T_STD_REF_OBJ" | "H5T_STD_REF_DSETREG";
export type CharSet = "H5T_CSET_ASCII" | "H5T_CSET_UTF8";
export type StrPad = "H5T_STR_NULLPAD" | "H5T_STR_NULLTERM" | "H5T_STR_SPACEPAD";
export const VARIABLE = "H5T_VARIABLE";
export type Variable = typeof VARIABLE;

/** Keys every class may carry: `id` is the committed type a dataset or attribute was created from. */
interface TypeCommon {
  id?: string;
}
export interface IntegerType extends TypeCommon {
  class: "H5T_INTEGER";
  base: IntegerBase;
}
export interface FloatType extends TypeCommon {
  class: "H5T_FLOAT";
  base: FloatBase;
}
export interface StringType extends TypeCommon {
  class: "H5T_STRING";
  length: number | Variable;
  charSet: CharSet;
  strPad?: StrPad;
}
export interface CompoundField {
  name: string;
  type: HsdsType;
}
export interface CompoundType extends TypeCommon {
  class: "H5T_COMPOUND";
  fields: CompoundField[];
}
export interface ArrayType extends TypeCommon {
  class: "H5T_ARRAY";
  dims: number[];
  base: HsdsType;
}
export interface EnumType extends TypeCommon {
  class: "H5T_ENUM";
  base: IntegerType;
  mapping: Record<string, number>;
}
export interface VlenType extends TypeCommon {
  class: "H5T_VLEN";
  base: HsdsType;
  size?: Variable;
}
export interface OpaqueType extends TypeCommon {
  class: "H5T_OPAQUE";
  size: number;
  tag?: string;
}
export interface ReferenceType extends TypeCommon {
  class: "H5T_REFERENCE";
  base: ReferenceBase;
  /** h5pyd describes object references as 48-byte NUL-padded ASCII strings; HSDS keeps these keys. */
  length?: number;
  charSet?: CharSet;
  strPad?: StrPad;
}
export type HsdsType =
  | IntegerType
  | FloatType
  | StringType
  | CompoundType
  | ArrayType
  | EnumType
  | VlenType
  | OpaqueType
  | ReferenceType;

/** Object and region references are stored as fixed 48-byte strings ("datasets/<id>" + NULs). */
export const REFERENCE_SIZE = 48;

export class TypeJsonError extends Error {
  override name = "TypeJsonError";
}

const INTEGER_BASES: ReadonlySet<string> = new Set(
  ["I", "U"].flatMap((s) => [8, 16, 32, 64].flatMap((bits) => [`H5T_STD_${s}${bits}LE`, `H5T_STD_${s}${bits}BE`])),
);
const FLOAT_BASES: ReadonlySet<string> = new Set(
  [16, 32, 64].flatMap((bits) => [`H5T_IEEE_F${bits}LE`, `H5T_IEEE_F${bits}BE`]),
);
const REFERENCE_BASES: ReadonlySet<string> = new Set(["H5T_STD_REF_OBJ", "H5T_STD_REF_DSETREG"]);
const CHAR_SETS: ReadonlySet<string> = new Set(["H5T_CSET_ASCII", "H5T_CSET_UTF8"]);
const STR_PADS: ReadonlySet<string> = new Set(["H5T_STR_NULLPAD", "H5T_STR_NULLTERM", "H5T_STR_SPACEPAD"]);
const ARRAY_BASE_CLASSES: ReadonlySet<string> = new Set(["H5T_INTEGER", "H5T_FLOAT", "H5T_STRING", "H5T_ARRAY"]);

/**
 * Validate type JSON as HSDS does on POST and return a deep copy in which predefined type names
 * ("H5T_STD_I32LE", "H5T_IEEE_F64BE", "H5T_STD_REF_OBJ") are expanded to objects at every level.
 * Keys the server keeps but does not interpret (`id`, a reference's `length`/`charSet`/`strPad`,
 * a vlen's `size`, unknown extras) are preserved so stored JSON round-trips.
 */
export function normalizeType(input: unknown): HsdsType {
  return normalizeAt(input, "type");
}

function fail(where: string, why: string): never {
  throw new TypeJsonError(`invalid type JSON at ${where}: ${why}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

function predefinedType(name: string, where: string): HsdsType {
  if (INTEGER_BASES.has(name)) return { class: "H5T_INTEGER", base: name as IntegerBase };
  if (FLOAT_BASES.has(name)) return { class: "H5T_FLOAT", base: name as FloatBase };
  if (REFERENCE_BASES.has(name)) return { class: "H5T_REFERENCE", base: name as ReferenceBase };
  return fail(where, `unknown predefined type ${JSON.stringify(name)}`);
}

function normalizeAt(input: unknown, where: string): HsdsType {
  if (typeof input === "string") return predefinedType(input, where);
  if (!isObject(input)) return fail(where, "expected a type object or a predefined type name");
  const t = structuredClone(input);
  if (t.id !== undefined && typeof t.id !== "string") fail(where, "'id' must be a string");
  if (t.dims !== undefined && t.class !== "H5T_ARRAY") fail(where, "'dims' is only allowed for H5T_ARRAY");
  switch (t.class) {
    case "H5T_INTEGER":
      if (!INTEGER_BASES.has(t.base as string)) fail(where, `invalid integer base ${JSON.stringify(t.base)}`);
      return t as unknown as IntegerType;
    case "H5T_FLOAT":
      if (!FLOAT_BASES.has(t.base as string)) fail(where, `invalid float base ${JSON.stringify(t.base)}`);
      return t as unknown as FloatType;
    case "H5T_STRING":
      if (t.length !== VARIABLE && !isPositiveInteger(t.length)) {
        fail(where, `string length must be a positive integer or "H5T_VARIABLE", got ${JSON.stringify(t.length)}`);
      }
      if (!CHAR_SETS.has(t.charSet as string)) fail(where, `invalid charSet ${JSON.stringify(t.charSet)}`);
      if (t.strPad !== undefined && !STR_PADS.has(t.strPad as string)) {
        fail(where, `invalid strPad ${JSON.stringify(t.strPad)}`);
      }
      return t as unknown as StringType;
    case "H5T_COMPOUND":
      return normalizeCompound(t, where);
    case "H5T_ARRAY":
      return normalizeArray(t, where);
    case "H5T_ENUM":
      return normalizeEnum(t, where);
    case "H5T_VLEN": {
      const base = normalizeAt(t.base, `${where}.base`);
      // HSDS builds vlen bases with createBaseDataType, which has no compound case, and cannot
      // serialise sequences of variable-length elements (hsds#341).
      if (base.class === "H5T_COMPOUND") fail(where, "H5T_VLEN of H5T_COMPOUND is not supported");
      if (isVariableLength(base)) fail(where, "H5T_VLEN of a variable-length type is not supported");
      t.base = base;
      return t as unknown as VlenType;
    }
    case "H5T_OPAQUE":
      if (!isPositiveInteger(t.size)) fail(where, `opaque size must be a positive integer, got ${JSON.stringify(t.size)}`);
      if (t.tag !== undefined && typeof t.tag !== "string") fail(where, "opaque 'tag' must be a string");
      return t as unknown as OpaqueType;
    case "H5T_REFERENCE":
      if (!REFERENCE_BASES.has(t.base as string)) fail(where, `invalid reference base ${JSON.stringify(t.base)}`);
      if (t.length !== undefined && t.length !== REFERENCE_SIZE) {
        fail(where, `reference length must be ${REFERENCE_SIZE}, got ${JSON.stringify(t.length)}`);
      }
      return t as unknown as ReferenceType;
    default:
      return fail(where, `unknown class ${JSON.stringify(t.class)}`);
  }
}

function normalizeCompound(t: Record<string, unknown>, where: string): CompoundType {
  const fields = t.fields;
  if (!Array.isArray(fields) || fields.length === 0) fail(where, "'fields' must be a non-empty list");
  const seen = new Set<string>();
  t.fields = fields.map((field: unknown, i: number) => {
    const at = `${where}.fields[${i}]`;
    if (!isObject(field)) return fail(at, "expected an object with 'name' and 'type'");
    const name = field.name;
    if (typeof name !== "string") return fail(at, "'name' must be a string");
    if (!/^[\x00-\x7f]*$/.test(name)) fail(at, `field name ${JSON.stringify(name)} is not ASCII`);
    if (seen.has(name)) fail(at, `duplicate field name ${JSON.stringify(name)}`);
    seen.add(name);
    return { ...field, name, type: normalizeAt(field.type, `${at}.type`) };
  });
  return t as unknown as CompoundType;
}

function normalizeArray(t: Record<string, unknown>, where: string): ArrayType {
  const dims = t.dims;
  if (!Array.isArray(dims) || dims.length === 0 || !dims.every(isPositiveInteger)) {
    fail(where, `array 'dims' must be a non-empty list of positive integers, got ${JSON.stringify(dims)}`);
  }
  const base = normalizeAt(t.base, `${where}.base`);
  if (!ARRAY_BASE_CLASSES.has(base.class)) {
    fail(where, `array base must be an integer, float, string or array type, got ${base.class}`);
  }
  t.base = base;
  return t as unknown as ArrayType;
}

function normalizeEnum(t: Record<string, unknown>, where: string): EnumType {
  const base = normalizeAt(t.base, `${where}.base`);
  if (base.class !== "H5T_INTEGER") fail(where, `enum base must be H5T_INTEGER, got ${base.class}`);
  const mapping = t.mapping;
  if (!isObject(mapping) || Object.keys(mapping).length === 0) fail(where, "'mapping' must be a non-empty object");
  for (const [name, value] of Object.entries(mapping)) {
    if (typeof value !== "number" || !Number.isSafeInteger(value)) {
      fail(where, `enum value of ${JSON.stringify(name)} must be an integer`);
    }
  }
  t.base = base;
  return t as unknown as EnumType;
}

/** Bytes per element, or "H5T_VARIABLE" when any part of the type is variable-length. */
export function itemSize(t: HsdsType): number | Variable {
  switch (t.class) {
    case "H5T_INTEGER":
    case "H5T_FLOAT":
      return numberBits(t.base) / 8;
    case "H5T_STRING":
      return t.length;
    case "H5T_COMPOUND": {
      let total = 0;
      for (const field of t.fields) {
        const size = itemSize(field.type);
        if (size === VARIABLE) return VARIABLE;
        total += size;
      }
      return total;
    }
    case "H5T_ARRAY": {
      const size = itemSize(t.base);
      return size === VARIABLE ? VARIABLE : size * product(t.dims);
    }
    case "H5T_ENUM":
      return itemSize(t.base);
    case "H5T_VLEN":
      return VARIABLE;
    case "H5T_OPAQUE":
      return t.size;
    case "H5T_REFERENCE":
      return REFERENCE_SIZE;
  }
}

/** Whether `t` or any type it is made of (compound fields, array and vlen bases) passes `test`. */
export function someTypeIn(t: HsdsType, test: (member: HsdsType) => boolean): boolean {
  if (test(t)) return true;
  switch (t.class) {
    case "H5T_COMPOUND":
      return t.fields.some((f) => someTypeIn(f.type, test));
    case "H5T_ARRAY":
    case "H5T_VLEN":
      return someTypeIn(t.base, test);
    default:
      return false;
  }
}

export function isVariableLength(t: HsdsType): boolean {
  return itemSize(t) === VARIABLE;
}

/** Size of a type known to be fixed-size; names the type when it is not. */
export function fixedItemSize(t: HsdsType): number {
  const size = itemSize(t);
  if (size === VARIABLE) throw new TypeJsonError(`${t.class} type is variable-length; it has no fixed item size`);
  return size;
}

export function product(values: readonly number[]): number {
  let n = 1;
  for (const v of values) n *= v;
  return n;
}

export function numberBits(base: IntegerBase | FloatBase): number {
  return Number(/\d+/.exec(base.slice(9))![0]);
}

export function byteOrderOf(base: IntegerBase | FloatBase): ByteOrder {
  return base.endsWith("BE") ? "BE" : "LE";
}

/** h5py's convention: an int8 enum of exactly FALSE/TRUE is numpy bool. */
export function isBoolEnum(t: HsdsType): boolean {
  if (t.class !== "H5T_ENUM" || !t.base.base.startsWith("H5T_STD_I8")) return false;
  const names = Object.keys(t.mapping);
  return names.length === 2 && names.includes("FALSE") && names.includes("TRUE");
}

export interface FieldPlacement {
  name: string;
  type: HsdsType;
  offset: number;
  size: number;
}

/** Byte placement of a fixed-size compound's fields: packed in declaration order, no padding. */
export function fieldLayout(t: CompoundType): FieldPlacement[] {
  let offset = 0;
  return t.fields.map(({ name, type }) => {
    const size = itemSize(type);
    if (size === VARIABLE) {
      throw new TypeJsonError(`compound field ${JSON.stringify(name)} is variable-length; the compound has no fixed layout`);
    }
    const placement = { name, type, offset, size };
    offset += size;
    return placement;
  });
}

/**
 * Swap, in place, the bytes of every big-endian number inside `count` packed elements of `t`, converting
 * between little-endian (what h5wasm hands out for every type, compound members included) and the
 * type's own byte order. The swap is its own inverse, so it serves both directions. Returns `bytes`.
 */
export function swapByteOrder(bytes: Uint8Array, t: HsdsType, count: number): Uint8Array {
  const size = fixedItemSize(t);
  if (bytes.length !== size * count) {
    throw new TypeJsonError(`byte order swap: expected ${size * count} bytes for ${count} elements, got ${bytes.length}`);
  }
  const swaps: Array<[offset: number, width: number]> = [];
  collectBigEndianParts(t, 0, swaps);
  if (swaps.length === 0) return bytes;
  if (swaps.length === 1 && swaps[0]![1] === size) {
    swapRuns(bytes, size, 0, bytes.length);
    return bytes;
  }
  for (let element = 0; element < bytes.length; element += size) {
    for (const [offset, width] of swaps) swapRuns(bytes, width, element + offset, element + offset + width);
  }
  return bytes;
}

function swapRuns(bytes: Uint8Array, width: number, from: number, to: number): void {
  for (let i = from; i < to; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const tmp = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = tmp;
    }
  }
}

function collectBigEndianParts(t: HsdsType, offset: number, out: Array<[number, number]>): void {
  switch (t.class) {
    case "H5T_INTEGER":
    case "H5T_FLOAT": {
      const width = numberBits(t.base) / 8;
      if (byteOrderOf(t.base) === "BE" && width > 1) out.push([offset, width]);
      return;
    }
    case "H5T_ENUM":
      return collectBigEndianParts(t.base, offset, out);
    case "H5T_COMPOUND":
      for (const field of fieldLayout(t)) collectBigEndianParts(field.type, offset + field.offset, out);
      return;
    case "H5T_ARRAY": {
      const baseSize = fixedItemSize(t.base);
      const n = product(t.dims);
      for (let i = 0; i < n; i++) collectBigEndianParts(t.base, offset + i * baseSize, out);
      return;
    }
    default:
      return;
  }
}

/**
 * The text `hsls -v` prints after "Type:": numpy's str() of the dtype h5pyd builds from the type JSON
 * (e.g. "int32", ">i4", "|S48", "object", "[('a', '<i8'), ('b', 'S6')]", "('<f4', (4,))").
 */
export function numpyDtypeString(t: HsdsType): string {
  switch (t.class) {
    case "H5T_COMPOUND":
      return structList(t);
    case "H5T_ARRAY":
      return `(${quotedShortRepr(arrayBaseDtype(t.base))}, ${pyTuple(t.dims)})`;
    default: {
      const d = scalarDtype(t);
      if (d.kind === "S" || d.kind === "V") return `|${d.kind}${d.size}`;
      if (d.kind === "i" || d.kind === "u" || d.kind === "f") {
        if (d.order === ">" && d.size > 1) return `>${d.kind}${d.size}`;
        const family = d.kind === "i" ? "int" : d.kind === "u" ? "uint" : "float";
        return `${family}${d.size * 8}`;
      }
      return d.kind === "?" ? "bool" : "object";
    }
  }
}

/** A numpy scalar dtype reduced to what its printed forms depend on. */
interface ScalarDtype {
  kind: "i" | "u" | "f" | "?" | "O" | "S" | "V";
  size: number;
  order: "<" | ">";
}

function scalarDtype(t: Exclude<HsdsType, CompoundType | ArrayType>): ScalarDtype {
  switch (t.class) {
    case "H5T_INTEGER":
    case "H5T_FLOAT": {
      const kind = t.class === "H5T_FLOAT" ? "f" : t.base.startsWith("H5T_STD_U") ? "u" : "i";
      return { kind, size: numberBits(t.base) / 8, order: byteOrderOf(t.base) === "BE" ? ">" : "<" };
    }
    case "H5T_ENUM":
      return isBoolEnum(t) ? { kind: "?", size: 1, order: "<" } : scalarDtype(t.base);
    case "H5T_STRING":
      return t.length === VARIABLE ? { kind: "O", size: 8, order: "<" } : { kind: "S", size: t.length, order: "<" };
    case "H5T_VLEN":
      return { kind: "O", size: 8, order: "<" };
    case "H5T_OPAQUE":
      return { kind: "V", size: t.size, order: "<" };
    case "H5T_REFERENCE":
      return { kind: "S", size: REFERENCE_SIZE, order: "<" };
  }
}

/**
 * h5pyd builds an array dtype from the base dtype's `.str`; a nested array's `.str` is a plain void of
 * its full size, so arrays of arrays print as ('V<n>', dims).
 */
function arrayBaseDtype(base: HsdsType): ScalarDtype {
  if (base.class === "H5T_ARRAY") return { kind: "V", size: fixedItemSize(base), order: "<" };
  if (base.class === "H5T_COMPOUND") throw new TypeJsonError("H5T_ARRAY of H5T_COMPOUND has no numpy dtype string");
  return scalarDtype(base);
}

/** numpy's short construction repr of a scalar dtype, as used inside structured and subarray dtypes. */
function quotedShortRepr(d: ScalarDtype): string {
  switch (d.kind) {
    case "?":
    case "O":
      return `'${d.kind}'`;
    case "S":
    case "V":
      return `'${d.kind}${d.size}'`;
    default:
      return `'${d.size > 1 ? d.order : ""}${d.kind}${d.size}'`;
  }
}

function structList(t: CompoundType): string {
  const items = t.fields.map(({ name, type }) => {
    if (type.class === "H5T_COMPOUND") return `(${pyStrRepr(name)}, ${structList(type)})`;
    if (type.class === "H5T_ARRAY") {
      return `(${pyStrRepr(name)}, ${quotedShortRepr(arrayBaseDtype(type.base))}, ${pyTuple(type.dims)})`;
    }
    return `(${pyStrRepr(name)}, ${quotedShortRepr(scalarDtype(type))})`;
  });
  return `[${items.join(", ")}]`;
}

function pyTuple(dims: readonly number[]): string {
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
}


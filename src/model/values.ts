// Arrays of element values between their binary form (§3.1 packed, or §3.5 serialised when the type is
// variable-length) and the JSON HSDS puts in `value`, plus fill values and base64. Per-element rules are
// in element-codec.ts; this module handles counts, shapes and the fast paths for plain numbers.

import type { JsonValue } from "./json.js";
import {
  type HsdsType,
  VARIABLE,
  byteOrderOf,
  isBoolEnum,
  itemSize,
  numberBits,
  product,
  swapByteOrder,
} from "./datatype.js";
import { ByteReader, ByteWriter, codecFor } from "./element-codec.js";
import { flattenValue, nestValues } from "./nesting.js";
import { ValueError } from "./value-error.js";

export { ValueError } from "./value-error.js";
export { flattenValue, nestValues } from "./nesting.js";

/**
 * JSON value of `∏shape` elements: nested lists for a simple shape, the bare element for shape [] (scalar).
 * Throws ValueError on truncated or surplus bytes and on text that is not UTF-8 (HSDS cannot JSON it either).
 */
export function decodeValues(bytes: Uint8Array, t: HsdsType, shape: readonly number[]): JsonValue {
  return nestValues(decodeElements(bytes, t, product(shape)), shape);
}

/**
 * Binary form of a JSON value for `∏shape` elements. Accepts lists nested as `shape` or one flat list;
 * a one-element selection also accepts the bare element, and a scalar a one-element list, as HSDS does.
 */
export function encodeValues(value: unknown, t: HsdsType, shape: readonly number[]): Uint8Array {
  const attempts: Array<() => unknown[]> = [() => flattenValue(value, shape)];
  if (product(shape) === 1) {
    if (shape.length > 0) attempts.push(() => [value]);
    else if (Array.isArray(value) && value.length === 1) attempts.push(() => [value[0]]);
  }
  let firstError: unknown;
  for (const attempt of attempts) {
    try {
      return encodeElements(attempt(), t);
    } catch (err) {
      if (!(err instanceof ValueError)) throw err;
      firstError ??= err;
    }
  }
  throw firstError;
}

/** Decode `count` elements to a flat list. */
export function decodeElements(bytes: Uint8Array, t: HsdsType, count: number): JsonValue[] {
  const size = itemSize(t);
  if (size !== VARIABLE && bytes.length !== size * count) {
    throw new ValueError(`expected ${size * count} bytes for ${count} elements of ${size} bytes, got ${bytes.length}`);
  }
  const fast = plainNumberKind(t);
  if (fast) return decodePlainNumbers(bytes, t, count, fast);
  const codec = codecFor(t);
  const reader = new ByteReader(bytes);
  const out: JsonValue[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = codec.read(reader);
  expectConsumed(reader, count);
  return out;
}

/** Encode a flat list of element values. */
export function encodeElements(values: readonly unknown[], t: HsdsType): Uint8Array {
  const fast = plainNumberKind(t);
  if (fast) {
    const encoded = encodePlainNumbers(values, t, fast);
    if (encoded) return encoded;
  }
  const codec = codecFor(t);
  const writer = new ByteWriter(codec.fixedSize !== undefined ? codec.fixedSize * values.length : 64 * values.length);
  for (const value of values) codec.write(value, writer);
  return writer.result();
}

/**
 * Split `count` packed or §3.5-serialised elements into one view per element (no copies), so the engine
 * can treat variable-length chunks as arrays of elements. Throws ValueError on truncated or surplus bytes.
 */
export function splitElements(bytes: Uint8Array, t: HsdsType, count: number): Uint8Array[] {
  const codec = codecFor(t);
  const size = codec.fixedSize;
  if (size !== undefined && bytes.length !== size * count) {
    throw new ValueError(`expected ${size * count} bytes for ${count} elements of ${size} bytes, got ${bytes.length}`);
  }
  const reader = new ByteReader(bytes);
  const parts: Uint8Array[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const start = reader.pos;
    codec.skip(reader);
    parts[i] = bytes.subarray(start, reader.pos);
  }
  expectConsumed(reader, count);
  return parts;
}

/** Concatenate element buffers (the inverse of splitElements). */
export function joinElements(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function expectConsumed(reader: ByteReader, count: number): void {
  if (reader.pos !== reader.bytes.length) {
    throw new ValueError(`${reader.bytes.length - reader.pos} bytes left over after ${count} elements`);
  }
}

/**
 * The bytes of one element that holds nothing: zeros for fixed-size parts, zero-length variable
 * parts (§3.5) — what a never-written element of a chunk is.
 */
export function emptyElement(t: HsdsType): Uint8Array {
  const size = itemSize(t);
  if (size !== VARIABLE) return new Uint8Array(size);
  if (t.class === "H5T_COMPOUND") return joinElements(t.fields.map((field) => emptyElement(field.type)));
  // A variable-length string or sequence: an int32 zero length and no payload.
  return new Uint8Array(4);
}

export interface FillValueProperties {
  fillValue?: unknown;
  fillValue_encoding?: unknown;
}

/**
 * The bytes of one element of the dataset's fill value (type byte order; §3.5 form for variable-length
 * types), or undefined when none is set (chunks then start as zero bytes). `fillValue` is JSON — a list for
 * compounds, "nan" allowed for floats — or base64 when `fillValue_encoding` is "base64".
 */
export function fillValueBytes(t: HsdsType, creationProperties: FillValueProperties | undefined): Uint8Array | undefined {
  const fill = creationProperties?.fillValue;
  if (fill === undefined || fill === null) return undefined;
  const encoding = creationProperties?.fillValue_encoding;
  if (encoding === "base64") {
    if (typeof fill !== "string") throw new ValueError(`base64 fillValue must be a string, got ${typeof fill}`);
    const bytes = decodeBase64(fill);
    splitElements(bytes, t, 1);
    return bytes;
  }
  if (encoding !== undefined && encoding !== null && encoding !== "None") {
    throw new ValueError(`unexpected fillValue_encoding ${JSON.stringify(encoding)}`);
  }
  return encodeValues(fill, t, []);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Bytes of a base64 string (`value_base64`, attribute `encoding: "base64"`, base64 fill values). */
export function decodeBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(text)) throw new ValueError("value is not valid base64 text");
  return new Uint8Array(Buffer.from(text, "base64"));
}

// Fast paths: types whose element is one plain number decode and encode through typed arrays.

type PlainNumberKind = "i8" | "u8" | "i16" | "u16" | "i32" | "u32" | "i64" | "u64" | "f32" | "f64";

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const TYPED_ARRAYS = {
  i8: Int8Array,
  u8: Uint8Array,
  i16: Int16Array,
  u16: Uint16Array,
  i32: Int32Array,
  u32: Uint32Array,
  i64: BigInt64Array,
  u64: BigUint64Array,
  f32: Float32Array,
  f64: Float64Array,
} as const;

function plainNumberKind(t: HsdsType): PlainNumberKind | undefined {
  if (!HOST_IS_LITTLE_ENDIAN) return undefined;
  const scalar = t.class === "H5T_ENUM" && !isBoolEnum(t) ? t.base : t;
  if (scalar.class === "H5T_INTEGER") {
    return `${scalar.base.startsWith("H5T_STD_I") ? "i" : "u"}${numberBits(scalar.base)}` as PlainNumberKind;
  }
  if (scalar.class === "H5T_FLOAT" && numberBits(scalar.base) !== 16) {
    return `f${numberBits(scalar.base)}` as PlainNumberKind;
  }
  return undefined;
}

function isBigEndian(t: HsdsType): boolean {
  const scalar = t.class === "H5T_ENUM" ? t.base : t;
  return (scalar.class === "H5T_INTEGER" || scalar.class === "H5T_FLOAT") && byteOrderOf(scalar.base) === "BE";
}

function decodePlainNumbers(bytes: Uint8Array, t: HsdsType, count: number, kind: PlainNumberKind): JsonValue[] {
  const copy = new Uint8Array(bytes); // a fresh, aligned buffer (Buffer#slice would not copy)
  if (isBigEndian(t)) swapByteOrder(copy, t, count);
  const typed = new TYPED_ARRAYS[kind](copy.buffer, 0, count);
  if (typed instanceof BigInt64Array || typed instanceof BigUint64Array) {
    const out: JsonValue[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const n = typed[i]!;
      out[i] = n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
    }
    return out;
  }
  const out: JsonValue[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = typed[i]!;
  return out;
}

const INTEGER_RANGES: Partial<Record<PlainNumberKind, [number, number]>> = {
  i8: [-128, 127],
  u8: [0, 255],
  i16: [-32768, 32767],
  u16: [0, 65535],
  i32: [-2147483648, 2147483647],
  u32: [0, 4294967295],
};

/** Typed-array encoding when every value is a finite in-range number; undefined sends the caller to the codec. */
function encodePlainNumbers(values: readonly unknown[], t: HsdsType, kind: PlainNumberKind): Uint8Array | undefined {
  if (kind === "i64" || kind === "u64") return undefined;
  const range = INTEGER_RANGES[kind];
  const typed = new TYPED_ARRAYS[kind](values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") return undefined;
    if (range) {
      if (!Number.isFinite(v)) return undefined;
      const n = Math.trunc(v);
      if (n < range[0] || n > range[1]) return undefined;
      typed[i] = n;
    } else {
      typed[i] = v;
    }
  }
  const bytes = new Uint8Array(typed.buffer);
  if (isBigEndian(t)) swapByteOrder(bytes, t, values.length);
  return bytes;
}

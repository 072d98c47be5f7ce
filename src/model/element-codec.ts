// One element of an HSDS type, between its binary form and its JSON form, as HSDS 0.9.4 produces them
// (numpy .tolist() followed by arrayUtil.bytesArrayToList) and accepts them (arrayUtil.jsonToArray).
// Written by hand: the rules are HSDS's own. Binary layout is §3.1 for fixed-size parts and the §3.5
// int32-LE length-prefixed serialisation for variable-length parts.
//
// What HSDS does that shows up here:
//  * fixed strings and references lose trailing NULs only (numpy "S" semantics, whatever strPad says);
//    other padding stays, and bytes are decoded as strict UTF-8 — invalid UTF-8 cannot be JSON (HSDS
//    answers 400 for values and keeps attributes as base64);
//  * opaque elements are the full raw bytes decoded as UTF-8, for the same reason;
//  * an int8 enum with exactly FALSE/TRUE is numpy bool, so its JSON is true/false;
//  * writing a string longer than a fixed length truncates it (numpy does), shorter pads with NULs;
//  * an empty or never-written variable-length element is serialised as a zero count. HSDS reads it back
//    as the integer 0; we read "" / [] so that values like DIMENSION_LIST's [] round-trip, and accept 0
//    on input so HSDS's own JSON can be written back.

import type { JsonValue } from "./json.js";
import {
  type FloatType,
  type HsdsType,
  type IntegerType,
  REFERENCE_SIZE,
  VARIABLE,
  byteOrderOf,
  isBoolEnum,
  numberBits,
  product,
} from "./datatype.js";
import { flattenValue, nestValues } from "./nesting.js";
import { ValueError } from "./value-error.js";

/** HSDS refuses variable-length parts above this many bytes (arrayUtil.MAX_VLEN_ELEMENT). */
export const MAX_VLEN_BYTES = 1_000_000;

const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** A cursor over input bytes; every read is bounds-checked so truncated input fails with a clear message. */
export class ByteReader {
  readonly view: DataView;
  pos = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  take(n: number): number {
    const at = this.pos;
    if (at + n > this.bytes.length) {
      throw new ValueError(`truncated data: need ${n} bytes at offset ${at}, only ${this.bytes.length - at} left`);
    }
    this.pos = at + n;
    return at;
  }
  vlenCount(): number {
    const count = this.view.getInt32(this.take(4), true);
    if (count < 0 || count > MAX_VLEN_BYTES) {
      throw new ValueError(`invalid variable-length byte count ${count} at offset ${this.pos - 4}`);
    }
    return count;
  }
}

/** A growable output buffer. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;
  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }
  /** Reserve n zeroed bytes; returns their offset, valid for `dataView()` until the next reserve. */
  reserve(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, at + n));
      grown.set(this.buf.subarray(0, at));
      this.buf = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length = at + n;
    return at;
  }
  dataView(): DataView {
    return this.view;
  }
  /** The underlying buffer, for filling bytes just reserved; replaced when a reserve grows it. */
  bytes(): Uint8Array {
    return this.buf;
  }
  writeBytes(src: Uint8Array): void {
    const at = this.reserve(src.length);
    this.buf.set(src, at);
  }
  /**
   * Append text as UTF-8 after an int32-LE byte count (§3.5); returns the byte count. Reserves the worst
   * case and gives back what encodeInto did not write, which it never touched, so bytes past `length`
   * stay zero for the next reserve.
   */
  writeCountedUtf8(text: string): number {
    const at = this.reserve(4 + text.length * 3);
    const { written } = utf8Encoder.encodeInto(text, this.buf.subarray(at + 4));
    this.length = at + 4 + written;
    this.view.setInt32(at, written, true);
    return written;
  }
  result(): Uint8Array {
    return this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length);
  }
}

export interface ElementCodec {
  /** Byte size of every element, or undefined when elements are variable-length (§3.5). */
  readonly fixedSize: number | undefined;
  read(r: ByteReader): JsonValue;
  write(value: unknown, w: ByteWriter): void;
  /** Advance past one element without decoding it. */
  skip(r: ByteReader): void;
}

const codecCache = new WeakMap<HsdsType, ElementCodec>();

/** The codec for a (normalised) type; cached per type object. */
export function codecFor(t: HsdsType): ElementCodec {
  let codec = codecCache.get(t);
  if (!codec) {
    codec = buildCodec(t);
    codecCache.set(t, codec);
  }
  return codec;
}

function buildCodec(t: HsdsType): ElementCodec {
  switch (t.class) {
    case "H5T_INTEGER":
      return integerCodec(t);
    case "H5T_FLOAT":
      return floatCodec(t);
    case "H5T_ENUM":
      return isBoolEnum(t) ? boolCodec() : integerCodec(t.base);
    case "H5T_STRING":
      return t.length === VARIABLE ? vlenStringCodec() : fixedBytesCodec(t.length, true);
    case "H5T_REFERENCE":
      return fixedBytesCodec(REFERENCE_SIZE, true);
    case "H5T_OPAQUE":
      return fixedBytesCodec(t.size, false);
    case "H5T_COMPOUND":
      return compoundCodec(t.fields.map((f) => codecFor(f.type)));
    case "H5T_ARRAY":
      return arrayCodec(codecFor(t.base), t.dims);
    case "H5T_VLEN":
      return sequenceCodec(codecFor(t.base));
  }
}

function fixedSkip(size: number): (r: ByteReader) => void {
  return (r) => void r.take(size);
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === "bigint") return `${value}`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value === null || typeof value !== "object") return String(value);
  return "an object";
}

/** Integer value of a JSON input for an integer type, numpy-style: floats truncate, booleans are 0/1. */
function toBigInt(value: unknown, what: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (typeof value === "number" && Number.isFinite(value)) return BigInt(Math.trunc(value));
  throw new ValueError(`cannot convert ${describe(value)} to ${what}`);
}

function integerCodec(t: IntegerType): ElementCodec {
  const bits = numberBits(t.base);
  const size = bits / 8;
  const signed = t.base.startsWith("H5T_STD_I");
  const le = byteOrderOf(t.base) === "LE";
  const what = `${signed ? "int" : "uint"}${bits}`;
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (bits === 64) {
    return {
      fixedSize: size,
      read(r) {
        const at = r.take(8);
        const n = signed ? r.view.getBigInt64(at, le) : r.view.getBigUint64(at, le);
        return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
      },
      write(value, w) {
        const n = toBigInt(value, what);
        if (n < min || n > max) throw new ValueError(`${n} is out of range for ${what}`);
        const at = w.reserve(8);
        if (signed) w.dataView().setBigInt64(at, n, le);
        else w.dataView().setBigUint64(at, n, le);
      },
      skip: fixedSkip(8),
    };
  }
  const minNumber = Number(min);
  const maxNumber = Number(max);
  const get = {
    8: signed ? DataView.prototype.getInt8 : DataView.prototype.getUint8,
    16: signed ? DataView.prototype.getInt16 : DataView.prototype.getUint16,
    32: signed ? DataView.prototype.getInt32 : DataView.prototype.getUint32,
  }[bits as 8 | 16 | 32];
  const set = {
    8: signed ? DataView.prototype.setInt8 : DataView.prototype.setUint8,
    16: signed ? DataView.prototype.setInt16 : DataView.prototype.setUint16,
    32: signed ? DataView.prototype.setInt32 : DataView.prototype.setUint32,
  }[bits as 8 | 16 | 32];
  return {
    fixedSize: size,
    read: (r) => get.call(r.view, r.take(size), le),
    write(value, w) {
      const n = typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : Number(toBigInt(value, what));
      if (n < minNumber || n > maxNumber) throw new ValueError(`${n} is out of range for ${what}`);
      const at = w.reserve(size);
      set.call(w.dataView(), at, n, le);
    },
    skip: fixedSkip(size),
  };
}

const FLOAT_WORDS = /^\s*[+-]?(nan|inf|infinity)\s*$/i;
const FLOAT_LITERAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Float value of a JSON input, numpy-style: numbers, booleans, and numeric strings such as "nan". */
function toFloat(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") {
    const word = FLOAT_WORDS.exec(value);
    if (word) {
      if (word[1]!.toLowerCase() === "nan") return NaN;
      return value.trim().startsWith("-") ? -Infinity : Infinity;
    }
    if (FLOAT_LITERAL.test(value)) return Number(value);
  }
  throw new ValueError(`cannot convert ${describe(value)} to a float`);
}

function floatCodec(t: FloatType): ElementCodec {
  const bits = numberBits(t.base);
  const le = byteOrderOf(t.base) === "LE";
  if (bits === 16) {
    return {
      fixedSize: 2,
      read: (r) => halfToNumber(r.view.getUint16(r.take(2), le)),
      write(value, w) {
        const half = numberToHalf(toFloat(value));
        const at = w.reserve(2);
        w.dataView().setUint16(at, half, le);
      },
      skip: fixedSkip(2),
    };
  }
  const size = bits / 8;
  return {
    fixedSize: size,
    read: (r) => (size === 4 ? r.view.getFloat32(r.take(4), le) : r.view.getFloat64(r.take(8), le)),
    write(value, w) {
      const x = toFloat(value);
      const at = w.reserve(size);
      if (size === 4) w.dataView().setFloat32(at, x, le);
      else w.dataView().setFloat64(at, x, le);
    },
    skip: fixedSkip(size),
  };
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** IEEE binary16 bits of a number, rounding to nearest even as numpy does. */
function numberToHalf(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) {
    // Subnormal range: units of 2^-24, rounded half to even.
    return sign | roundHalfEven(a * 2 ** 24);
  }
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--; // guard against log2 rounding up
  let mantissa = roundHalfEven((a / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    exponent++;
  }
  if (exponent > 15) return sign | 0x7c00;
  return sign | ((exponent + 15) << 10) | mantissa;
}

function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const diff = v - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function boolCodec(): ElementCodec {
  return {
    fixedSize: 1,
    read: (r) => r.bytes[r.take(1)] !== 0,
    write(value, w) {
      if (typeof value !== "boolean" && typeof value !== "number" && typeof value !== "bigint") {
        throw new ValueError(`cannot convert ${describe(value)} to a bool`);
      }
      const at = w.reserve(1);
      w.bytes()[at] = value ? 1 : 0;
    },
    skip: fixedSkip(1),
  };
}

function decodeText(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new ValueError(`bytes are not valid UTF-8 text: ${hexPreview(bytes)}`);
  }
}

function hexPreview(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return bytes.length > 16 ? `${shown} ...` : shown;
}

function textBytes(value: unknown): Uint8Array {
  if (typeof value !== "string") throw new ValueError(`expected a string, got ${describe(value)}`);
  return utf8Encoder.encode(value);
}

/** Fixed strings, references (stripTrailingNuls) and opaque data (kept whole). */
function fixedBytesCodec(size: number, stripTrailingNuls: boolean): ElementCodec {
  return {
    fixedSize: size,
    read(r) {
      const at = r.take(size);
      let end = at + size;
      if (stripTrailingNuls) while (end > at && r.bytes[end - 1] === 0) end--;
      return decodeText(r.bytes.subarray(at, end));
    },
    write(value, w) {
      const text = textBytes(value);
      const at = w.reserve(size);
      w.bytes().set(text.length > size ? text.subarray(0, size) : text, at);
    },
    skip: fixedSkip(size),
  };
}

function writeVlenCount(w: ByteWriter, count: number): void {
  if (count > MAX_VLEN_BYTES) throw new ValueError(`variable-length element of ${count} bytes exceeds ${MAX_VLEN_BYTES}`);
  const at = w.reserve(4);
  w.dataView().setInt32(at, count, true);
}

function vlenSkip(r: ByteReader): void {
  r.take(r.vlenCount());
}

function vlenStringCodec(): ElementCodec {
  return {
    fixedSize: undefined,
    read(r) {
      const count = r.vlenCount();
      const at = r.take(count);
      return decodeText(r.bytes.subarray(at, at + count));
    },
    write(value, w) {
      if (value === 0) return writeVlenCount(w, 0);
      if (typeof value !== "string") throw new ValueError(`expected a string, got ${describe(value)}`);
      const count = w.writeCountedUtf8(value);
      if (count > MAX_VLEN_BYTES) throw new ValueError(`variable-length element of ${count} bytes exceeds ${MAX_VLEN_BYTES}`);
    },
    skip: vlenSkip,
  };
}

function sequenceCodec(base: ElementCodec): ElementCodec {
  // normalizeType guarantees a fixed-size base.
  const baseSize = base.fixedSize!;
  return {
    fixedSize: undefined,
    read(r) {
      const count = r.vlenCount();
      if (count % baseSize !== 0) {
        throw new ValueError(`variable-length sequence of ${count} bytes is not a whole number of ${baseSize}-byte elements`);
      }
      const out: JsonValue[] = new Array(count / baseSize);
      for (let i = 0; i < out.length; i++) out[i] = base.read(r);
      return out;
    },
    write(value, w) {
      if (value === 0) return writeVlenCount(w, 0);
      if (!Array.isArray(value)) throw new ValueError(`expected a list for a variable-length sequence, got ${describe(value)}`);
      writeVlenCount(w, value.length * baseSize);
      for (const item of value) base.write(item, w);
    },
    skip: vlenSkip,
  };
}

function sumOrUndefined(codecs: readonly ElementCodec[], times = 1): number | undefined {
  let total = 0;
  for (const c of codecs) {
    if (c.fixedSize === undefined) return undefined;
    total += c.fixedSize;
  }
  return total * times;
}

function compoundCodec(fields: readonly ElementCodec[]): ElementCodec {
  const fixedSize = sumOrUndefined(fields);
  return {
    fixedSize,
    read: (r) => fields.map((f) => f.read(r)),
    write(value, w) {
      if (!Array.isArray(value) || value.length !== fields.length) {
        throw new ValueError(`expected a list of ${fields.length} field values for a compound, got ${describe(value)}`);
      }
      fields.forEach((f, i) => f.write(value[i], w));
    },
    skip: fixedSize !== undefined ? fixedSkip(fixedSize) : (r) => fields.forEach((f) => f.skip(r)),
  };
}

function arrayCodec(base: ElementCodec, dims: readonly number[]): ElementCodec {
  const count = product(dims);
  const fixedSize = sumOrUndefined([base], count);
  return {
    fixedSize,
    read(r) {
      const flat: JsonValue[] = new Array(count);
      for (let i = 0; i < count; i++) flat[i] = base.read(r);
      return nestValues(flat, dims);
    },
    write(value, w) {
      for (const item of flattenValue(value, dims)) base.write(item, w);
    },
    skip: fixedSize !== undefined ? fixedSkip(fixedSize) : (r) => {
      for (let i = 0; i < count; i++) base.skip(r);
    },
  };
}

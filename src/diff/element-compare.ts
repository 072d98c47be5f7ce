// Where two binaries of `count` elements of one HSDS type first differ. Bytes must be equal, except that floats
// compare bit for bit with any NaN equal to any NaN (a NaN's payload is not data). Fixed-size types are compared
// packed (§3.1), variable-length ones element by element in their §3.5 form. Written by hand: the NaN rule needs
// the type's float positions, which no library knows.
import { byteOrderOf, fieldLayout, fixedItemSize, type HsdsType, itemSize, numberBits, product, someTypeIn, VARIABLE } from "../model/datatype.js";
import type { JsonValue } from "../model/json.js";
import { decodeElements, splitElements } from "../model/values.js";

/** The index of the first element that differs (a missing element counts), or -1 when all `count` are equal. */
export type ElementComparer = (a: Uint8Array, b: Uint8Array, count: number) => number;

export function elementComparer(t: HsdsType): ElementComparer {
  return itemSize(t) === VARIABLE ? variableComparer(t) : fixedComparer(t, fixedItemSize(t));
}

interface FloatPart {
  offset: number;
  width: number;
  bigEndian: boolean;
}

function fixedComparer(t: HsdsType, size: number): ElementComparer {
  const floats = floatParts(t, 0, []);
  const others = otherRanges(floats, size);
  const elementEqual = (a: Uint8Array, b: Uint8Array, at: number): boolean => {
    for (const [from, to] of others) {
      for (let i = at + from; i < at + to; i++) if (a[i] !== b[i]) return false;
    }
    return floats.every((f) => sameFloat(a, b, at + f.offset, f));
  };
  return (a, b, count) => {
    if (a.length === size * count && sameBytes(a, b)) return -1;
    const complete = Math.min(count, Math.floor(a.length / size), Math.floor(b.length / size));
    for (let i = 0; i < complete; i++) if (!elementEqual(a, b, i * size)) return i;
    return complete === count ? -1 : complete;
  };
}

function variableComparer(t: HsdsType): ElementComparer {
  const floating = hasFloat(t);
  return (a, b, count) => {
    if (sameBytes(a, b)) return -1;
    const left = elementsOf(a, t, count);
    const right = elementsOf(b, t, count);
    const complete = Math.min(left.length, right.length);
    for (let i = 0; i < complete; i++) {
      if (sameBytes(left[i]!, right[i]!)) continue;
      if (!floating || !sameDecoded(left[i]!, right[i]!, t)) return i;
    }
    return complete === count ? -1 : complete;
  };
}

/** The elements, or none when the bytes are not `count` well-formed elements (they then differ at 0). */
function elementsOf(bytes: Uint8Array, t: HsdsType, count: number): Uint8Array[] {
  try {
    return splitElements(bytes, t, count);
  } catch {
    return [];
  }
}

/** Variable-length elements whose bytes differ may still hold the same floats (NaNs with other payloads). */
function sameDecoded(a: Uint8Array, b: Uint8Array, t: HsdsType): boolean {
  try {
    return sameJson(decodeElements(a, t, 1)[0]!, decodeElements(b, t, 1)[0]!);
  } catch {
    return false;
  }
}

function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]!));
  // Object.is: NaN is NaN, and -0 is not 0 (bit for bit).
  return Object.is(a, b);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function sameFloat(a: Uint8Array, b: Uint8Array, at: number, f: FloatPart): boolean {
  let equal = true;
  for (let i = at; i < at + f.width && equal; i++) equal = a[i] === b[i];
  return equal || (isNaNAt(a, at, f) && isNaNAt(b, at, f));
}

function isNaNAt(bytes: Uint8Array, at: number, f: FloatPart): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, f.width);
  if (f.width === 2) {
    // IEEE half precision: exponent all ones, mantissa not zero.
    const bits = view.getUint16(0, !f.bigEndian);
    return (bits & 0x7c00) === 0x7c00 && (bits & 0x03ff) !== 0;
  }
  return Number.isNaN(f.width === 4 ? view.getFloat32(0, !f.bigEndian) : view.getFloat64(0, !f.bigEndian));
}

function floatParts(t: HsdsType, offset: number, out: FloatPart[]): FloatPart[] {
  switch (t.class) {
    case "H5T_FLOAT":
      out.push({ offset, width: numberBits(t.base) / 8, bigEndian: byteOrderOf(t.base) === "BE" });
      break;
    case "H5T_COMPOUND":
      for (const field of fieldLayout(t)) floatParts(field.type, offset + field.offset, out);
      break;
    case "H5T_ARRAY": {
      const size = fixedItemSize(t.base);
      for (let i = 0; i < product(t.dims); i++) floatParts(t.base, offset + i * size, out);
      break;
    }
  }
  return out;
}

/** The byte ranges of an element that are not floats, as [from, to). */
function otherRanges(floats: readonly FloatPart[], size: number): [number, number][] {
  const ranges: [number, number][] = [];
  let at = 0;
  for (const f of floats) {
    if (f.offset > at) ranges.push([at, f.offset]);
    at = f.offset + f.width;
  }
  if (at < size) ranges.push([at, size]);
  return ranges;
}

function hasFloat(t: HsdsType): boolean {
  return someTypeIn(t, (member) => member.class === "H5T_FLOAT");
}

// Elements as the HDF5 library hands them out (a memory buffer laid out like the file type, variable-length
// parts as pointers into the wasm heap) to the HSDS binary form: §3.1 packed fields in declaration order and
// the type's own byte order, §3.5 length-prefixed variable-length parts, object references as 48-byte
// placeholders. Written by hand: it depends on h5wasm's memory conventions (wasm32 pointers, hvl_t) and on
// HDF5's byte-order rules, which no library exposes.
import type { Metadata } from "h5wasm/node";
import { type HsdsType, REFERENCE_SIZE, itemSize, swapByteOrder, VARIABLE } from "../../model/datatype.js";
import { ByteWriter, MAX_VLEN_BYTES } from "../../model/element-codec.js";
import { sourceReference } from "./source-tree.js";
import { H5T, typeContains } from "./type-mapping.js";

/**
 * Byte order of the numbers in a buffer: "little-endian" when the library converted every number to
 * little-endian (h5wasm asks for that whenever the type as a whole is big-endian), "as-stored" when the
 * numbers keep the file's order (h5wasm reads of other types, and raw bytes from the file).
 */
export type NumberOrder = "little-endian" | "as-stored";

type Order = "LE" | "BE" | "none" | "mixed";

/**
 * The byte order HDF5 reports for a whole type (H5Tget_order): atomic numbers their own, derived types their
 * base's, a compound the order its ordered members agree on ("mixed" when they differ); strings, opaque data
 * and references have none.
 */
function typeOrder(m: Metadata): Order {
  switch (m.type) {
    case H5T.integer:
    case H5T.float:
    case H5T.bitfield:
    case H5T.enum:
    case H5T.time:
      return m.littleEndian ? "LE" : "BE";
    case H5T.array:
      return typeOrder(m.array_type!);
    case H5T.vlen:
      return m.vlen_type ? typeOrder(m.vlen_type) : "none";
    case H5T.compound: {
      const orders = new Set((m.compound_type?.members ?? []).map(typeOrder).filter((o) => o !== "none"));
      if (orders.size === 0) return "none";
      return orders.size === 1 ? [...orders][0]! : "mixed";
    }
    default:
      return "none";
  }
}

/** The order of the numbers h5wasm returns for this type: it converts big-endian types to little-endian. */
export function h5wasmNumberOrder(m: Metadata): NumberOrder {
  return typeOrder(m) === "BE" ? "little-endian" : "as-stored";
}

/**
 * Whether h5wasm fails to read values of this type: converting a big-endian type to little-endian sets the
 * order of every member, which HDF5 refuses for enums ("operation not allowed after enum members are defined").
 */
export function h5wasmCannotRead(m: Metadata): boolean {
  return typeOrder(m) === "BE" && typeContains(m, (part) => part.type === H5T.enum);
}

export interface ElementConverter {
  /**
   * HSDS binary form of the `count` elements at the start of `bytes`. `heap` is the memory that variable-length
   * pointers point into. May reuse `bytes` (the caller hands it over).
   */
  convert(bytes: Uint8Array, count: number, heap?: Uint8Array): Uint8Array;
}

interface Output {
  out: ByteWriter;
  /** Where variable-length pointers point. */
  heap: Uint8Array;
}

/** Writes one element read at `at` in `src` (the read buffer, or the heap for variable-length parts). */
type ElementOp = (src: Uint8Array, at: number, to: Output) => void;

class ElementConversionError extends Error {
  override name = "ElementConversionError";
}

/**
 * A converter from buffers laid out as `m` (h5wasm's description of the read's memory type) to the HSDS form of
 * `target` (the type hsdsTypeOf mapped `m` to).
 */
export function elementConverter(m: Metadata, target: HsdsType, order: NumberOrder): ElementConverter {
  const size = itemSize(target);
  if (size !== VARIABLE && isPackedAsHsds(m)) {
    // Same layout as HSDS: at most the byte order of big-endian numbers needs restoring.
    return {
      convert(bytes, count) {
        const data = bytes.length === size * count ? bytes : bytes.slice(0, size * count);
        return order === "little-endian" ? swapByteOrder(data, target, count) : data;
      },
    };
  }
  const op = compile(m, order);
  return {
    convert(bytes, count, heap) {
      const to: Output = {
        out: new ByteWriter(size === VARIABLE ? Math.max(64, count * 16) : size * count),
        heap: heap ?? bytes,
      };
      for (let i = 0, at = 0; i < count; i++, at += m.size) op(bytes, at, to);
      return to.out.result();
    },
  };
}

/** True when elements laid out as `m` are byte for byte what HSDS stores (before any byte-order swap). */
function isPackedAsHsds(m: Metadata): boolean {
  switch (m.type) {
    case H5T.reference:
    case H5T.vlen:
      return false;
    case H5T.string:
      return !m.vlen;
    case H5T.array:
      return isPackedAsHsds(m.array_type!);
    case H5T.compound: {
      let offset = 0;
      for (const member of m.compound_type?.members ?? []) {
        if (member.offset !== offset || !isPackedAsHsds(member)) return false;
        offset += member.size;
      }
      return offset === m.size;
    }
    default:
      return true;
  }
}

function compile(m: Metadata, order: NumberOrder): ElementOp {
  switch (m.type) {
    case H5T.integer:
    case H5T.float:
    case H5T.bitfield:
    case H5T.enum:
      return numberOp(m.size, order === "little-endian" && !m.littleEndian);
    case H5T.string:
      return m.vlen ? vlenStringOp : bytesOp(m.size);
    case H5T.opaque:
      return bytesOp(m.size);
    case H5T.reference:
      return referenceOp;
    case H5T.compound: {
      const fields = (m.compound_type?.members ?? []).map((member) => ({ offset: member.offset, op: compile(member, order) }));
      return (src, at, to) => {
        for (const field of fields) field.op(src, at + field.offset, to);
      };
    }
    case H5T.array: {
      const base = m.array_type!;
      const count = (base.shape ?? []).reduce((a, b) => a * b, 1);
      const op = compile(base, order);
      return (src, at, to) => {
        for (let i = 0; i < count; i++) op(src, at + i * base.size, to);
      };
    }
    case H5T.vlen:
      return sequenceOp(m.vlen_type!, compile(m.vlen_type!, order));
    default:
      throw new ElementConversionError(`no conversion for HDF5 datatype class ${m.type}`);
  }
}

function bytesOp(size: number): ElementOp {
  return (src, at, { out }) => {
    const to = out.reserve(size);
    out.bytes().set(src.subarray(at, at + size), to);
  };
}

function numberOp(size: number, swap: boolean): ElementOp {
  if (!swap || size === 1) return bytesOp(size);
  return (src, at, { out }) => {
    const to = out.reserve(size);
    const bytes = out.bytes();
    for (let i = 0; i < size; i++) bytes[to + i] = src[at + size - 1 - i]!;
  };
}

const textEncoder = new TextEncoder();

function u32(src: Uint8Array, at: number): number {
  return (src[at]! | (src[at + 1]! << 8) | (src[at + 2]! << 16) | (src[at + 3]! << 24)) >>> 0;
}

/** hobj_ref_t: the referenced object's header address, little-endian (0 or all ones: a null reference). */
const referenceOp: ElementOp = (src, at, { out }) => {
  const to = out.reserve(REFERENCE_SIZE);
  const low = u32(src, at);
  const high = u32(src, at + 4);
  if ((low === 0 && high === 0) || (low === 0xffffffff && high === 0xffffffff)) return;
  out.bytes().set(textEncoder.encode(sourceReference(high * 2 ** 32 + low)), to);
};

/** A variable-length string: a pointer to a NUL-terminated string in the heap (0 for a null string). */
const vlenStringOp: ElementOp = (src, at, { out, heap }) => {
  const pointer = u32(src, at);
  let end = pointer;
  if (pointer !== 0) while (heap[end] !== 0) end++;
  const length = end - pointer;
  if (length > MAX_VLEN_BYTES) throw new ElementConversionError(`a variable-length string of ${length} bytes exceeds HSDS's limit of ${MAX_VLEN_BYTES}`);
  const to = out.reserve(4 + length);
  out.dataView().setInt32(to, length, true);
  out.bytes().set(heap.subarray(pointer, end), to + 4);
};

/** hvl_t: element count and a pointer to the packed base elements in the heap. */
function sequenceOp(base: Metadata, op: ElementOp): ElementOp {
  return (src, at, to) => {
    const { out, heap } = to;
    const count = u32(src, at);
    const pointer = u32(src, at + 4);
    const countAt = out.reserve(4);
    const start = out.length;
    for (let i = 0; i < count; i++) op(heap, pointer + i * base.size, to);
    const bytes = out.length - start;
    if (bytes > MAX_VLEN_BYTES) throw new ElementConversionError(`a variable-length sequence of ${bytes} bytes exceeds HSDS's limit of ${MAX_VLEN_BYTES}`);
    out.dataView().setInt32(countAt, bytes, true);
  };
}

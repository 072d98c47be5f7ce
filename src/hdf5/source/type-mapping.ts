// HDF5 datatypes, as h5wasm describes them (its Metadata), to HSDS type JSON (reference §2.4). Written by
// hand: no library maps between the two. Every class HSDS can store is mapped; a bitfield becomes the
// unsigned integer of its size (HSDS has no bitfield class); anything HSDS cannot store raises
// UnsupportedTypeError with a reason that names the construct.
import type { Metadata } from "h5wasm/node";
import {
  type FloatBase,
  type HsdsType,
  type IntegerBase,
  type IntegerType,
  normalizeType,
  TypeJsonError,
} from "../../model/datatype.js";

/** H5T_class_t values as h5wasm reports them in Metadata.type. */
export const H5T = {
  integer: 0,
  float: 1,
  time: 2,
  string: 3,
  bitfield: 4,
  opaque: 5,
  compound: 6,
  reference: 7,
  enum: 8,
  vlen: 9,
  array: 10,
} as const;

/** H5T_str_t values (Metadata.strpad). */
const STR_PADS = ["H5T_STR_NULLTERM", "H5T_STR_NULLPAD", "H5T_STR_SPACEPAD"] as const;
/** hobj_ref_t: an object header address. */
const OBJECT_REFERENCE_SIZE = 8;

export class UnsupportedTypeError extends Error {
  override name = "UnsupportedTypeError";
}

/** The HSDS type of an HDF5 type, validated as HSDS validates POST /datasets. */
export function hsdsTypeOf(metadata: Metadata): HsdsType {
  const mapped = mapType(metadata);
  try {
    return normalizeType(mapped);
  } catch (err) {
    if (err instanceof TypeJsonError) throw new UnsupportedTypeError(`HSDS cannot store this type (${err.message})`);
    throw err;
  }
}

function mapType(m: Metadata): HsdsType {
  switch (m.type) {
    case H5T.integer:
    case H5T.bitfield:
      return integerType(m, m.type === H5T.integer && m.signed);
    case H5T.float:
      if (![2, 4, 8].includes(m.size)) throw new UnsupportedTypeError(`${m.size * 8}-bit float is not supported by HSDS`);
      return { class: "H5T_FLOAT", base: `H5T_IEEE_F${m.size * 8}${m.littleEndian ? "LE" : "BE"}` as FloatBase };
    case H5T.string:
      return {
        class: "H5T_STRING",
        length: m.vlen ? "H5T_VARIABLE" : m.size,
        charSet: m.cset === 1 ? "H5T_CSET_UTF8" : "H5T_CSET_ASCII",
        strPad: STR_PADS[m.strpad ?? 0] ?? "H5T_STR_NULLTERM",
      };
    case H5T.opaque:
      return { class: "H5T_OPAQUE", size: m.size };
    case H5T.compound:
      return {
        class: "H5T_COMPOUND",
        fields: (m.compound_type?.members ?? []).map((member) => ({ name: member.name, type: mapType(member) })),
      };
    case H5T.reference:
      if (m.ref_type === "region") throw new UnsupportedTypeError("dataset region references are not supported");
      if (m.size !== OBJECT_REFERENCE_SIZE) throw new UnsupportedTypeError(`${m.size}-byte references are not supported`);
      return { class: "H5T_REFERENCE", base: "H5T_STD_REF_OBJ" };
    case H5T.enum: {
      if (m.enum_type?.type !== H5T.integer) throw new UnsupportedTypeError("enum of a non-integer base type");
      return { class: "H5T_ENUM", base: integerType(m, m.signed), mapping: { ...m.enum_type.members } };
    }
    case H5T.vlen:
      return { class: "H5T_VLEN", base: mapType(m.vlen_type!) };
    case H5T.array:
      return { class: "H5T_ARRAY", dims: [...(m.array_type!.shape ?? [])], base: mapType(m.array_type!) };
    case H5T.time:
      throw new UnsupportedTypeError("the HDF5 time datatype is not supported by HSDS");
    default:
      throw new UnsupportedTypeError(`HDF5 datatype class ${m.type} is not supported`);
  }
}

function integerType(m: Metadata, signed: boolean): IntegerType {
  if (![1, 2, 4, 8].includes(m.size)) throw new UnsupportedTypeError(`${m.size * 8}-bit integer is not supported by HSDS`);
  return { class: "H5T_INTEGER", base: `H5T_STD_${signed ? "I" : "U"}${m.size * 8}${m.littleEndian ? "LE" : "BE"}` as IntegerBase };
}

/** Whether `test` holds for the type or any type inside it (members, bases). */
export function typeContains(m: Metadata, test: (part: Metadata) => boolean): boolean {
  if (test(m)) return true;
  if (m.type === H5T.array || m.type === H5T.vlen) {
    const base = m.array_type ?? m.vlen_type;
    return base !== undefined && typeContains(base, test);
  }
  if (m.type === H5T.compound) return (m.compound_type?.members ?? []).some((member) => typeContains(member, test));
  return false;
}

/** Object or region references anywhere in the type. */
export function containsReference(m: Metadata): boolean {
  return typeContains(m, (part) => part.type === H5T.reference);
}

/** Variable-length strings or sequences anywhere in the type: the read allocates heap memory to reclaim. */
export function containsVariable(m: Metadata): boolean {
  return typeContains(m, (part) => part.vlen || part.type === H5T.vlen);
}

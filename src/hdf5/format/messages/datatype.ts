import type { ByteCursor } from "../byte-cursor.js";

export interface DatatypeSummary {
  /** 0 fixed-point ... 10 array, 11 complex (HDF5 2.0). */
  readonly typeClass: number;
  /** Bytes per element as stored. */
  readonly size: number;
}

const CLASS_NAMES = [
  "integer",
  "float",
  "time",
  "string",
  "bitfield",
  "opaque",
  "compound",
  "reference",
  "enum",
  "variable-length",
  "array",
  "complex",
];

/** Only the class and element size of a datatype message: the chunk index needs nothing else. */
export function decodeDatatype(body: ByteCursor): DatatypeSummary {
  const classAndVersion = body.u8();
  const typeClass = classAndVersion & 0x0f;
  const version = classAndVersion >> 4;
  if (version < 1 || version > 5) body.fail(`unsupported datatype message version ${version}`);
  if (typeClass >= CLASS_NAMES.length) body.fail(`unknown datatype class ${typeClass}`);
  body.skip(3); // class bit fields
  const size = body.u32();
  if (size === 0) body.fail(`${CLASS_NAMES[typeClass]} datatype of size 0`);
  return { typeClass, size };
}

// Object references inside HSDS binary values (§3.1 packed or §3.5 serialised) are 48-byte strings. The source
// writes placeholders naming source objects; before a value is written they become "<collection>/<id>" of the
// copied objects. Rewritten in place: a reference keeps its 48 bytes, so nothing moves.
import { fieldLayout, type HsdsType, itemSize, REFERENCE_SIZE, someTypeIn, VARIABLE } from "../model/datatype.js";

/** The text a reference becomes: "datasets/d-…", or "" for a null reference. */
export type ReferenceResolver = (placeholder: string) => string;

export function containsReferences(t: HsdsType): boolean {
  return someTypeIn(t, (member) => member.class === "H5T_REFERENCE");
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Rewrite every reference of `count` elements of `t` in `bytes`; returns `bytes`. */
export function rewriteReferences(bytes: Uint8Array, t: HsdsType, count: number, resolve: ReferenceResolver): Uint8Array {
  if (!containsReferences(t)) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  for (let i = 0; i < count; i++) at = visit(t, at);
  return bytes;

  function visit(type: HsdsType, pos: number): number {
    switch (type.class) {
      case "H5T_REFERENCE": {
        const field = bytes.subarray(pos, pos + REFERENCE_SIZE);
        const end = field.indexOf(0);
        const text = resolve(decoder.decode(end < 0 ? field : field.subarray(0, end)));
        field.fill(0);
        field.set(encoder.encode(text).subarray(0, REFERENCE_SIZE));
        return pos + REFERENCE_SIZE;
      }
      case "H5T_COMPOUND":
        if (itemSize(type) !== VARIABLE) {
          for (const field of fieldLayout(type)) if (containsReferences(field.type)) visit(field.type, pos + field.offset);
          return pos + (itemSize(type) as number);
        }
        for (const field of type.fields) pos = visit(field.type, pos);
        return pos;
      case "H5T_ARRAY": {
        const n = type.dims.reduce((a, b) => a * b, 1);
        for (let i = 0; i < n; i++) pos = visit(type.base, pos);
        return pos;
      }
      case "H5T_VLEN": {
        const end = pos + 4 + view.getInt32(pos, true);
        if (containsReferences(type.base)) for (let p = pos + 4; p < end; ) p = visit(type.base, p);
        return end;
      }
      case "H5T_STRING":
        return type.length === VARIABLE ? pos + 4 + view.getInt32(pos, true) : pos + type.length;
      default:
        return pos + (itemSize(type) as number);
    }
  }
}

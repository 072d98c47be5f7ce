// A type as text that holds exactly what makes two HSDS types the same type: equal texts, equal types. Keys the
// server keeps without meaning (`id` of a committed type, a reference's 48-byte string description, a vlen's
// `size`, an opaque `tag`, which the loader does not carry) are left out; a one-byte integer has no byte order
// (h5py reads H5T_STD_I8BE as int8, and h5pyd's hsload stores it as H5T_STD_I8LE); enum members compare as a set.
// Written by hand: the rules are those of HSDS's type dialect (reference §2.4).
import type { HsdsType } from "../model/datatype.js";

export function typeText(t: HsdsType): string {
  switch (t.class) {
    case "H5T_INTEGER":
      return t.base.replace(/^(H5T_STD_[IU]8)(LE|BE)$/, "$1");
    case "H5T_FLOAT":
    case "H5T_REFERENCE":
      return t.base;
    case "H5T_STRING":
      return `H5T_STRING(${t.length === "H5T_VARIABLE" ? "variable" : t.length}, ${t.charSet}, ${t.strPad ?? "no strPad"})`;
    case "H5T_OPAQUE":
      return `H5T_OPAQUE(${t.size})`;
    case "H5T_COMPOUND":
      return `H5T_COMPOUND{${t.fields.map((f) => `${JSON.stringify(f.name)}: ${typeText(f.type)}`).join(", ")}}`;
    case "H5T_ARRAY":
      return `H5T_ARRAY[${t.dims.join(", ")}] of ${typeText(t.base)}`;
    case "H5T_VLEN":
      return `H5T_VLEN of ${typeText(t.base)}`;
    case "H5T_ENUM": {
      const members = Object.entries(t.mapping)
        .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => `${JSON.stringify(name)}=${value}`);
      return `H5T_ENUM(${typeText(t.base)}){${members.join(", ")}}`;
    }
  }
}

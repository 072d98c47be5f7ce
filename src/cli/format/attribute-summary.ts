// hsls --showattrs: an attribute value summarised the way h5pyd prints what h5pyd's attrs[] returns
// (a numpy scalar, or an array shown as "[first,...]" / "[[...]]").
import { type HsdsType, numberBits, numpyDtypeString } from "../../model/datatype.js";
import { pyBytesRepr, pyFloat, pyStrRepr } from "./python-style.js";

export interface AttributeForSummary {
  type: HsdsType;
  shape: { class: string; dims?: number[] };
  /** The JSON value; absent when the server left it out. */
  value?: unknown;
}

/** How an element prints on its own (str of a numpy scalar), inside a tuple/list (repr) or inside an array. */
type Context = "scalar" | "nested" | "array";

function isSingle(t: HsdsType): boolean {
  return t.class === "H5T_FLOAT" && numberBits(t.base) === 32;
}

function elementText(t: HsdsType, value: unknown, context: Context): string {
  switch (t.class) {
    case "H5T_FLOAT":
      return typeof value === "number" ? pyFloat(value, { single: isSingle(t), arrayItem: context === "array" }) : String(value);
    case "H5T_INTEGER":
      return String(value);
    case "H5T_ENUM":
      return typeof value === "boolean" ? (value ? "True" : "False") : String(value);
    case "H5T_STRING":
      if (t.length !== "H5T_VARIABLE") return pyBytesRepr(String(value));
      return context === "scalar" ? String(value) : pyStrRepr(String(value));
    case "H5T_COMPOUND": {
      const items = Array.isArray(value) ? value : [];
      const parts = t.fields.map((f, i) => elementText(f.type, items[i], "nested"));
      return `(${parts.join(", ")}${parts.length === 1 ? "," : ""})`;
    }
    case "H5T_ARRAY":
    case "H5T_VLEN":
      return arrayText(t.base, Array.isArray(value) ? value : [value]);
    default:
      return String(value);
  }
}

/** numpy's str() of an array: items separated by spaces, nested lists in brackets. */
function arrayText(t: HsdsType, values: readonly unknown[]): string {
  const items = values.map((v) => (Array.isArray(v) && t.class !== "H5T_COMPOUND" && t.class !== "H5T_ARRAY" && t.class !== "H5T_VLEN" ? arrayText(t, v) : elementText(t, v, "array")));
  return `[${items.join(" ")}]`;
}

function firstElement(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

export function attributeSummary(attr: AttributeForSummary): string {
  const { type, shape, value } = attr;
  if (shape.class === "H5S_NULL") return `Empty(dtype=dtype('${numpyDtypeString(type)}'))`;
  if (value === undefined) return "";
  const dims = shape.class === "H5S_SIMPLE" ? (shape.dims ?? []) : [];
  if (dims.length > 1) return `${"[".repeat(dims.length)}...${"]".repeat(dims.length)}`;
  if (dims.length === 1 && dims[0]! > 1) return `[${elementText(type, firstElement(value), "scalar")},...]`;
  if (dims.length === 1) return arrayText(type, Array.isArray(value) ? value : [value]);
  return elementText(type, value, "scalar");
}

export function attributeLine(name: string, summary: string): string {
  return `   attr: ${name.padEnd(24)} ${summary}`;
}

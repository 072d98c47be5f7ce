// One element of a binary value as a difference line shows it: its JSON, short, with object references shown as
// the path of the object they point to.
import { type HsdsType, itemSize, VARIABLE } from "../model/datatype.js";
import { type JsonValue, stringifyJson } from "../model/json.js";
import { decodeElements, splitElements } from "../model/values.js";
import { containsReferences } from "../loader/reference-rewrite.js";

/** Longer texts are cut here: a line names a difference, it does not dump values. */
const MAX_TEXT = 60;
const REFERENCE = /^(groups|datasets|datatypes)\/([gdt]-.+)$/;

/**
 * Element `index` of `bytes` (`count` elements of `t`), or "nothing" when the bytes end before it. `pathOf`
 * gives the path of a domain object by id, for references.
 */
export function elementText(
  bytes: Uint8Array,
  t: HsdsType,
  count: number,
  index: number,
  pathOf: (id: string) => string | undefined,
): string {
  const element = elementBytes(bytes, t, count, index);
  if (!element) return "nothing";
  let value: JsonValue;
  try {
    value = decodeElements(element, t, 1)[0]!;
  } catch {
    return `bytes 0x${Buffer.from(element.subarray(0, 16)).toString("hex")}${element.length > 16 ? "..." : ""}`;
  }
  // JSON has no -0, and -0 is not 0 here (floats compare bit for bit).
  const text = Object.is(value, -0) ? "-0" : stringifyJson(containsReferences(t) ? withPaths(value, pathOf) : value);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}...` : text;
}

function elementBytes(bytes: Uint8Array, t: HsdsType, count: number, index: number): Uint8Array | undefined {
  const size = itemSize(t);
  if (size !== VARIABLE) return (index + 1) * size <= bytes.length ? bytes.subarray(index * size, (index + 1) * size) : undefined;
  try {
    return splitElements(bytes, t, count)[index];
  } catch {
    return undefined;
  }
}

function withPaths(value: JsonValue, pathOf: (id: string) => string | undefined): JsonValue {
  if (Array.isArray(value)) return value.map((v) => withPaths(v, pathOf));
  if (typeof value !== "string") return value;
  const match = REFERENCE.exec(value);
  return match ? (pathOf(match[2]!) ?? value) : value;
}

// What h5wasm can write for an HSDS type, and the steps that turn HSDS's element bytes into the memory
// layout h5wasm hands to H5Dwrite/H5Awrite. Written by hand: the limits are h5wasm 0.10's own
// (hdf5_util.cc create_h5_datatype_from_metadata creates integers, 32/64-bit floats, fixed and
// variable-length strings, object references and compounds of those, always little-endian). Every other
// type gets the closest form h5wasm can write, and each change is described for the user.

import {
  type CompoundType,
  type HsdsType,
  type IntegerBase,
  byteOrderOf,
  isBoolEnum,
  numberBits,
} from "../model/datatype.js";

/** The type h5wasm creates, in the terms of its write metadata. */
export type H5TypeSpec =
  | { kind: "integer"; size: number; signed: boolean }
  | { kind: "float"; size: 4 | 8 }
  | { kind: "string"; size: number; utf8: boolean }
  | { kind: "vlen-string"; utf8: boolean }
  | { kind: "reference" }
  | { kind: "compound"; size: number; members: CompoundMemberSpec[] };

export interface CompoundMemberSpec {
  name: string;
  offset: number;
  type: H5TypeSpec;
}

/** h5wasm is wasm32: a variable-length string is a 4-byte char pointer in memory. */
export const POINTER_SIZE = 4;
/** hobj_ref_t: the file address of the referenced object. */
export const OBJECT_REFERENCE_SIZE = 8;

/**
 * One step of the conversion of an element, applied in order: input is read and output written
 * sequentially, so packed compounds and §3.5-serialised variable-length parts need no offsets.
 */
export type ConversionStep =
  /** `bytes` bytes unchanged. */
  | { op: "copy"; bytes: number }
  /** `count` big-endian numbers of `width` bytes, reversed to little-endian. */
  | { op: "swap"; width: number; count: number }
  /** `count` IEEE half floats widened to float32. */
  | { op: "half"; littleEndian: boolean; count: number }
  /** `count` HSDS object references (48-byte "datasets/<id>") turned into hobj_ref_t. */
  | { op: "reference"; count: number }
  /** `count` §3.5 counted strings (int32 LE length + bytes) turned into char pointers. */
  | { op: "vlen-string"; count: number };

export interface WritableType {
  h5: H5TypeSpec;
  /** Bytes of one element in h5wasm's memory layout. */
  memorySize: number;
  steps: ConversionStep[];
  /** Trailing dimensions that array and opaque types become; appended to the dataspace. */
  extraDims: number[];
  /** What differs from the HSDS type, one phrase each, for the user. */
  changes: string[];
  /** Input is §3.5-serialised and memory holds pointers. */
  variable: boolean;
}

export class UnwritableTypeError extends Error {
  override name = "UnwritableTypeError";
}

/** The closest type h5wasm can write; throws UnwritableTypeError when there is none. */
export function writableType(t: HsdsType): WritableType {
  return planType(t, true);
}

function planType(t: HsdsType, topLevel: boolean): WritableType {
  switch (t.class) {
    case "H5T_INTEGER":
      return integerPlan(t.base, []);
    case "H5T_FLOAT": {
      const bits = numberBits(t.base);
      const littleEndian = byteOrderOf(t.base) === "LE";
      if (bits === 16) {
        return plan({ kind: "float", size: 4 }, 4, [{ op: "half", littleEndian, count: 1 }], ["float16 written as float32"]);
      }
      return numberPlan({ kind: "float", size: bits === 32 ? 4 : 8 }, bits / 8, littleEndian, []);
    }
    case "H5T_ENUM":
      return integerPlan(t.base.base, [enumChange(t.base.base, t.mapping, isBoolEnum(t))]);
    case "H5T_STRING": {
      const utf8 = t.charSet === "H5T_CSET_UTF8";
      if (t.length === "H5T_VARIABLE") {
        // h5wasm's variable-length strings are NULLTERM (ASCII) or SPACEPAD (UTF-8); padding has no
        // meaning for them, so it is not reported.
        return { ...plan({ kind: "vlen-string", utf8 }, POINTER_SIZE, [{ op: "vlen-string", count: 1 }], []), variable: true };
      }
      const written = utf8 ? "H5T_STR_SPACEPAD" : "H5T_STR_NULLTERM";
      const padding = t.strPad ?? "H5T_STR_NULLPAD";
      const changes = padding === written ? [] : [`string padding ${shortPad(padding)} written as ${shortPad(written)}`];
      return plan({ kind: "string", size: t.length, utf8 }, t.length, [{ op: "copy", bytes: t.length }], changes);
    }
    case "H5T_REFERENCE":
      if (t.base !== "H5T_STD_REF_OBJ") throw new UnwritableTypeError("h5wasm cannot write region references");
      return plan({ kind: "reference" }, OBJECT_REFERENCE_SIZE, [{ op: "reference", count: 1 }], []);
    case "H5T_COMPOUND":
      return compoundPlan(t);
    case "H5T_ARRAY": {
      if (!topLevel) throw new UnwritableTypeError(`h5wasm cannot write array types inside compounds`);
      // Arrays of arrays are one array of the concatenated dimensions.
      const dims: number[] = [];
      let base: HsdsType = t;
      while (base.class === "H5T_ARRAY") {
        dims.push(...base.dims);
        base = base.base;
      }
      const element = planType(base, true);
      return {
        ...element,
        steps: repeatSteps(element.steps, dims.reduce((a, b) => a * b, 1)),
        extraDims: [...dims, ...element.extraDims],
        changes: uniq([`array type [${dims.join(",")}] written as extra dimensions`, ...element.changes]),
      };
    }
    case "H5T_OPAQUE": {
      if (!topLevel) throw new UnwritableTypeError(`h5wasm cannot write opaque types inside compounds`);
      const tag = t.tag ? ` "${t.tag}"` : "";
      return {
        ...plan({ kind: "integer", size: 1, signed: false }, 1, [{ op: "copy", bytes: t.size }], [`opaque${tag} of ${t.size} bytes written as uint8 array`]),
        extraDims: [t.size],
      };
    }
    case "H5T_VLEN":
      throw new UnwritableTypeError("h5wasm cannot write variable-length sequences (H5T_VLEN)");
  }
}

function plan(h5: H5TypeSpec, memorySize: number, steps: ConversionStep[], changes: string[]): WritableType {
  return { h5, memorySize, steps, extraDims: [], changes, variable: false };
}

function integerPlan(base: IntegerBase, changes: string[]): WritableType {
  const size = numberBits(base) / 8;
  return numberPlan({ kind: "integer", size, signed: base.startsWith("H5T_STD_I") }, size, byteOrderOf(base) === "LE", changes);
}

function numberPlan(h5: H5TypeSpec, size: number, littleEndian: boolean, changes: string[]): WritableType {
  if (littleEndian || size === 1) return plan(h5, size, [{ op: "copy", bytes: size }], changes);
  return plan(h5, size, [{ op: "swap", width: size, count: 1 }], [...changes, "big-endian written as little-endian"]);
}

function compoundPlan(t: CompoundType): WritableType {
  const members: CompoundMemberSpec[] = [];
  const steps: ConversionStep[] = [];
  const changes: string[] = [];
  let offset = 0;
  let variable = false;
  for (const field of t.fields) {
    const member = planType(field.type, false);
    members.push({ name: field.name, offset, type: member.h5 });
    offset += member.memorySize;
    steps.push(...member.steps);
    changes.push(...member.changes);
    variable ||= member.variable;
  }
  return {
    h5: { kind: "compound", size: offset, members },
    memorySize: offset,
    steps: mergeSteps(steps),
    extraDims: [],
    changes: uniq(changes),
    variable,
  };
}

function enumChange(base: IntegerBase, mapping: Record<string, number>, bool: boolean): string {
  const written = base.replace(/BE$/, "LE");
  if (bool) return `boolean enum written as ${written}`;
  const entries = Object.entries(mapping);
  const shown = entries.slice(0, 4).map(([name, value]) => `${name}=${value}`);
  if (entries.length > 4) shown.push("...");
  return `enum {${shown.join(", ")}} written as ${written}`;
}

function shortPad(pad: string): string {
  return pad.replace("H5T_STR_", "");
}

/** Repeat an element's steps n times (array types), keeping the list short. */
function repeatSteps(steps: ConversionStep[], n: number): ConversionStep[] {
  if (steps.length === 1) {
    const [step] = steps;
    return [step!.op === "copy" ? { op: "copy", bytes: step!.bytes * n } : { ...step!, count: step!.count * n }];
  }
  const out: ConversionStep[] = [];
  for (let i = 0; i < n; i++) out.push(...steps);
  return mergeSteps(out);
}

/** Join neighbouring steps of the same kind so the per-element loop runs fewer, longer steps. */
function mergeSteps(steps: ConversionStep[]): ConversionStep[] {
  const out: ConversionStep[] = [];
  for (const step of steps) {
    const last = out[out.length - 1];
    if (last?.op === "copy" && step.op === "copy") {
      out[out.length - 1] = { op: "copy", bytes: last.bytes + step.bytes };
    } else if (last && last.op === step.op && last.op !== "copy" && sameShape(last, step)) {
      out[out.length - 1] = { ...last, count: (last as { count: number }).count + (step as { count: number }).count } as ConversionStep;
    } else {
      out.push({ ...step });
    }
  }
  return out;
}

function sameShape(a: ConversionStep, b: ConversionStep): boolean {
  if (a.op === "swap" && b.op === "swap") return a.width === b.width;
  if (a.op === "half" && b.op === "half") return a.littleEndian === b.littleEndian;
  return true;
}

function uniq(items: string[]): string[] {
  return [...new Set(items)];
}

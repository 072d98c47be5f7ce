// HSDS element bytes (§3.1 packed, §3.5 serialised) into the memory layout h5wasm writes from, following
// the steps of a WritableType. Variable-length strings cannot be placed here: their pointers belong to the
// wasm heap, so the writer gets the strings and the offsets of their pointer slots.

import { type FloatType, REFERENCE_SIZE } from "../model/datatype.js";
import { ValueError } from "../model/value-error.js";
import { decodeElements } from "../model/values.js";
import { type ConversionStep, OBJECT_REFERENCE_SIZE, POINTER_SIZE, type WritableType } from "./writable-type.js";

export interface ConvertedElements {
  /** count × memorySize bytes; pointer slots of variable-length strings are left zero. */
  bytes: Uint8Array;
  /** Byte offsets in `bytes` of the string pointer slots, in element order. */
  stringSlots: number[];
  /** The bytes each slot must point at (without the terminating NUL). */
  strings: Uint8Array[];
  /** References to objects that are not in the file, written as null references. */
  unresolvedReferences: number;
}

/** The hobj_ref_t bytes of an object of the domain by id, or undefined when it is not in the file. */
export type ReferenceResolver = (id: string) => Uint8Array | undefined;

export interface ConversionPlan {
  steps: readonly ConversionStep[];
  /** Bytes one HSDS element becomes in memory (array and opaque elements span their extra dimensions). */
  memorySize: number;
}

export function conversionPlan(type: WritableType): ConversionPlan {
  return { steps: type.steps, memorySize: type.memorySize * type.extraDims.reduce((a, b) => a * b, 1) };
}

const HALF_LE: FloatType = { class: "H5T_FLOAT", base: "H5T_IEEE_F16LE" };
const HALF_BE: FloatType = { class: "H5T_FLOAT", base: "H5T_IEEE_F16BE" };

export function convertElements(
  input: Uint8Array,
  plan: ConversionPlan,
  count: number,
  resolveReference: ReferenceResolver,
): ConvertedElements {
  const { steps, memorySize } = plan;
  const [only] = steps;
  if (steps.length === 1 && only!.op === "copy") {
    expectLength(input, count * memorySize, count);
    return { bytes: input, stringSlots: [], strings: [], unresolvedReferences: 0 };
  }
  if (steps.length === 1 && only!.op === "swap") {
    expectLength(input, count * memorySize, count);
    return { bytes: swapped(input, only!.width), stringSlots: [], strings: [], unresolvedReferences: 0 };
  }

  const out = new Uint8Array(count * memorySize);
  const outView = new DataView(out.buffer);
  const inView = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const stringSlots: number[] = [];
  const strings: Uint8Array[] = [];
  let unresolvedReferences = 0;
  let ip = 0;
  let op = 0;
  const need = (n: number) => {
    if (ip + n > input.length) {
      throw new ValueError(`truncated data: need ${n} bytes at offset ${ip}, only ${input.length - ip} left`);
    }
  };
  for (let element = 0; element < count; element++) {
    for (const step of steps) {
      switch (step.op) {
        case "copy":
          need(step.bytes);
          out.set(input.subarray(ip, ip + step.bytes), op);
          ip += step.bytes;
          op += step.bytes;
          break;
        case "swap":
          need(step.width * step.count);
          for (let k = 0; k < step.count; k++) {
            for (let b = 0; b < step.width; b++) out[op + b] = input[ip + step.width - 1 - b]!;
            ip += step.width;
            op += step.width;
          }
          break;
        case "half": {
          need(2 * step.count);
          const values = decodeElements(input.subarray(ip, ip + 2 * step.count), step.littleEndian ? HALF_LE : HALF_BE, step.count);
          for (const value of values) {
            outView.setFloat32(op, value as number, true);
            op += 4;
          }
          ip += 2 * step.count;
          break;
        }
        case "reference":
          need(REFERENCE_SIZE * step.count);
          for (let k = 0; k < step.count; k++) {
            const id = referencedId(input.subarray(ip, ip + REFERENCE_SIZE));
            if (id !== "") {
              const ref = resolveReference(id);
              if (ref) out.set(ref, op);
              else unresolvedReferences++;
            }
            ip += REFERENCE_SIZE;
            op += OBJECT_REFERENCE_SIZE;
          }
          break;
        case "vlen-string":
          for (let k = 0; k < step.count; k++) {
            need(4);
            const length = inView.getInt32(ip, true);
            if (length < 0) throw new ValueError(`invalid variable-length byte count ${length} at offset ${ip}`);
            ip += 4;
            need(length);
            stringSlots.push(op);
            strings.push(input.subarray(ip, ip + length));
            ip += length;
            op += POINTER_SIZE;
          }
          break;
      }
    }
  }
  if (ip !== input.length) throw new ValueError(`${input.length - ip} bytes left over after ${count} elements`);
  return { bytes: out, stringSlots, strings, unresolvedReferences };
}

function expectLength(input: Uint8Array, expected: number, count: number): void {
  if (input.length !== expected) {
    throw new ValueError(`expected ${expected} bytes for ${count} elements, got ${input.length}`);
  }
}

/** A copy with every run of `width` bytes reversed. */
function swapped(input: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(input.length);
  for (let i = 0; i < input.length; i += width) {
    for (let b = 0; b < width; b++) out[i + b] = input[i + width - 1 - b]!;
  }
  return out;
}

/** The id in "datasets/d-…" (NUL-padded); "" for a null reference. */
function referencedId(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, end === -1 ? bytes.length : end).toString("latin1");
  return text.slice(text.lastIndexOf("/") + 1);
}

/**
 * HSDS input for `count` zero elements (empty strings, null references): what an element that was never
 * written looks like, for datasets HDF5 makes the writer fill at creation.
 */
export function zeroElements(steps: readonly ConversionStep[], count: number): Uint8Array {
  let bytes = 0;
  for (const step of steps) {
    if (step.op === "copy") bytes += step.bytes;
    else if (step.op === "swap") bytes += step.width * step.count;
    else if (step.op === "half") bytes += 2 * step.count;
    else if (step.op === "reference") bytes += REFERENCE_SIZE * step.count;
    else bytes += 4 * step.count; // an int32 zero length
  }
  return new Uint8Array(bytes * count);
}

// Test data and readers shared by the codec tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseJson } from "../../src/model/json.js";
import { GOLDEN } from "../helpers/paths.js";

/** Deterministic pseudo-random bytes (mulberry32), so failures reproduce. */
export function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 24) & 0xff;
  }
  return out;
}

/** Compressible data like a gridded field: a periodic wave with a slow drift, `count` elements of `itemSize` bytes. */
export function structuredBytes(count: number, itemSize: number): Uint8Array {
  const bytes = new Uint8Array(count * itemSize);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) {
    const v = Math.round(Math.sin(((i % 64) / 64) * 2 * Math.PI) * 400) / 4 + Math.floor(i / 256);
    const at = i * itemSize;
    switch (itemSize) {
      case 1: view.setUint8(at, Math.round(v) & 0xff); break;
      case 2: view.setInt16(at, Math.round(v), true); break;
      case 4: view.setFloat32(at, v, true); break;
      case 8: view.setFloat64(at, v, true); break;
      default: for (let b = 0; b < itemSize; b++) bytes[at + b] = (i * (b + 1)) & 0xff;
    }
  }
  return bytes;
}

/** Round-trip material: (name, item size, bytes) with sizes that are and are not multiples of 8 elements. */
export function sampleChunks(): Array<[string, number, Uint8Array]> {
  const samples: Array<[string, number, Uint8Array]> = [];
  for (const itemSize of [1, 2, 3, 4, 8, 12]) {
    for (const count of [1, 7, 8, 1000, 4099]) {
      samples.push([`structured ${count}x${itemSize}B`, itemSize, structuredBytes(count, itemSize)]);
      samples.push([`random ${count}x${itemSize}B`, itemSize, randomBytes(count * itemSize, count * 31 + itemSize)]);
    }
  }
  return samples;
}

export interface NumericType {
  kind: "int" | "uint" | "float";
  size: number;
  littleEndian: boolean;
}

/** "<f4", ">i2", "|u1" as numpy writes them in the .chunks.json files. */
export function numpyType(dtype: string): NumericType {
  const m = /^([<>|=])([iuf])(\d+)$/.exec(dtype);
  if (!m) throw new Error(`unsupported numpy dtype ${dtype}`);
  const kind = m[2] === "i" ? "int" : m[2] === "u" ? "uint" : "float";
  return { kind, size: Number(m[3]), littleEndian: m[1] !== ">" };
}

/** HSDS type JSON for plain integers and floats, or undefined for every other class. */
export function hsdsNumericType(type: unknown): NumericType | undefined {
  const base = (type as { base?: unknown }).base;
  if (typeof base !== "string") return undefined;
  const m = /^H5T_(?:STD_([IU])|IEEE_F)(\d+)(LE|BE)$/.exec(base);
  if (!m) return undefined;
  const kind = m[1] === "I" ? "int" : m[1] === "U" ? "uint" : "float";
  return { kind, size: Number(m[2]) / 8, littleEndian: m[3] === "LE" };
}

export function readNumbers(bytes: Uint8Array, type: NumericType): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out: number[] = [];
  for (let at = 0; at + type.size <= bytes.length; at += type.size) out.push(readNumber(view, at, type));
  return out;
}

function readNumber(view: DataView, at: number, { kind, size, littleEndian: le }: NumericType): number {
  if (kind === "float") return size === 4 ? view.getFloat32(at, le) : view.getFloat64(at, le);
  const signed = kind === "int";
  switch (size) {
    case 1: return signed ? view.getInt8(at) : view.getUint8(at);
    case 2: return signed ? view.getInt16(at, le) : view.getUint16(at, le);
    case 4: return signed ? view.getInt32(at, le) : view.getUint32(at, le);
    case 8: return Number(signed ? view.getBigInt64(at, le) : view.getBigUint64(at, le));
    default: throw new Error(`unsupported integer size ${size}`);
  }
}

/** h5wasm's typed array (BigInt64Array for 64-bit integers) as plain numbers. */
export function asNumbers(value: unknown): number[] {
  if (!ArrayBuffer.isView(value)) throw new Error("expected a typed array from h5wasm");
  return Array.from(value as unknown as ArrayLike<number | bigint>, Number);
}

/** The value a typed element takes when written from a JSON number (float32 rounding). */
export function asStored(value: number, type: NumericType): number {
  return type.kind === "float" && type.size === 4 ? Math.fround(value) : value;
}

export const GOLDEN_DB = join(GOLDEN, "hsds-store", "hsdstest", "db");

export interface GoldenDataset {
  /** HDF5-style path of the dataset in its domain. */
  path: string;
  /** Directory of the dataset object (its .dataset.json and chunk files). */
  dir: string;
  json: Record<string, unknown>;
}

/** Every linked dataset of a golden domain, found by walking hard links from the root group. */
export function goldenDatasets(rootPrefix: string): GoldenDataset[] {
  const domainDir = join(GOLDEN_DB, rootPrefix);
  const found: GoldenDataset[] = [];
  const walk = (groupFile: string, path: string) => {
    const group = readJson(groupFile) as { links?: Record<string, { id?: string; class: string }> };
    for (const [name, link] of Object.entries(group.links ?? {})) {
      if (link.class !== "H5L_TYPE_HARD" || !link.id) continue;
      const childPath = `${path}/${name}`;
      const objectDir = join(domainDir, link.id[0]!, link.id.split("-").slice(3).join("-"));
      if (link.id.startsWith("g-")) walk(join(objectDir, ".group.json"), childPath);
      else if (link.id.startsWith("d-")) found.push({ path: childPath, dir: objectDir, json: readJson(join(objectDir, ".dataset.json")) as Record<string, unknown> });
    }
  };
  walk(join(domainDir, ".group.json"), "");
  return found;
}

export function readJson(file: string): unknown {
  return parseJson(readFileSync(file, "utf8"));
}

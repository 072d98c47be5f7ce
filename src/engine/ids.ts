// HSDS object ids and their storage keys (hsds-reference §1). Ids of the v2 schema carry their
// domain: every object shares the first 16 hex digits of its root group, and a root group id is
// recognisable on its own (second half = first half with each digit rotated by 8).
import { createHash, randomBytes } from "node:crypto";

export type ObjectClass = "groups" | "datasets" | "datatypes";

const V2_ID = /^[gdt]-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{6}-[0-9a-f]{6}$/;
const V1_ID = /^[gdt]-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const PREFIX: Record<ObjectClass, string> = { groups: "g", datasets: "d", datatypes: "t" };
const CLASS_OF_PREFIX: Record<string, ObjectClass> = { g: "groups", d: "datasets", t: "datatypes" };

export function isValidId(id: string, cls?: ObjectClass): boolean {
  if (!V2_ID.test(id) && !V1_ID.test(id)) return false;
  return cls === undefined || id[0] === PREFIX[cls];
}

export function classOfId(id: string): ObjectClass | undefined {
  return isValidId(id) ? CLASS_OF_PREFIX[id[0]!] : undefined;
}

export function isV2(id: string): boolean {
  return V2_ID.test(id);
}

function hex32(id: string): string {
  return id.slice(2).replaceAll("-", "");
}

function formatId(prefix: string, hex: string): string {
  return `${prefix}-${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 26)}-${hex.slice(26, 32)}`;
}

const rotate8 = (half: string) => [...half].map((c) => ((parseInt(c, 16) + 8) % 16).toString(16)).join("");

export function rootIdOf(id: string): string {
  const half = hex32(id).slice(0, 16);
  return formatId("g", half + rotate8(half));
}

export function isRootId(id: string): boolean {
  return id[0] === "g" && isV2(id) && rootIdOf(id) === id;
}

export function newRootId(): string {
  const half = randomBytes(8).toString("hex");
  return formatId("g", half + rotate8(half));
}

export function newObjectId(cls: ObjectClass, rootId: string): string {
  const tail = randomBytes(8).toString("hex");
  return formatId(PREFIX[cls], hex32(rootId).slice(0, 16) + tail);
}

/** True when the object belongs to the domain whose root is rootId (v1 ids cannot tell: assume yes). */
export function belongsToRoot(id: string, rootId: string): boolean {
  if (!isV2(id) || !isV2(rootId)) return true;
  return hex32(id).slice(0, 16) === hex32(rootId).slice(0, 16);
}

/** "db/<8hex>-<8hex>/": everything of one v2 domain lives under it. */
export function domainPrefix(rootId: string): string {
  const h = hex32(rootId);
  return `db/${h.slice(0, 8)}-${h.slice(8, 16)}/`;
}

function objectDir(id: string): string {
  const h = hex32(id);
  return `${domainPrefix(id)}${id[0]}/${h.slice(16, 20)}-${h.slice(20, 26)}-${h.slice(26, 32)}/`;
}

const DOC_NAME: Record<string, string> = { g: ".group.json", d: ".dataset.json", t: ".datatype.json" };

function v1Key(name: string): string {
  return `${createHash("md5").update(name).digest("hex").slice(0, 5)}-${name}`;
}

export function objectKey(id: string): string {
  if (!isV2(id)) return v1Key(id);
  if (isRootId(id)) return `${domainPrefix(id)}.group.json`;
  return objectDir(id) + DOC_NAME[id[0]!];
}

/** Chunk index -> key; partitioned datasets (partition_count >= 2) add a p<N>/ level. */
const PARTITION_PRIMES = [29, 31, 37, 41, 43, 47, 53, 59, 61, 67];

export function chunkKey(datasetId: string, index: readonly number[], partitionCount = 0): string {
  const coords = index.join("_");
  let partition = "";
  if (partitionCount >= 2) {
    const sum = index.reduce((acc, i, dim) => acc + i * PARTITION_PRIMES[dim % 10]!, 0);
    partition = String(sum % partitionCount);
  }
  if (!isV2(datasetId)) return v1Key(`c${partition}-${datasetId.slice(2)}_${coords}`);
  return `${objectDir(datasetId)}${partition ? `p${partition}/` : ""}${coords}`;
}

/** Prefix under which all chunks of a v2 dataset live. */
export function datasetDir(datasetId: string): string {
  return objectDir(datasetId);
}

export const INFO_NAME = ".info.json";

export type ScannedKey =
  | { kind: "group" | "dataset" | "datatype"; id: string }
  | { kind: "chunk"; datasetId: string }
  | { kind: "other" };

/** The inverse mapping of objectKey/chunkKey for keys under db/, used by the domain scanner. */
export function classifyKey(key: string): ScannedKey {
  const parts = key.split("/");
  if (parts[0] !== "db" || parts.length < 3) return { kind: "other" };
  const half = parts[1]!.replace("-", "");
  if (half.length !== 16) return { kind: "other" };
  if (parts.length === 3) {
    return parts[2] === ".group.json" ? { kind: "group", id: formatId("g", half + rotate8(half)) } : { kind: "other" };
  }
  const prefix = parts[2]!;
  const id = formatId(prefix, half + parts[3]!.replaceAll("-", ""));
  if (!V2_ID.test(id)) return { kind: "other" };
  if (parts.length === 5) {
    const doc = parts[4]!;
    if (doc === DOC_NAME[prefix]) return { kind: prefix === "g" ? "group" : prefix === "d" ? "dataset" : "datatype", id };
    if (prefix === "d" && /^\d+(_\d+)*$/.test(doc)) return { kind: "chunk", datasetId: id };
    return { kind: "other" };
  }
  if (parts.length === 6 && prefix === "d" && /^p\d+$/.test(parts[4]!) && /^\d+(_\d+)*$/.test(parts[5]!)) {
    return { kind: "chunk", datasetId: id };
  }
  return { kind: "other" };
}

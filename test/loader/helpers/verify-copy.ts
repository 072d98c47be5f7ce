// Compares a loaded domain with its HDF5 source, reading the source with h5wasm's own high-level API (not the
// loader's source layer) and the domain through the client: links and hard-link identity, soft and external
// links, every attribute (JSON) and every dataset (shape, maxdims, values as JSON and as binary in the
// domain's type). Where h5wasm cannot decode a value (big-endian enums), the hdf5-json description of the
// file is the expected value. Returns the differences, one line each; [] means the copy is exact.
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { DomainHandle } from "../../../src/client/hsds-client.js";
import type { ShapeJson } from "../../../src/client/hsds-types.js";
import { type HsdsType, normalizeType } from "../../../src/model/datatype.js";
import { parseJson } from "../../../src/model/json.js";
import { encodeValues } from "../../../src/model/values.js";
import { h5Module, h5wasm } from "../../hdf5/helpers/h5wasm-datasets.js";
import { CORPUS } from "../../helpers/paths.js";

type Kind = "group" | "dataset" | "datatype" | "soft" | "external";

interface LinkEntry {
  path: string;
  kind: Kind;
  /** Object identity: header address (source) or id (domain); soft/external: the link's target text. */
  target: string;
}

export interface VerifyOptions {
  /** Paths ("/a/b" objects, "/a/b@name" attributes) the load left out on purpose. */
  skipped?: readonly string[];
}

type H5File = InstanceType<typeof h5wasm.File>;
type H5Entity = ReturnType<H5File["get"]>;

export async function verifyCopy(sourceFile: string, domain: DomainHandle, options: VerifyOptions = {}): Promise<string[]> {
  const skipped = new Set(options.skipped ?? []);
  const differences: string[] = [];
  const Module = await h5Module();
  const file = new h5wasm.File(sourceFile, "r");
  try {
    const source = sourceLinks(file, Module).filter((l) => !skipped.has(l.path));
    const target = (await domainLinks(domain)).filter((l) => !skipped.has(l.path));
    compareLinks(source, target, differences);

    const idOfPath = new Map(target.map((l) => [l.path, l.target]));
    const pathOfAddress = new Map<string, string>();
    for (const l of source) if (!pathOfAddress.has(l.target)) pathOfAddress.set(l.target, l.path);
    const referenceText = (ref: Uint8Array): string => {
      const address = addressOf(ref);
      if (address === "0") return "";
      const id = idOfPath.get(pathOfAddress.get(address) ?? "");
      return id ? `${collection(id)}/${id}` : `<reference to unknown object ${address}>`;
    };
    const described = hdf5JsonValues(sourceFile, (path) => {
      const id = idOfPath.get(path);
      return id ? `${collection(id)}/${id}` : `<reference to ${path}>`;
    });

    const objects = [{ path: "/", kind: "group" as Kind, target: "root" }, ...source.filter((l) => ["group", "dataset", "datatype"].includes(l.kind))];
    const done = new Set<string>();
    for (const object of objects) {
      if (done.has(object.target)) continue;
      done.add(object.target);
      const id = object.path === "/" ? (await domain.get()).root! : idOfPath.get(object.path);
      if (!id) continue; // reported by compareLinks
      const entity = file.get(object.path)!;
      await compareAttributes(object.path, entity, id, domain, skipped, referenceText, described, differences);
      if (object.kind === "dataset") await compareDataset(object.path, entity as InstanceType<typeof h5wasm.Dataset>, id, domain, referenceText, described, differences);
    }
  } finally {
    file.close();
  }
  return differences;
}

function collection(id: string): string {
  return { g: "groups", d: "datasets", t: "datatypes" }[id[0] as "g" | "d" | "t"];
}

function addressOf(ref: Uint8Array): string {
  let address = 0n;
  for (let i = 7; i >= 0; i--) address = address * 256n + BigInt(ref[i]!);
  return String(address);
}

function sourceLinks(file: H5File, Module: Awaited<ReturnType<typeof h5Module>>): LinkEntry[] {
  const out: LinkEntry[] = [];
  const visited = new Set<string>();
  const walk = (groupPath: string) => {
    for (const name of (file.get(groupPath) as InstanceType<typeof h5wasm.Group>).keys()) {
      const path = groupPath === "/" ? `/${name}` : `${groupPath}/${name}`;
      const soft = Module.get_symbolic_link(file.file_id, path);
      if (typeof soft === "string") {
        out.push({ path, kind: "soft", target: soft });
        continue;
      }
      const external = Module.get_external_link(file.file_id, path);
      if (typeof external.filename === "string") {
        out.push({ path, kind: "external", target: `${external.filename}//${external.obj_path}` });
        continue;
      }
      const entity = file.get(path)!;
      const kind: Kind = entity instanceof h5wasm.Group ? "group" : entity instanceof h5wasm.Dataset ? "dataset" : "datatype";
      const address = addressOf((entity as InstanceType<typeof h5wasm.Group>).create_reference().ref_data);
      out.push({ path, kind, target: address });
      if (kind === "group" && !visited.has(address)) {
        visited.add(address);
        walk(path);
      }
    }
  };
  walk("/");
  return out;
}

async function domainLinks(domain: DomainHandle): Promise<LinkEntry[]> {
  const out: LinkEntry[] = [];
  const visited = new Set<string>();
  const walk = async (groupId: string, groupPath: string) => {
    const group = await domain.getGroup(groupId, { includeLinks: true });
    for (const [name, link] of Object.entries(group.links ?? {})) {
      const path = groupPath === "/" ? `/${name}` : `${groupPath}/${name}`;
      if (link.class === "H5L_TYPE_SOFT") out.push({ path, kind: "soft", target: link.h5path! });
      else if (link.class === "H5L_TYPE_EXTERNAL") out.push({ path, kind: "external", target: `${link.h5domain}//${link.h5path}` });
      else {
        const kind: Kind = link.id!.startsWith("g-") ? "group" : link.id!.startsWith("d-") ? "dataset" : "datatype";
        out.push({ path, kind, target: link.id! });
        if (kind === "group" && !visited.has(link.id!)) {
          visited.add(link.id!);
          await walk(link.id!, path);
        }
      }
    }
  };
  await walk((await domain.get()).root!, "/");
  return out;
}

/** Same paths with the same kinds and link targets, and the same partition of paths into objects. */
function compareLinks(source: LinkEntry[], target: LinkEntry[], differences: string[]): void {
  const describe = (l: LinkEntry) => (l.kind === "soft" || l.kind === "external" ? `${l.path} ${l.kind} ${l.target}` : `${l.path} ${l.kind}`);
  const expected = new Set(source.map(describe));
  const actual = new Set(target.map(describe));
  for (const e of expected) if (!actual.has(e)) differences.push(`missing in domain: ${e}`);
  for (const a of actual) if (!expected.has(a)) differences.push(`not in source: ${a}`);
  const partition = (links: LinkEntry[]) => {
    const first = new Map<string, string>();
    const out = new Map<string, string>();
    for (const l of links) {
      if (l.kind === "soft" || l.kind === "external") continue;
      if (!first.has(l.target)) first.set(l.target, l.path);
      out.set(l.path, first.get(l.target)!);
    }
    return out;
  };
  const s = partition(source);
  const t = partition(target);
  for (const [path, same] of s) {
    if (t.has(path) && t.get(path) !== same) differences.push(`${path}: is the object at ${same} in the source but not in the domain`);
  }
}

/**
 * hdf5-json's values by object path ("/a/b" datasets, "/a/b@name" attributes), when the corpus describes the
 * file; its references ("datasets/<uuid>") become references to the copies (`referenceTo(path)`).
 */
function hdf5JsonValues(sourceFile: string, referenceTo: (path: string) => string): Map<string, unknown> {
  const values = new Map<string, unknown>();
  const path = join(CORPUS, "hdf5-json", "json", basename(sourceFile).replace(/\.h5$/, ".json"));
  if (!existsSync(path)) return values;
  type Described = { alias?: string[]; value?: unknown; attributes?: { name: string; value: unknown }[] };
  const doc = parseJson(readFileSync(path, "utf8")) as Record<string, Record<string, Described>>;
  const aliasOf = new Map<string, string>();
  for (const collectionName of ["groups", "datasets", "datatypes"]) {
    for (const [uuid, object] of Object.entries(doc[collectionName] ?? {})) aliasOf.set(`${collectionName}/${uuid}`, object.alias?.[0] ?? "");
  }
  const resolve = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(resolve) : typeof value === "string" && aliasOf.has(value) ? referenceTo(aliasOf.get(value)!) : value;
  for (const collectionName of ["groups", "datasets", "datatypes"]) {
    for (const object of Object.values(doc[collectionName] ?? {})) {
      for (const alias of object.alias ?? []) {
        if ("value" in object) values.set(alias, resolve(object.value));
        for (const a of object.attributes ?? []) values.set(`${alias}@${a.name}`, resolve(a.value));
      }
    }
  }
  return values;
}

/** h5wasm decodes references inside compounds as empty lists. */
function h5wasmMisreads(metadata: { type: number; compound_type?: { members: { type: number }[] } }): boolean {
  return metadata.type === 6 && (metadata.compound_type?.members ?? []).some((m) => m.type === 7 || h5wasmMisreads(m));
}

/** The source value as HSDS JSON: references as "<collection>/<id>", typed arrays as lists, raw bytes as text. */
function jsonOf(value: unknown, referenceText: (ref: Uint8Array) => string): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === "object" && value !== null && "ref_data" in value) return referenceText((value as { ref_data: Uint8Array }).ref_data);
  if (typeof value === "bigint") return Number(value);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => (typeof v === "bigint" ? Number(v) : v));
  if (Array.isArray(value)) return value.map((v) => jsonOf(v, referenceText));
  return value;
}

/** Domain JSON with big integers as numbers, for comparison with h5wasm's numbers. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

function nest(flat: unknown, shape: number[] | null): unknown {
  if (!Array.isArray(flat) || shape === null || shape.length <= 1) return flat;
  const size = shape.slice(1).reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < shape[0]!; i++) out.push(nest(flat.slice(i * size, (i + 1) * size), shape.slice(1)));
  return out;
}

/**
 * What the source holds, as HSDS would give it in JSON, or undefined when neither h5wasm nor the hdf5-json
 * description can say. `read` decodes with h5wasm; `raw` is for types h5wasm leaves as bytes (opaque, bitfield).
 */
function expectedValue(
  where: string,
  read: () => unknown,
  metadata: { type: number; size: number; shape: number[] | null; compound_type?: { members: { type: number }[] } },
  referenceText: (ref: Uint8Array) => string,
  described: Map<string, unknown>,
): unknown {
  let value: unknown;
  try {
    if (h5wasmMisreads(metadata)) throw new Error("h5wasm cannot decode this type");
    value = read();
  } catch {
    return described.has(where) ? described.get(where) : undefined;
  }
  if (value instanceof Uint8Array && (metadata.type === 5 || metadata.type === 4)) {
    // h5wasm hands opaque and bitfield data out as raw bytes.
    if (metadata.type === 4 && metadata.size === 1) return nest(Array.from(value), metadata.shape);
    const elements: string[] = [];
    for (let i = 0; i < value.length; i += metadata.size) elements.push(new TextDecoder().decode(value.subarray(i, i + metadata.size)));
    return metadata.shape && metadata.shape.length > 0 ? nest(elements, metadata.shape) : elements[0];
  }
  // h5wasm returns references as a list even for a scalar.
  if (metadata.shape?.length === 0 && Array.isArray(value) && value.length === 1) return jsonOf(value[0], referenceText);
  return jsonOf(value, referenceText);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  return a === b;
}

function show(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v));
  return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

async function compareAttributes(
  path: string,
  entity: H5Entity,
  id: string,
  domain: DomainHandle,
  skipped: Set<string>,
  referenceText: (ref: Uint8Array) => string,
  described: Map<string, unknown>,
  differences: string[],
): Promise<void> {
  const attrs = (entity as InstanceType<typeof h5wasm.Group>).attrs;
  const expectedNames = Object.keys(attrs).filter((name) => !skipped.has(`${path}@${name}`)).sort();
  const actual = new Map<string, { value?: unknown; type: unknown; shape: ShapeJson }>();
  for await (const a of domain.listAttributes(id, { includeData: true })) actual.set(a.name, a);
  const actualNames = [...actual.keys()].sort();
  if (show(expectedNames) !== show(actualNames)) differences.push(`${path}: attributes ${show(actualNames)}, expected ${show(expectedNames)}`);
  for (const name of expectedNames) {
    const got = actual.get(name);
    if (!got) continue;
    const attribute = attrs[name]!;
    const where = `${path}@${name}`;
    const expected = expectedValue(where, () => attribute.to_array(), attribute.metadata, referenceText, described);
    if (expected === undefined) {
      differences.push(`${where}: no independent expected value (h5wasm cannot decode it and hdf5-json does not describe it)`);
    } else if (!sameJson(plain(got.value ?? null), expected)) {
      differences.push(`${where}: value ${show(got.value)}, expected ${show(expected)}`);
    }
  }
}

async function compareDataset(
  path: string,
  dataset: InstanceType<typeof h5wasm.Dataset>,
  id: string,
  domain: DomainHandle,
  referenceText: (ref: Uint8Array) => string,
  described: Map<string, unknown>,
  differences: string[],
): Promise<void> {
  const metadata = dataset.metadata;
  const info = await domain.getDataset(id);
  if (metadata.shape === null) {
    if (info.shape.class !== "H5S_NULL") differences.push(`${path}: shape ${show(info.shape)}, expected H5S_NULL`);
    return;
  }
  const dims = info.shape.dims ?? [];
  if (show(dims) !== show(metadata.shape)) differences.push(`${path}: dims ${show(dims)}, expected ${show(metadata.shape)}`);
  const maxdims = (metadata.maxshape ?? []).map((m) => (m >= Number.MAX_SAFE_INTEGER ? 0 : m));
  // No maxdims means not extensible: the same as maxdims equal to the dims.
  const actualMaxdims = info.shape.maxdims ?? dims;
  if (metadata.shape.length > 0 && show(actualMaxdims) !== show(maxdims)) differences.push(`${path}: maxdims ${show(actualMaxdims)}, expected ${show(maxdims)}`);
  const expected = expectedValue(path, () => dataset.to_array(), metadata, referenceText, described);
  if (expected === undefined) {
    differences.push(`${path}: no independent expected value (h5wasm cannot decode it and hdf5-json does not describe it)`);
    return;
  }
  if (metadata.total_size === 0) return;
  const json = await domain.readValueJson(id);
  if (!sameJson(plain(json), expected)) {
    differences.push(`${path}: values ${show(json)}, expected ${show(expected)}`);
    return;
  }
  // Byte for byte in the domain's type: the binary read against HSDS's own encoding of the expected values.
  const type: HsdsType = normalizeType(info.type);
  const binary = await domain.readValue(id);
  const encoded = encodeValues(expected, type, dims);
  if (Buffer.compare(Buffer.from(binary), Buffer.from(encoded)) !== 0) differences.push(`${path}: binary values differ from the encoding of the expected values`);
}

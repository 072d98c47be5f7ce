// The engine reads every domain a real HSDS wrote (golden/hsds-store) with the values of the files
// they were loaded from, through the client core, as a user's tools would.
import { join } from "node:path";
import { readFileSync } from "node:fs";
import h5wasm, { Dataset, Reference } from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HsdsClient, type DomainHandle } from "../../src/client/hsds-client.js";
import { LocalTransport } from "../../src/client/local-transport.js";
import { openLocalEngine } from "../../src/engine/local-engine.js";
import { normalizeType, swapByteOrder, type HsdsType } from "../../src/model/datatype.js";
import { CORPUS, GOLDEN } from "../helpers/paths.js";

const H5JSON = join(CORPUS, "hdf5-json", "h5");
const SEEDS = join(CORPUS, "seeds");
const seeds = (dir: string, names: string[]) => names.map((n) => join(SEEDS, dir, n));

/** golden/README.md: which files made which domain (in load order). */
const SOURCES: Record<string, string[]> = {
  "tall.h5": [join(H5JSON, "tall.h5")],
  "compound.h5": [join(H5JSON, "compound.h5")],
  "dim_scale.h5": [join(H5JSON, "dim_scale.h5")],
  "dset_gzip.h5": [join(H5JSON, "dset_gzip.h5")],
  "h5ex_d_shuffle.h5": [join(H5JSON, "h5ex_d_shuffle.h5")],
  "enum_dset.h5": [join(H5JSON, "enum_dset.h5")],
  "objref_dset.h5": [join(H5JSON, "objref_dset.h5")],
  "resizable.h5": [join(H5JSON, "resizable.h5")],
  "vlen_string_dset.h5": [join(H5JSON, "vlen_string_dset.h5")],
  "splice.h5": seeds("splice", ["g1.h5", "g2.h5", "g3.h5"]),
  "concat.h5": seeds("concat", ["file1.h5", "file2.h5", "file3.h5"]),
  "imerg.h5": seeds("imerg", ["imerg_0000.h5", "imerg_0030.h5", "imerg_0100.h5", "imerg_0130.h5"]),
  "ncep3.h5": seeds("ncep3", ["01", "02", "03", "04", "05"].map((d) => `GSSTF_NCEP.3.1987.07.${d}.he5`)),
  "link_contig.h5": seeds("link", ["link_contig.h5"]),
  "link_small.h5": seeds("link", ["link_small.h5"]),
  "link_big.h5": seeds("link", ["link_big.h5"]),
};

interface SourceValue {
  shape: number[];
  /** Little-endian element bytes, or JSON-comparable values for non-numeric types. */
  bytes?: Uint8Array;
  json?: unknown;
}

type H5Module = Awaited<typeof h5wasm.ready>;
let Module: H5Module;
let client: HsdsClient;

beforeAll(async () => {
  Module = await h5wasm.ready;
  Module.activate_throwing_error_handler();
  // Read in place: the engine must not write into a store it only reads.
  const { engine, principal } = await openLocalEngine(join(GOLDEN, "hsds-store"), "test_user1");
  client = new HsdsClient(new LocalTransport("local", engine, principal));
});
afterAll(() => client.close());

/** What the hdf5-json description says a dataset holds: the fallback where h5wasm cannot read it (big-endian enums). */
function describedValue(path: string, h5path: string): SourceValue | undefined {
  const jsonPath = path.replace("/h5/", "/json/").replace(/\.h5$/, ".json");
  const description = JSON.parse(readFileSync(jsonPath, "utf8")) as { datasets: Record<string, { alias: string[]; shape: { dims?: number[] }; value: unknown }> };
  const entry = Object.values(description.datasets).find((d) => d.alias.includes(h5path));
  return entry && { shape: entry.shape.dims ?? [], json: entry.value };
}

function readSource(path: string, h5path: string): SourceValue | undefined {
  const file = new h5wasm.File(path, "r");
  try {
    const entity = file.get(h5path);
    if (!(entity instanceof Dataset)) return undefined;
    const shape = entity.shape ?? [];
    const value = entity.value;
    if (ArrayBuffer.isView(value)) return { shape, bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice() };
    // References as the paths they point at; int64 as numbers, as the domain's JSON gives them.
    const paths = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(paths)
      : v instanceof Reference ? (file.dereference(v) as unknown as { path: string } | null)?.path
      : typeof v === "bigint" ? Number(v)
      : v;
    return { shape, json: paths(value) };
  } catch (err) {
    if (path.startsWith(H5JSON)) return describedValue(path, h5path);
    throw err;
  } finally {
    file.close();
  }
}

/** The value a domain dataset must hold, from its sources as hsload -a / --extend combined them. */
function expected(sources: string[], h5path: string, domainShape: number[]): SourceValue | undefined {
  const parts = sources.map((s) => readSource(s, h5path)).filter((v): v is SourceValue => v !== undefined);
  if (parts.length === 0) return undefined;
  const last = parts.at(-1)!;
  if (parts.length === 1 || JSON.stringify(domainShape) === JSON.stringify(last.shape)) return last;
  // Stacked (new leading dimension) or extended along dimension 0: either way C-order concatenation.
  if (last.bytes) {
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.bytes!.length, 0));
    parts.reduce((at, p) => (bytes.set(p.bytes!, at), at + p.bytes!.length), 0);
    return { shape: domainShape, bytes };
  }
  return { shape: domainShape, json: parts.flatMap((p) => p.json as unknown[]) };
}

async function datasetPaths(d: DomainHandle, groupId: string, prefix: string, out: Map<string, string>): Promise<Map<string, string>> {
  for (const link of await d.listLinksRecursive(groupId).then((all) => all[groupId] ?? [])) {
    if (link.class !== "H5L_TYPE_HARD" || !link.id) continue;
    const path = `${prefix}/${link.title}`;
    if (link.id.startsWith("d-")) out.set(path, link.id);
    else if (link.id.startsWith("g-")) await datasetPaths(d, link.id, path, out);
  }
  return out;
}

async function idToPath(d: DomainHandle, rootId: string): Promise<Map<string, string>> {
  const all = await d.listLinksRecursive(rootId);
  const paths = new Map<string, string>([[rootId, "/"]]);
  const visit = (id: string, prefix: string) => {
    for (const link of all[id] ?? []) {
      if (link.class !== "H5L_TYPE_HARD" || !link.id || paths.has(link.id)) continue;
      paths.set(link.id, `${prefix}/${link.title}`);
      if (link.id.startsWith("g-")) visit(link.id, `${prefix}/${link.title}`);
    }
  };
  visit(rootId, "");
  return paths;
}

describe("golden store read through the client core", () => {
  for (const [name, sources] of Object.entries(SOURCES)) {
    it(`${name}: every dataset equals its source`, async () => {
      const d = client.domain(`/home/test_user1/golden/${name}`);
      const root = (await d.get()).root!;
      const refPaths = await idToPath(d, root);
      const datasets = await datasetPaths(d, root, "", new Map());
      expect(datasets.size).toBeGreaterThan(0);
      let compared = 0;
      for (const [path, id] of datasets) {
        const info = await d.getDataset(id);
        if (info.shape.class === "H5S_NULL") continue;
        const shape = info.shape.class === "H5S_SIMPLE" ? info.shape.dims! : [];
        const want = expected(sources, path, shape);
        if (!want) continue; // an object only HSDS made (none in this store), or a chunk table
        const type = normalizeType(info.type) as HsdsType;
        if (want.bytes) {
          const got = await d.readValue(id);
          const count = shape.reduce((n, x) => n * x, 1);
          expect(Buffer.from(swapByteOrder(got.slice(), type, count)).equals(Buffer.from(want.bytes)), `${name} ${path}`).toBe(true);
        } else {
          const got = await d.readValueJson(id);
          const asPaths = (v: unknown): unknown =>
            Array.isArray(v) ? v.map(asPaths) : typeof v === "string" && /^(groups|datasets|datatypes)\//.test(v) ? refPaths.get(v.split("/")[1]!) : v;
          expect(type.class === "H5T_REFERENCE" ? asPaths(got) : got, `${name} ${path}`).toEqual(want.json);
        }
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});

// loadFile with --link into the embedded engine: every link seed (each chunk index type) and a file made here
// with a mix of what is linked (gzip+shuffle, Blosc, bitshuffle-LZ4, contiguous) and what is copied (LZ4
// plugin, small, variable-length, scalar). Every value read back through the engine equals the source; the
// domain's storage holds chunk tables and copied values only.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HsdsClient } from "../../src/client/hsds-client.js";
import { loadFile } from "../../src/loader/load.js";
import { LINK_SEEDS, linkSeeds } from "./helpers/link-seeds.js";
import { LOCAL_USER, localClient } from "./helpers/local-client.js";
import { verifyCopy } from "./helpers/verify-copy.js";

const scratch = mkdtempSync(join(tmpdir(), "hsload-link-"));
let client: HsdsClient;
let storeDir: string;

beforeAll(async () => {
  ({ client, dir: storeDir } = await localClient());
});
afterAll(async () => {
  await client.close();
  for (const dir of [scratch, storeDir]) rmSync(dir, { recursive: true, force: true });
});

/** Each stored dataset of a domain: its creation properties and the chunk objects the store holds for it. */
async function storedDatasets(target: string): Promise<{ layout: string | undefined; chunks: number }[]> {
  const root = (await client.domain(target).get()).root!;
  const datasets = join(storeDir, "hsdstest", "db", root.slice(2, 19), "d");
  return readdirSync(datasets).map((dir) => {
    const doc = JSON.parse(readFileSync(join(datasets, dir, ".dataset.json"), "utf8")) as { creationProperties?: { layout?: { class: string } } };
    return { layout: doc.creationProperties?.layout?.class, chunks: readdirSync(join(datasets, dir)).filter((f) => !f.endsWith(".json")).length };
  });
}

describe("--link of every link seed", () => {
  it.each(linkSeeds().map((s) => s.file))("%s reads back as the source and stores no value chunk", async (file) => {
    const target = `/home/${LOCAL_USER}/${file}`;
    const outcome = await loadFile(client, join(LINK_SEEDS, file), target, { parallel: 4, link: {} });
    expect(outcome.status === "loaded" && outcome.summary.writes).toBe(0);
    expect(await verifyCopy(join(LINK_SEEDS, file), client.domain(target))).toEqual([]);
    const stored = await storedDatasets(target);
    const linked = stored.filter((d) => d.layout?.endsWith("_REF") || d.layout?.endsWith("_INDIRECT"));
    expect(linked).toHaveLength(1);
    expect(linked[0]!.chunks).toBe(0);
    // What else is stored is the chunk table (INDIRECT), a single chunk of {offset, size} entries.
    expect(stored.filter((d) => d !== linked[0]).map((d) => [d.layout, d.chunks])).toEqual(linked[0]!.layout === "H5D_CHUNKED_REF_INDIRECT" ? [[undefined, 1]] : []);
  });
});

describe("--link of a file with linked and copied datasets", () => {
  const file = join(scratch, "mixed.h5");
  const target = `/home/${LOCAL_USER}/mixed.h5`;
  let notes: string[] = [];

  beforeAll(async () => {
    const module = await h5wasm.ready;
    module.insert_plugin_search_path(join(dirname(createRequire(import.meta.url).resolve("h5wasm-plugins")), "plugins"), 0);
    const f = new h5wasm.File(file, "w");
    const wave = new Float32Array(200 * 300).map((_, i) => Math.sin(i / 50));
    f.create_dataset({ name: "gzip", data: wave, shape: [200, 300], chunks: [50, 50], dtype: "<f4", compression: "gzip", compression_opts: [5] });
    f.create_dataset({ name: "blosc", data: wave, shape: [200, 300], chunks: [100, 150], dtype: "<f4", compression: 32001, compression_opts: [0, 0, 0, 0, 5, 1, 1] });
    f.create_dataset({ name: "bitshuffle", data: wave, shape: [200, 300], chunks: [50, 100], dtype: "<f4", compression: 32008, compression_opts: [0, 2] });
    f.create_dataset({ name: "lz4", data: wave, shape: [200, 300], chunks: [50, 100], dtype: "<f4", compression: 32004, compression_opts: [0] });
    f.create_dataset({ name: "contig", data: new Int32Array(30 * 40).map((_, i) => i * 3 - 7), shape: [30, 40], dtype: "<i4" });
    f.create_dataset({ name: "small", data: new Int32Array(10).map((_, i) => i) });
    f.create_dataset({ name: "text", data: Array.from({ length: 600 }, (_, i) => `line ${i}`) });
    f.create_dataset({ name: "scalar", data: 42.5 });
    f.close();
    const outcome = await loadFile(client, file, target, { parallel: 4, link: {} });
    if (outcome.status === "loaded") notes = outcome.plan.notes.map((n) => `${n.path}: ${n.message}`);
  });

  it("reads back as the source", async () => {
    expect(await verifyCopy(file, client.domain(target))).toEqual([]);
  });

  it("links what HSDS can decode in place, with the source's filters", async () => {
    const domain = client.domain(target);
    const layoutOf = async (path: string) => (await domain.getDatasetByPath(path)).creationProperties;
    expect(await layoutOf("/gzip")).toMatchObject({
      layout: { class: "H5D_CHUNKED_REF_INDIRECT", dims: [200, 200], hyper_dims: [50, 50] },
      filters: [{ name: "gzip", level: 5 }],
    });
    expect(await layoutOf("/blosc")).toMatchObject({ layout: { class: "H5D_CHUNKED_REF", dims: [100, 150] }, filters: [{ name: "blosclz", id: 32001 }] });
    expect(await layoutOf("/bitshuffle")).toMatchObject({ layout: { class: "H5D_CHUNKED_REF_INDIRECT" }, filters: [{ name: "bitshuffle" }] });
    expect((await layoutOf("/contig"))!.layout).toMatchObject({ class: "H5D_CONTIGUOUS_REF", file_uri: file, size: 30 * 40 * 4 });
  });

  it("copies the rest, saying why", async () => {
    expect(notes).toEqual([
      expect.stringMatching(/^\/lz4: copied, not linked: HSDS cannot decode chunks stored with HDF5 filter 32004 /),
      "/scalar: copied, not linked: it has no dimensions",
      "/small: copied, not linked: it has 10 elements (datasets of more than 512 are linked)",
      "/text: copied, not linked: its elements have variable length",
    ]);
    const stored = await storedDatasets(target);
    expect(stored.filter((d) => d.chunks > 0 && d.layout !== undefined && d.layout !== "H5D_CHUNKED").map((d) => d.layout)).toEqual([]);
  });
});

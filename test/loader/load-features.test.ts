// loadFile on files made here with h5wasm, for what the corpus does not show: link creation order, chunks
// that were never written (not read, not written), progress events, and datasets larger than one block.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HsdsClient } from "../../src/client/hsds-client.js";
import { loadFile } from "../../src/loader/load.js";
import type { LoadProgress } from "../../src/loader/run.js";
import { LOCAL_USER, localClient } from "./helpers/local-client.js";
import { verifyCopy } from "./helpers/verify-copy.js";

const scratch = mkdtempSync(join(tmpdir(), "hsload-features-"));
let client: HsdsClient;
let storeDir: string;

beforeAll(async () => {
  await h5wasm.ready;
  ({ client, dir: storeDir } = await localClient());
});
afterAll(async () => {
  await client.close();
  for (const dir of [scratch, storeDir]) rmSync(dir, { recursive: true, force: true });
});

/** Chunk objects the engine stored for a domain's datasets (HSDS v2 keys: db/<root>/d/<id>/<chunk>). */
function storedChunks(rootId: string): string[] {
  const db = join(storeDir, "hsdstest", "db", rootId.slice(2, 19));
  const datasets = join(db, "d");
  return readdirSync(datasets, { recursive: true, encoding: "utf8" }).filter((p) => !p.endsWith(".json") && p.includes("/"));
}

describe("loadFile", () => {
  it("keeps the link creation order of groups that track it", async () => {
    const file = join(scratch, "ordered.h5");
    const f = new h5wasm.File(file, "w", { track_order: true });
    for (const name of ["zeta", "alpha", "mid"]) f.create_group(name, true);
    f.create_dataset({ name: "beta", data: new Int32Array([1, 2, 3]) });
    f.close();
    const outcome = await loadFile(client, file, `/home/${LOCAL_USER}/ordered.h5`, { parallel: 4 });
    expect(outcome.status).toBe("loaded");
    const domain = client.domain(`/home/${LOCAL_USER}/ordered.h5`);
    const root = await domain.getGroup((await domain.get()).root!);
    expect(root.creationProperties).toEqual({ CreateOrder: 1 });
    const titles: string[] = [];
    for await (const link of domain.listLinks(root.id, { createOrder: true })) titles.push(link.title);
    expect(titles).toEqual(["zeta", "alpha", "mid", "beta"]);
    expect(await verifyCopy(file, domain)).toEqual([]);
  });

  it("neither reads nor writes chunks that were never written, and reports progress up to the whole", async () => {
    // 1000x1000 int32, 100x100 chunks, only rows 200..299 written: 10 of 100 chunks exist.
    const file = join(scratch, "sparse.h5");
    const f = new h5wasm.File(file, "w");
    const d = f.create_dataset({ name: "data", data: new Int32Array(0), shape: [0, 1000], maxshape: [null, 1000], chunks: [100, 100], dtype: "<i4", compression: "gzip" });
    d.resize([1000, 1000]);
    d.write_slice([[200, 300], []], new Int32Array(100_000).map((_, i) => i + 1));
    f.close();
    const progress: LoadProgress[] = [];
    const target = `/home/${LOCAL_USER}/sparse.h5`;
    const outcome = await loadFile(client, file, target, { parallel: 4, onProgress: (p) => progress.push(p) });
    expect(outcome.status).toBe("loaded");
    if (outcome.status !== "loaded") return;
    const domain = client.domain(target);
    expect(await verifyCopy(file, domain)).toEqual([]);
    // The target's chunks (HSDS grows 100x100 int32 to 1 MiB) cover the written rows with a few writes.
    const layout = (await domain.getDatasetByPath("/data")).layout!.dims!;
    const chunkRows = Math.floor(299 / layout[0]!) - Math.floor(200 / layout[0]!) + 1;
    expect(outcome.summary.writes).toBe(chunkRows * Math.ceil(1000 / layout[1]!));
    expect(storedChunks((await domain.get()).root!)).toHaveLength(outcome.summary.writes);
    const last = progress.at(-1)!;
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.bytesTotal).toBe(4_000_000);
    expect(last.objectsDone).toBe(last.objectsTotal);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.bytesDone).toBeGreaterThanOrEqual(progress[i - 1]!.bytesDone);
  });

  it("copies datasets larger than one read block, and source chunks larger than the target's", async () => {
    // 2048x2048 float32 in 512x2048 (4 MiB) chunks; small blocks force many reads and writes.
    const file = join(scratch, "large.h5");
    const f = new h5wasm.File(file, "w");
    const d = f.create_dataset({ name: "data", data: new Float32Array(0), shape: [0, 2048], maxshape: [null, 2048], chunks: [512, 2048], dtype: "<f4" });
    d.resize([2048, 2048]);
    for (let r = 0; r < 2048; r += 512) d.write_slice([[r, r + 512], []], new Float32Array(512 * 2048).map((_, i) => r * 2048 + i));
    f.close();
    const target = `/home/${LOCAL_USER}/large.h5`;
    const outcome = await loadFile(client, file, target, { parallel: 3, memoryBudget: 2 * 1024 * 1024 });
    expect(outcome.status).toBe("loaded");
    expect(await verifyCopy(file, client.domain(target))).toEqual([]);
  });

  it("copies a variable-length string dataset larger than one target chunk, chunk by chunk", async () => {
    const file = join(scratch, "strings.h5");
    const f = new h5wasm.File(file, "w");
    const strings = Array.from({ length: 40_000 }, (_, i) => (i % 7 === 0 ? "" : `value ${i} ${"é".repeat(i % 13)}`));
    f.create_dataset({ name: "text", data: strings });
    f.close();
    const target = `/home/${LOCAL_USER}/strings.h5`;
    const outcome = await loadFile(client, file, target, { parallel: 4 });
    expect(outcome.status === "loaded" && outcome.summary.writes).toBeGreaterThan(1);
    expect(await verifyCopy(file, client.domain(target))).toEqual([]);
  });

  it("reads sources compressed by the HDF5 plugins (Blosc, LZ4, Zstd, bitshuffle) and keeps what HSDS can apply", async () => {
    const module = await h5wasm.ready;
    module.insert_plugin_search_path(join(dirname(createRequire(import.meta.url).resolve("h5wasm-plugins")), "plugins"), 0);
    const file = join(scratch, "plugins.h5");
    const f = new h5wasm.File(file, "w");
    const data = new Float32Array(200 * 300).map((_, i) => Math.sin(i / 50));
    for (const [name, compression, opts] of [["blosc", 32001, [0, 0, 0, 0, 5, 1, 5]], ["lz4", 32004, [0]], ["zstd", 32015, [6]], ["bitshuffle", 32008, [0, 2]]] as const) {
      f.create_dataset({ name, data, shape: [200, 300], chunks: [50, 100], dtype: "<f4", compression, compression_opts: [...opts] });
    }
    f.close();
    const target = `/home/${LOCAL_USER}/plugins.h5`;
    const outcome = await loadFile(client, file, target, { parallel: 4 });
    expect(outcome.status === "loaded" && outcome.plan.notes).toEqual([{ path: "/bitshuffle", message: expect.stringMatching(/bitshuffle/) }]);
    const domain = client.domain(target);
    expect(await verifyCopy(file, domain)).toEqual([]);
    const filters = async (path: string) => (await domain.getDatasetByPath(path)).creationProperties?.filters?.map((x) => [x.name, x.level]);
    expect(await filters("/blosc")).toEqual([["zstd", 5]]);
    expect(await filters("/lz4")).toEqual([["lz4", undefined]]);
    expect(await filters("/zstd")).toEqual([["zstd", 6]]);
    expect(await filters("/bitshuffle")).toBeUndefined();
  });
});


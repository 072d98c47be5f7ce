// hsload into our engine (local and hsserve) copies deflate and shuffle+deflate chunks as the HDF5 file stores
// them when the grids agree: the chunk objects in the store are the file's chunk bytes, a chunk of zeros gets no
// object, a chunk the file never wrote stays unwritten, and the values read back (hsget, then h5diff) are the
// file's. A dataset whose chunks cannot go as stored (the server chose other chunks) still loads by value.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkKey } from "../../src/engine/ids.js";
import { LocalFileSource } from "../../src/hdf5/byte-source.js";
import { type DatasetStorageInfo, Hdf5StorageReader } from "../../src/hdf5/storage-info.js";
import { h5Module, h5wasm, listDatasets, withH5File } from "../hdf5/helpers/h5wasm-datasets.js";
import { h5diff } from "../helpers/hdf5-tools.js";
import { HOME, type Target, TARGETS, tool } from "./hsload-aggregate-helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "hsload-stored-chunks-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ROWS = 600; // two whole chunks of 256 rows and a partial one
const GZIP = join(scratch, "gzip.h5");
const SHUFFLED = join(scratch, "shuffle-gzip.h5");

/**
 * /grid: float32 [600, 1024] in 1 MiB chunks, rows 256..511 zero; /grown: float64 [768, 512] whose last chunk the
 * file never wrote (h5repack writes it, as fill); /small_chunks: chunks of 4 KiB, which HSDS makes larger. All gzip level 4.
 */
async function writeSource(): Promise<void> {
  await h5Module();
  const f = new h5wasm.File(GZIP, "w");
  const grid = Float32Array.from({ length: ROWS * 1024 }, (_, i) => (Math.floor(i / 1024) >= 256 && Math.floor(i / 1024) < 512 ? 0 : Math.sin(i) * 1000));
  f.create_dataset({ name: "grid", data: grid, shape: [ROWS, 1024], chunks: [256, 1024], compression: "gzip", compression_opts: 4 });
  const grown = Float64Array.from({ length: 512 * 512 }, (_, i) => i / 7);
  f.create_dataset({ name: "grown", data: grown, shape: [512, 512], maxshape: [null, 512], chunks: [256, 512], compression: "gzip", compression_opts: 4 });
  (f.get("grown") as InstanceType<typeof h5wasm.Dataset>).resize([768, 512]);
  const small = Int32Array.from({ length: 512 * 1024 }, (_, i) => i % 1000);
  f.create_dataset({ name: "small_chunks", data: small, shape: [512, 1024], chunks: [32, 32], compression: "gzip", compression_opts: 4 });
  f.close();
  // h5wasm writes one filter per dataset; h5repack adds shuffle before deflate.
  const repack = spawnSync("h5repack", ["-f", "SHUF", "-f", "GZIP=4", GZIP, SHUFFLED], { encoding: "utf8" });
  if (repack.error) throw new Error(`h5repack is needed for these tests (Debian: apt-get install hdf5-tools): ${repack.error.message}`);
  expect(repack.status, repack.stderr).toBe(0);
}

/** Each dataset's chunk index as the file stores it. */
async function storageOf(file: string): Promise<Map<string, DatasetStorageInfo>> {
  const addresses = await withH5File(file, (f) => listDatasets(f).map((d) => [d.path, d.address] as const));
  const bytes = await LocalFileSource.open(file);
  try {
    const reader = await Hdf5StorageReader.open(bytes);
    return new Map(await Promise.all(addresses.map(async ([path, address]) => [path, await reader.datasetStorage(address)] as const)));
  } finally {
    await bytes.close();
  }
}

beforeAll(writeSource);

describe.each(TARGETS)("hsload of deflate chunks into %s", (_name, makeTarget) => {
  let target: Target;
  beforeAll(async () => {
    target = await makeTarget();
  });
  afterAll(() => target.stop());

  describe.each([
    ["gzip", GZIP],
    ["shuffle then gzip", SHUFFLED],
  ])("%s", (label, file) => {
    const domain = `${HOME}/stored-${label.replaceAll(" ", "-")}.h5`;

    it("loads, and the store holds the file's own chunk bytes where the grids agree", async () => {
      const loaded = await tool(target, "hsload", [file, domain]);
      expect(loaded.code, loaded.stderr).toBe(0);
      const storage = await storageOf(file);
      const d = (await target.client()).domain(domain);
      for (const path of ["/grid", "/grown"]) {
        const info = storage.get(path)!;
        if (info.storage.layout !== "chunked") throw new Error(`${path} is not chunked`);
        expect(info.filters.map((f) => f.id), path).toEqual(label === "gzip" ? [1] : [2, 1]);
        const dataset = await d.getDatasetByPath(path);
        expect(dataset.layout?.dims, `${path}: the server kept the file's chunks`).toEqual(info.storage.chunkShape);
        const source = await LocalFileSource.open(file);
        try {
          for (const chunk of info.storage.chunks) {
            const object = join(target.store, "hsdstest", chunkKey(dataset.id, chunk.index));
            // /grid's rows of zeros; /grown's last chunk where h5repack wrote it, all fill.
            const fill = chunk.index[0] === (path === "/grid" ? 1 : 2);
            expect(existsSync(object), `${path} chunk ${chunk.index}`).toBe(!fill);
            if (!fill) expect(readFileSync(object).equals(await source.read(chunk.address, chunk.size)), `${path} chunk ${chunk.index}`).toBe(true);
          }
        } finally {
          await source.close();
        }
        // h5wasm never wrote /grown's last chunk: it has no object either.
        if (path === "/grown" && label === "gzip") expect(info.storage.chunks.map((c) => c.index[0])).toEqual([0, 1]);
        if (path === "/grown") expect(existsSync(join(target.store, "hsdstest", chunkKey(dataset.id, [2, 0])))).toBe(false);
      }
      // The small chunks were made larger by the server: those values went by value.
      const small = await d.getDatasetByPath("/small_chunks");
      expect(small.layout?.dims).not.toEqual([32, 32]);
    });

    it("reads back as the file: hsget, then h5diff", async () => {
      const out = join(scratch, `${target.name}-${label.replaceAll(" ", "-")}.out.h5`);
      const got = await tool(target, "hsget", [domain, out]);
      expect(got.code, got.stderr).toBe(0);
      expect(h5diff(file, out)).toEqual({ code: 0, out: "" });
    });
  });
});

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalFileSource, type ByteSource } from "../../src/hdf5/byte-source.js";
import { Hdf5StorageReader, type DatasetStorageInfo } from "../../src/hdf5/storage-info.js";
import { CORPUS } from "../helpers/paths.js";
import { assembleDataset } from "./helpers/assemble-dataset.js";
import {
  h5Module,
  h5wasm,
  listDatasets,
  objectAddress,
  readMemoryBytes,
  withH5File,
} from "./helpers/h5wasm-datasets.js";

/**
 * Files written here with h5wasm (HDF5 2.0) so that every index structure is exercised at a size the seed files
 * do not reach: extensible arrays with secondary blocks and paged data blocks, paged fixed arrays, v2 B-trees
 * with internal nodes, deep v1 B-trees, object header continuations. Ground truth is what HDF5 itself reads.
 */
const scratch = mkdtempSync(join(tmpdir(), "hdf5-chunk-index-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ints = (n: number, seed: number) => Int32Array.from({ length: n }, (_, i) => (i * 2654435761 + seed) | 0);

/** A source that counts what is asked of it. */
class CountingSource implements ByteSource {
  reads = 0;
  bytes = 0;
  constructor(private readonly inner: ByteSource) {}
  get name() {
    return this.inner.name;
  }
  size() {
    return this.inner.size();
  }
  read(offset: number, length: number) {
    this.reads++;
    this.bytes += length;
    return this.inner.read(offset, length);
  }
  close() {
    return this.inner.close();
  }
}

/** Reads every dataset of `path` and checks the reassembled bytes against HDF5's own read. */
async function checkAllDatasets(path: string): Promise<Map<string, DatasetStorageInfo>> {
  const fileBytes = readFileSync(path);
  const results = new Map<string, DatasetStorageInfo>();
  const source = new CountingSource(await LocalFileSource.open(path));
  try {
    const reader = await Hdf5StorageReader.open(source);
    await withH5File(path, async (h5) => {
      for (const { path: dsetPath, address, metadata } of listDatasets(h5)) {
        const info = await reader.datasetStorage(address);
        const assembled = assembleDataset(info, (at, size) => fileBytes.subarray(at, at + size));
        const expected = await readMemoryBytes(h5, dsetPath, metadata);
        expect(Buffer.compare(assembled, expected), `${path}:${dsetPath}`).toBe(0);
        results.set(dsetPath, info);
      }
    });
    console.log(`${path}: ${source.reads} metadata reads, ${source.bytes} bytes of ${fileBytes.length}`);
  } finally {
    await source.close();
  }
  return results;
}

function chunkTable(info: DatasetStorageInfo) {
  if (info.storage.layout !== "chunked") throw new Error(`expected a chunked dataset, got ${info.storage.layout}`);
  return info.storage;
}

describe("libver latest: the HDF5 1.10+ chunk indexes at scale", () => {
  const path = join(scratch, "latest.h5");
  let infos: Map<string, DatasetStorageInfo>;

  beforeAll(async () => {
    await h5Module();
    const f = new h5wasm.File(path, "w", { libver: "latest" });
    try {
      // Extensible array, dense: 5000 one-element chunks reach super block 8, i.e. secondary blocks.
      f.create_dataset({ name: "ea_dense", data: ints(5000, 1), shape: [5000], maxshape: [null], chunks: [1] });
      // Extensible array, sparse: only a few chunks written across 200 000 entries. Entry 140 000 lies in super
      // block 13, whose data blocks hold 2048 entries in two pages of 1024: only the written page exists.
      const sparse = f.create_dataset({
        name: "ea_sparse",
        data: new Int32Array(0),
        shape: [0],
        maxshape: [null],
        chunks: [1],
      });
      sparse.resize([200_000]);
      sparse.write_slice([[0, 10]], ints(10, 2));
      sparse.write_slice([[140_000, 140_010]], ints(10, 3));
      sparse.write_slice([[199_990, 200_000]], ints(10, 4));
      // Extensible array whose unlimited dimension is not the first one, filtered, with partial edge chunks.
      const wide = f.create_dataset({
        name: "ea_unlimited_last",
        data: ints(30 * 20, 5),
        shape: [30, 20],
        maxshape: [30, null],
        chunks: [4, 3],
        compression: "gzip",
      });
      wide.resize([30, 50]);
      wide.write_slice([[0, 30], [20, 50]], ints(30 * 30, 6));
      // Fixed array with 10 000 entries: paged (1024 entries a page); filtered and not.
      f.create_dataset({ name: "fa_paged", data: ints(200 * 200, 7), shape: [200, 200], chunks: [2, 2] });
      f.create_dataset({
        name: "fa_paged_gzip",
        data: ints(200 * 200, 8),
        shape: [200, 200],
        chunks: [2, 2],
        compression: "gzip",
      });
      // Fixed array sized by the maximum extent: the pages past the written rows are never initialised.
      const partial = { shape: [100, 100], maxshape: [200, 200], chunks: [2, 2] };
      f.create_dataset({ name: "fa_partial", data: ints(100 * 100, 9), ...partial });
      // v2 B-trees with 10 000 records: two levels of internal nodes; filtered and not.
      const twoUnlimited = { shape: [200, 200], maxshape: [null, null], chunks: [2, 2] };
      f.create_dataset({ name: "bt2", data: ints(200 * 200, 10), ...twoUnlimited });
      f.create_dataset({ name: "bt2_gzip", data: ints(200 * 200, 11), ...twoUnlimited, compression: "gzip" });
      f.create_dataset({ name: "single", data: ints(12 * 7, 12), shape: [12, 7], chunks: [12, 7] });
    } finally {
      f.close();
    }
  }, 120_000);

  it("is a superblock version 3 file whose every dataset reassembles to what HDF5 reads", async () => {
    expect(readFileSync(path)[8]).toBe(3);
    infos = await checkAllDatasets(path);
  });

  it("reads extensible arrays through secondary blocks and paged data blocks", () => {
    const dense = chunkTable(infos.get("/ea_dense")!);
    expect(dense.indexType).toBe("extensible-array");
    expect(dense.chunks.map((c) => c.index[0])).toEqual([...Array(5000).keys()]);
    const sparse = chunkTable(infos.get("/ea_sparse")!);
    expect(sparse.chunks.map((c) => c.index[0])).toEqual([
      ...[...Array(10).keys()],
      ...[...Array(10).keys()].map((i) => 140_000 + i),
      ...[...Array(10).keys()].map((i) => 199_990 + i),
    ]);
    const wide = chunkTable(infos.get("/ea_unlimited_last")!);
    expect(wide.indexType).toBe("extensible-array");
    expect(wide.chunks).toHaveLength(8 * 17);
  });

  it("reads paged fixed arrays, skipping pages never written", () => {
    for (const name of ["/fa_paged", "/fa_paged_gzip"]) {
      const table = chunkTable(infos.get(name)!);
      expect(table.indexType).toBe("fixed-array");
      expect(table.chunks).toHaveLength(10_000);
    }
    expect(chunkTable(infos.get("/fa_partial")!).chunks).toHaveLength(2500);
  });

  it("walks v2 B-trees with internal nodes", () => {
    for (const name of ["/bt2", "/bt2_gzip"]) {
      const table = chunkTable(infos.get(name)!);
      expect(table.indexType).toBe("btree-v2");
      expect(table.chunks).toHaveLength(10_000);
    }
    // Filtered records carry their own stored sizes (deflate makes 16 raw bytes larger, and not all alike).
    expect(new Set(chunkTable(infos.get("/bt2_gzip")!).chunks.map((c) => c.size)).size).toBeGreaterThan(1);
  });

  it("reads an unfiltered single chunk", () => {
    const table = chunkTable(infos.get("/single")!);
    expect(table.indexType).toBe("single");
    expect(table.chunks).toEqual([{ index: [0, 0], address: expect.any(Number), size: 12 * 7 * 4, filterMask: 0 }]);
  });
});

describe("older formats and object header layouts", () => {
  it("libver v108 (superblock 2, object header 2, layout 3), creation order tracked, continuation block", async () => {
    const path = join(scratch, "v108.h5");
    await h5Module();
    const f = new h5wasm.File(path, "w", { libver: "v108", track_order: true });
    try {
      const d = f.create_dataset({
        name: "grid",
        data: ints(90 * 90, 13),
        shape: [90, 90],
        maxshape: [null, 90],
        chunks: [3, 3],
        compression: "gzip",
        track_order: true,
      });
      // Attributes added after creation do not fit in the header's first chunk: they go to a continuation.
      for (let i = 0; i < 8; i++) d.create_attribute(`note${i}`, "x".repeat(200));
    } finally {
      f.close();
    }
    expect(readFileSync(path)[8]).toBe(2);
    const table = chunkTable((await checkAllDatasets(path)).get("/grid")!);
    expect(table.indexType).toBe("btree-v1");
    expect(table.chunks).toHaveLength(900);
  });

  it("libver latest object header with a continuation block", async () => {
    const path = join(scratch, "latest-attrs.h5");
    const f = new h5wasm.File(path, "w", { libver: "latest" });
    try {
      const d = f.create_dataset({ name: "d", data: ints(64, 14), shape: [8, 8], chunks: [4, 4] });
      for (let i = 0; i < 8; i++) d.create_attribute(`note${i}`, "y".repeat(200));
    } finally {
      f.close();
    }
    expect(chunkTable((await checkAllDatasets(path)).get("/d")!).chunks).toHaveLength(4);
  });

  it("libver earliest (superblock 0, object header 1) with a deep v1 B-tree and a continuation message", async () => {
    const path = join(scratch, "earliest.h5");
    // HDF5 2.0 defaults to (v108, v200); a low bound of "earliest" gives superblock 0 and version 1 headers.
    const f = new h5wasm.File(path, "w", { libver: ["earliest", "v108"] });
    try {
      const d = f.create_dataset({ name: "deep", data: ints(150 * 150, 15), shape: [150, 150], chunks: [2, 2] });
      for (let i = 0; i < 8; i++) d.create_attribute(`note${i}`, "z".repeat(200));
    } finally {
      f.close();
    }
    expect(readFileSync(path)[8]).toBe(0);
    expect(chunkTable((await checkAllDatasets(path)).get("/deep")!).chunks).toHaveLength(75 * 75);
  });
});

describe("metadata reads stay few and small", () => {
  it("fetches the 256-chunk table of link_big.h5 in a handful of block reads", async () => {
    const path = join(CORPUS, "seeds/link/link_big.h5");
    const address = await withH5File(path, (f) => objectAddress(f.get("/big") as never));
    const source = new CountingSource(await LocalFileSource.open(path));
    try {
      const reader = await Hdf5StorageReader.open(source);
      const info = await reader.datasetStorage(address);
      expect(chunkTable(info).chunks).toHaveLength(256);
      console.log(`link_big.h5: ${source.reads} reads, ${source.bytes} bytes of ${await source.size()}`);
      // Superblock and object header share a block; each B-tree node is one read of one or two 4 KiB blocks.
      expect(source.reads).toBeLessThanOrEqual(6);
      expect(source.bytes).toBeLessThanOrEqual(40 * 1024);
    } finally {
      await source.close();
    }
  });
});

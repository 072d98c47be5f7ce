import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileSource, type ByteSource } from "../../src/hdf5/byte-source.js";
import { Hdf5FormatError, Hdf5StorageReader, type DatasetStorageInfo } from "../../src/hdf5/storage-info.js";
import { CORPUS } from "../helpers/paths.js";
import { assembleDataset, canDecode } from "./helpers/assemble-dataset.js";
import { listDatasets, objectAddress, readMemoryBytes, withH5File } from "./helpers/h5wasm-datasets.js";

const LINK_DIR = join(CORPUS, "seeds/link");
const HDF5_JSON_DIR = join(CORPUS, "hdf5-json/h5");

async function withReader<T>(path: string, use: (reader: Hdf5StorageReader) => Promise<T>): Promise<T> {
  const source = await LocalFileSource.open(path);
  try {
    return await use(await Hdf5StorageReader.open(source));
  } finally {
    await source.close();
  }
}

/** The `<file>.chunks.json` ground truth written by h5py's get_chunk_info (see corpus/seeds/README.md). */
interface ChunkTruth {
  libver: "earliest" | "latest";
  datasets: {
    path: string;
    dtype: string;
    shape: number[];
    maxshape: (number | null)[];
    chunks: number[] | null;
    filters: { id: number; flags: number; cd_values: number[] }[];
    fillvalue: number | null;
    layout: "H5D_CHUNKED" | "H5D_CONTIGUOUS";
    index_type?: string;
    chunk_table?: { chunk_index: number[]; byte_offset: number; size: number; filter_mask: number }[];
    contiguous?: { byte_offset: number; size: number };
  }[];
}

const INDEX_TYPES: Record<string, string> = {
  "v1 B-tree": "btree-v1",
  "Single Chunk": "single",
  Implicit: "implicit",
  "Fixed Array": "fixed-array",
  "Extensible Array": "extensible-array",
  "v2 B-tree": "btree-v2",
};

/** One element of a numpy dtype such as "<f8" as little-endian bytes. */
function encodeScalar(value: number, dtype: string): Uint8Array {
  const size = Number(dtype.slice(2));
  const view = new DataView(new ArrayBuffer(size));
  const kind = dtype[1];
  if (kind === "f") (size === 4 ? view.setFloat32 : view.setFloat64).call(view, 0, value, true);
  else if (size === 8) view.setBigInt64(0, BigInt(value), true);
  else if (kind === "i") ({ 1: view.setInt8, 2: view.setInt16, 4: view.setInt32 })[size]!.call(view, 0, value, true);
  else ({ 1: view.setUint8, 2: view.setUint16, 4: view.setUint32 })[size]!.call(view, 0, value, true);
  return new Uint8Array(view.buffer);
}

describe("link seeds: the chunk tables h5py reported", () => {
  const truthFiles = readdirSync(LINK_DIR).filter((f) => f.endsWith(".chunks.json"));

  it("has all eight seeds, in both superblock generations", () => {
    expect(truthFiles).toHaveLength(8);
    // Byte 8 is the superblock version: 0 for libver earliest, 2 or 3 for latest.
    const versions = new Set(truthFiles.map((f) => readFileSync(join(LINK_DIR, f.replace(".chunks.json", "")))[8]));
    expect([...versions].sort()).toEqual([0, 3]);
  });

  for (const truthFile of truthFiles) {
    const h5File = truthFile.replace(".chunks.json", "");
    it(`${h5File}: layout, filters, fill value and every chunk location`, async () => {
      const path = join(LINK_DIR, h5File);
      const truth = JSON.parse(readFileSync(join(LINK_DIR, truthFile), "utf8")) as ChunkTruth;
      const addresses = await withH5File(path, (f) => truth.datasets.map((d) => objectAddress(f.get(d.path) as never)));
      await withReader(path, async (reader) => {
        for (const [i, expected] of truth.datasets.entries()) {
          const info = await reader.datasetStorage(addresses[i]!);
          expect(info.shape).toEqual(expected.shape);
          expect(info.maxShape).toEqual(expected.maxshape);
          expect(info.elementSize).toBe(Number(expected.dtype.slice(2)));
          expect(info.filters.map((f) => ({ id: f.id, flags: f.flags, cd_values: f.cdValues }))).toEqual(
            expected.filters.map((f) => ({ id: f.id, flags: f.flags, cd_values: f.cd_values })),
          );
          if (expected.fillvalue === null) expect(info.fillValue).toBeUndefined();
          else expect(info.fillValue).toEqual(encodeScalar(expected.fillvalue, expected.dtype));
          if (expected.layout === "H5D_CONTIGUOUS") {
            expect(info.storage).toEqual({
              layout: "contiguous",
              address: expected.contiguous!.byte_offset,
              size: expected.contiguous!.size,
            });
          } else {
            expect(info.storage).toEqual({
              layout: "chunked",
              chunkShape: expected.chunks,
              indexType: INDEX_TYPES[expected.index_type!],
              chunks: expected.chunk_table!.map((c) => ({
                index: c.chunk_index,
                address: c.byte_offset,
                size: c.size,
                filterMask: c.filter_mask,
              })),
            });
          }
        }
      });
    });
  }
});

/** Swaps every `size`-byte element in place: file order to the little-endian order h5wasm reads into. */
function swapElements(bytes: Uint8Array, size: number): Uint8Array {
  for (let at = 0; at < bytes.length; at += size) bytes.subarray(at, at + size).reverse();
  return bytes;
}

const INTEGER = 0;
const FLOAT = 1;
const COMPOUND = 6;
const ENUM = 8;
const VLEN = 9;
const ARRAY = 10;

describe("hdf5-json corpus: the reported storage reassembles to what HDF5 reads", () => {
  const files = readdirSync(HDF5_JSON_DIR).filter((f) => f.endsWith(".h5") && f !== "notahdf5file.h5");
  const tally = { compared: 0, skipped: [] as string[] };

  for (const name of files) {
    it(name, async () => {
      const path = join(HDF5_JSON_DIR, name);
      const fileBytes = readFileSync(path);
      await withH5File(path, (h5) =>
        withReader(path, async (reader) => {
          for (const { path: dsetPath, address, metadata, dataset } of listDatasets(h5)) {
            const where = `${name}:${dsetPath}`;
            if (name === "h5ex_d_extern.h5") {
              await expect(reader.datasetStorage(address)).rejects.toThrow(/external files/);
              tally.skipped.push(`${where} (external raw data file)`);
              continue;
            }
            const info = await reader.datasetStorage(address);
            const vlen = metadata.vlen || metadata.type === VLEN;
            expect(info.shape, where).toEqual(metadata.shape ?? []);
            // A variable-length element is a 16-byte heap reference in the file but a pointer pair in memory.
            if (!vlen) expect(info.elementSize, where).toBe(metadata.size);
            const h5wasmFilters = dataset.filters.map((f) => [f.id, f.cd_values]);
            expect(info.filters.map((f) => [f.id, f.cdValues]), where).toEqual(h5wasmFilters);
            if (info.storage.layout === "chunked") expect(info.storage.chunkShape, where).toEqual(metadata.chunks);

            const skip = vlen
              ? "variable-length"
              : !canDecode(info.filters)
                ? "filter the test cannot undo"
                : !metadata.littleEndian && metadata.type === ENUM
                  ? "big-endian enum, which h5wasm cannot read"
                  : !metadata.littleEndian && [COMPOUND, ARRAY].includes(metadata.type)
                    ? "big-endian compound/array members"
                    : undefined;
            if (skip) {
              tally.skipped.push(`${where} (${skip})`);
              continue;
            }
            const assembled = assembleDataset(info, (at, size) => fileBytes.subarray(at, at + size));
            if (!metadata.littleEndian && [INTEGER, FLOAT].includes(metadata.type)) {
              swapElements(assembled, metadata.size);
            }
            const expected = await readMemoryBytes(h5, dsetPath, metadata);
            expect(Buffer.compare(assembled, expected), where).toBe(0);
            tally.compared++;
          }
        }),
      );
    });
  }

  it("compared nearly every dataset (this list says which were not)", () => {
    console.log(`hdf5-json corpus: ${tally.compared} datasets compared byte for byte`);
    console.log(`skipped: ${tally.skipped.join(", ")}`);
    expect(tally.compared).toBeGreaterThan(1000);
  });

  it("reports never-written datasets as unallocated", async () => {
    const storageOf = async (file: string, dset: string): Promise<DatasetStorageInfo> => {
      const path = join(HDF5_JSON_DIR, file);
      const address = await withH5File(path, (f) => objectAddress(f.get(dset) as never));
      return withReader(path, (reader) => reader.datasetStorage(address));
    };
    for (const dset of ["/dset1", "/dset2", "/dset3"]) {
      expect(await storageOf("dset_gzip.h5", dset)).toMatchObject({ storage: { layout: "chunked", chunks: [] } });
    }
    expect((await storageOf("dset_creationprop.h5", "/dset1")).storage).toStrictEqual({
      layout: "contiguous",
      address: undefined,
      size: 40,
    });
    expect((await storageOf("resizable.h5", "/unlimited_1d_zero")).storage).toMatchObject({ chunks: [] });
    expect((await storageOf("h5ex_d_fillval.h5", "/DS1")).fillValue).toEqual(encodeScalar(99, "<i4"));
  });
});

describe("bad input", () => {
  const scratch = mkdtempSync(join(tmpdir(), "hdf5-storage-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const openError = async (source: ByteSource) => {
    try {
      await Hdf5StorageReader.open(source);
    } catch (error) {
      return error;
    } finally {
      await source.close();
    }
    return undefined;
  };

  it("refuses a file that is not HDF5, naming it", async () => {
    const path = join(HDF5_JSON_DIR, "notahdf5file.h5");
    const error = await openError(await LocalFileSource.open(path));
    expect(error).toBeInstanceOf(Hdf5FormatError);
    expect((error as Error).message).toBe(`${path}: not an HDF5 file (no superblock signature at 0, 512, 1024, ...)`);
  });

  it("refuses truncated copies, whether the cut is in the superblock or far after it", async () => {
    for (const keep of [4, 30, 1000, 100_000]) {
      const path = join(scratch, `link_big-${keep}.h5`);
      copyFileSync(join(LINK_DIR, "link_big.h5"), path);
      truncateSync(path, keep);
      const error = await openError(await LocalFileSource.open(path));
      expect(error, `cut at ${keep}`).toBeInstanceOf(Hdf5FormatError);
      const expected = new RegExp(`^${path}: .*(truncated|not an HDF5 file)`);
      expect((error as Error).message, `cut at ${keep}`).toMatch(expected);
    }
  });

  it("fails clearly when the source delivers fewer bytes than it claims (a file cut while being read)", async () => {
    const path = join(LINK_DIR, "link_big.h5");
    const local = await LocalFileSource.open(path);
    const realSize = await local.size();
    const cutAt = 9000; // inside the chunk B-tree, after the superblock and the dataset's object header
    const shrinking: ByteSource = {
      name: basename(path),
      size: async () => realSize,
      read: async (offset, length) => (await local.read(offset, length)).subarray(0, Math.max(0, cutAt - offset)),
      close: () => local.close(),
    };
    const address = await withH5File(path, (f) => objectAddress(f.get("/big") as never));
    try {
      const reader = await Hdf5StorageReader.open(shrinking);
      const error = await reader.datasetStorage(address).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Hdf5FormatError);
      expect((error as Error).message).toMatch(
        /^link_big\.h5: v1 B-tree node at 0x[0-9a-f]+: read \d+ of \d+ bytes: truncated file\?$/,
      );
    } finally {
      await shrinking.close();
    }
  });

  it("fails clearly when the address is not a dataset's object header", async () => {
    await withReader(join(LINK_DIR, "link_small.h5"), async (reader) => {
      await expect(reader.datasetStorage(0)).rejects.toThrow(Hdf5FormatError);
      await expect(reader.datasetStorage(10_000_000)).rejects.toThrow(/beyond the end of the file/);
    });
  });
});

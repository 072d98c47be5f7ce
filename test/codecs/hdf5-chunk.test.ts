import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { inflateSync } from "node:zlib";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BitshuffleCodec } from "../../src/codecs/bitshuffle.js";
import { FilterError } from "../../src/codecs/codec.js";
import { hsdsFilterToHdf5, type HsdsFilter } from "../../src/codecs/filters.js";
import { hdf5ChunkDecoder, hdf5ChunkEncoder, type Hdf5Filter } from "../../src/codecs/hdf5-chunk.js";
import { CORPUS } from "../helpers/paths.js";
import { asNumbers, numpyType, randomBytes, readJson, readNumbers, structuredBytes } from "./helpers.js";

type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

beforeAll(async () => {
  const module = await h5wasm.ready;
  const pluginDir = join(dirname(createRequire(import.meta.url).resolve("h5wasm-plugins")), "plugins");
  module.insert_plugin_search_path(pluginDir, 0);
});

interface SeedDataset {
  path: string;
  dtype: string;
  shape: number[];
  chunks: number[] | null;
  filters: Array<{ id: number; name: string; flags: number; cd_values: number[] }>;
  chunk_table?: Array<{ logical_offset: number[]; filter_mask: number; byte_offset: number; size: number }>;
}

const LINK_DIR = join(CORPUS, "seeds", "link");
const seedFiles = readdirSync(LINK_DIR).filter((f) => f.endsWith(".h5"));

describe("decoding chunks inside HDF5 files (link seeds, HDF5 1.10.8)", () => {
  it.each(seedFiles)("%s: every allocated chunk decodes to what h5wasm reads there", async (file) => {
    const seed = readJson(join(LINK_DIR, `${file}.chunks.json`)) as { datasets: SeedDataset[] };
    const bytes = new Uint8Array(readFileSync(join(LINK_DIR, file)));
    const h5 = new h5wasm.File(join(LINK_DIR, file), "r");
    try {
      for (const ds of seed.datasets.filter((d) => d.chunk_table)) {
        const type = numpyType(ds.dtype);
        const chunkDims = ds.chunks!;
        const decoder = hdf5ChunkDecoder(
          ds.filters.map((f) => ({ id: f.id, name: f.name, flags: f.flags, cdValues: f.cd_values })),
          { itemSize: type.size, chunkBytes: chunkDims.reduce((a, b) => a * b, type.size) },
        );
        const expected = asNumbers((h5.get(ds.path) as H5Dataset).value);
        for (const row of ds.chunk_table!) {
          const stored = bytes.subarray(row.byte_offset, row.byte_offset + row.size);
          const chunk = readNumbers(await decoder.decode(stored, row.filter_mask), type);
          const mismatches = compareChunk(chunk, chunkDims, row.logical_offset, ds.shape, expected);
          expect(mismatches, `${ds.path} chunk at ${row.logical_offset}`).toEqual([]);
        }
      }
    } finally {
      h5.close();
    }
  });

  it("skips the filters whose bit is set in the chunk's filter mask", async () => {
    const seed = readJson(join(LINK_DIR, "link_big.h5.chunks.json")) as { datasets: SeedDataset[] };
    const row = seed.datasets[0]!.chunk_table![0]!;
    const stored = new Uint8Array(readFileSync(join(LINK_DIR, "link_big.h5"))).subarray(row.byte_offset, row.byte_offset + row.size);
    const shuffled = new Uint8Array(inflateSync(stored));
    const pipeline: Hdf5Filter[] = [{ id: 2, flags: 1, cdValues: [4] }, { id: 1, flags: 1, cdValues: [4] }];
    const ctx = { itemSize: 4, chunkBytes: 16 * 16 * 4 };
    const whole = await hdf5ChunkDecoder(pipeline, ctx).decode(stored);
    expect(await hdf5ChunkDecoder(pipeline, ctx).decode(shuffled, 0b10)).toEqual(whole);
    expect(await hdf5ChunkDecoder(pipeline, ctx).decode(whole, 0b11)).toEqual(whole);
  });
});

/** Elements of a decoded chunk that differ from the dataset values at their place (edge padding ignored). */
function compareChunk(chunk: number[], chunkDims: number[], origin: number[], shape: number[], expected: number[]): string[] {
  const mismatches: string[] = [];
  chunk.forEach((value, flat) => {
    let rest = flat;
    let target = 0;
    for (let d = chunkDims.length - 1, stride = 1; d >= 0; d--) {
      const coord = origin[d]! + (rest % chunkDims[d]!);
      rest = Math.floor(rest / chunkDims[d]!);
      if (coord >= shape[d]!) return;
      target += coord * stride;
      stride *= shape[d]!;
    }
    if (!Object.is(value, expected[target])) mismatches.push(`element ${target}: ${value} != ${expected[target]}`);
  });
  return mismatches.slice(0, 5);
}

describe("HDF5 pipeline encoder", () => {
  const pipelines: Array<[string, Hdf5Filter[]]> = [
    ["shuffle + deflate", [{ id: 2, flags: 1, cdValues: [8] }, { id: 1, flags: 1, cdValues: [6] }]],
    ["fletcher32 + shuffle + deflate", [{ id: 3, flags: 0, cdValues: [] }, { id: 2, flags: 1, cdValues: [] }, { id: 1, flags: 1, cdValues: [9] }]],
    ["blosc zstd with bitshuffle", [{ id: 32001, flags: 1, cdValues: [2, 2, 8, 0, 5, 2, 5] }]],
    ["lz4", [{ id: 32004, flags: 1, cdValues: [0] }]],
    ["bitshuffle lz4", [{ id: 32008, flags: 1, cdValues: [0, 4, 8, 0, 2] }]],
    ["bitshuffle, 64-element blocks", [{ id: 32008, flags: 1, cdValues: [0, 4, 8, 64, 0] }]],
    ["zstd + fletcher32", [{ id: 32015, flags: 1, cdValues: [5] }, { id: 3, flags: 0, cdValues: [] }]],
  ];
  const raw = structuredBytes(3003, 8);
  const ctx = { itemSize: 8, chunkBytes: raw.length };

  it.each(pipelines)("round-trips through %s", async (_label, filters) => {
    const encoded = await hdf5ChunkEncoder(filters, ctx).encode(raw);
    expect(await hdf5ChunkDecoder(filters, ctx).decode(encoded)).toEqual(raw);
  });

  it("rejects chunks that decode to the wrong size", async () => {
    const filters: Hdf5Filter[] = [{ id: 1, flags: 1, cdValues: [4] }];
    const encoded = await hdf5ChunkEncoder(filters, ctx).encode(raw.subarray(8));
    await expect(hdf5ChunkDecoder(filters, ctx).decode(encoded)).rejects.toThrow(`HDF5 chunk decoded to ${raw.length - 8} bytes, expected ${raw.length}`);
  });

  it("names the HDF5 filters it cannot undo", () => {
    const build = (filter: Hdf5Filter) => () => hdf5ChunkDecoder([filter], ctx);
    expect(build({ id: 32000, name: "lzf", flags: 1, cdValues: [] })).toThrow(FilterError);
    expect(build({ id: 32000, name: "lzf", flags: 1, cdValues: [] })).toThrow("HDF5 filter 32000 (lzf) is not supported");
    expect(build({ id: 4, flags: 1, cdValues: [] })).toThrow("HDF5 filter 4 (unnamed) is not supported");
    expect(build({ id: 32008, name: "bitshuffle", flags: 1, cdValues: [0, 4, 8, 0, 3] })).toThrow(/HDF5 filter 32008 \(bitshuffle\) is not supported/);
  });
});

// Files written here by h5wasm with the plugins of h5wasm-plugins (the HDF Group's plugin sources;
// its Blosc build lacks zlib and snappy, so those two Blosc codecs are covered by blosc.test.ts only).
// Until the chunk-index reader of src/hdf5 is wired in, each file holds one chunk, which HDF5 writes
// after all metadata, so it is found from its own header (or its known bytes) and runs to the end.
describe("decoding chunks written by the HDF5 filter plugins (h5wasm-plugins)", () => {
  const workDir = mkdtempSync(join(tmpdir(), "codecs-plugins-"));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  const count = 1003; // not a multiple of 8 elements, nor of any block size
  const samples = {
    "<d": { itemSize: 8, data: new Float64Array(structuredBytes(count, 8).buffer) },
    "<h": { itemSize: 2, data: new Int16Array(structuredBytes(count, 2).buffer) },
  } as const;

  function writeWithPlugin(name: string, dtype: keyof typeof samples, id: number, cdValues: number[]) {
    const { itemSize, data } = samples[dtype];
    const file = join(workDir, `${name}.h5`);
    const out = new h5wasm.File(file, "w");
    out.create_dataset({ name: "d", data, shape: [count], dtype, chunks: [count], compression: id, compression_opts: cdValues });
    out.close();
    const back = new h5wasm.File(file, "r");
    try {
      const dataset = back.get("d") as H5Dataset;
      const raw = new Uint8Array(data.buffer);
      expect(new Uint8Array((dataset.value as Float64Array | Int16Array).buffer), `${name} as read by the plugin`).toEqual(raw);
      const filters: Hdf5Filter[] = dataset.filters.map((f) => ({ id: f.id, name: f.name, flags: 1, cdValues: f.cd_values }));
      return { raw, filters, file: new Uint8Array(readFileSync(file)), ctx: { itemSize, chunkBytes: raw.length } };
    } finally {
      back.close();
    }
  }

  const FILTER_ENTRIES: Array<[string, HsdsFilter]> = [
    ["lz4 (32004)", { class: "H5Z_FILTER_USER", name: "lz4", id: 32004 }],
    ["zstd (32015)", { class: "H5Z_FILTER_ZSTD", id: 32015, name: "zstd", level: 9 }],
    ["blosc blosclz (32001)", { class: "H5Z_FILTER_USER", name: "blosclz", id: 32001 }],
    ["blosc lz4hc (32001)", { class: "H5Z_FILTER_LZ4HC", id: 32005, name: "lz4hc" }],
    ["bitshuffle lz4 (32008)", { class: "H5Z_FILTER_BITSHUFFLE", id: 32008, name: "bitshuffle" }],
  ];

  it.each(FILTER_ENTRIES)("writes HSDS's %s with hsdsFilterToHdf5's cd_values and decodes the plugin's chunk", async (name, entry) => {
    const { filter } = hsdsFilterToHdf5(entry);
    const written = writeWithPlugin(name, "<d", filter!.id, filter!.cdValues);
    expect(written.filters.map((f) => f.id)).toEqual([filter!.id]);
    const decoded = await hdf5ChunkDecoder(written.filters, written.ctx).decode(singleChunk(written.file, written.filters[0]!, written.ctx.chunkBytes));
    expect(decoded).toEqual(written.raw);
  });

  it.each([
    ["blosc lz4 with Blosc's bit shuffle", "<d", 32001, [0, 0, 0, 0, 5, 2, 1]],
    ["blosc zstd with Blosc's byte shuffle", "<h", 32001, [0, 0, 0, 0, 5, 1, 5]],
    ["bitshuffle lz4, 64-element blocks", "<d", 32008, [64, 2]],
    ["bitshuffle lz4, 2-byte elements", "<h", 32008, [0, 2]],
  ] as const)("decodes %s", async (name, dtype, id, cdValues) => {
    const written = writeWithPlugin(name, dtype, id, [...cdValues]);
    const decoded = await hdf5ChunkDecoder(written.filters, written.ctx).decode(singleChunk(written.file, written.filters[0]!, written.ctx.chunkBytes));
    expect(decoded).toEqual(written.raw);
  });

  it.each([
    ["default blocks", "<d", [0, 0]],
    ["64-element blocks", "<d", [64, 0]],
    ["2-byte elements", "<h", [0, 0]],
  ] as const)("writes uncompressed bitshuffle (%s) byte for byte as the plugin does", async (name, dtype, cdValues) => {
    const written = writeWithPlugin(`bitshuffle ${name}`, dtype, 32008, [...cdValues]);
    const cd = written.filters[0]!.cdValues;
    const ours = await new BitshuffleCodec({ compression: "none", elementSize: cd[2], blockSize: cd[3] }).encode(written.raw, written.ctx);
    expect(Buffer.from(written.file).indexOf(ours), "our bytes inside the plugin's file").toBeGreaterThan(0);
    expect(await hdf5ChunkDecoder(written.filters, written.ctx).decode(ours)).toEqual(written.raw);
  });

  it("refuses bitshuffle with zstd, which it does not implement", () => {
    const written = writeWithPlugin("bitshuffle zstd", "<d", 32008, [0, 3]);
    expect(() => hdf5ChunkDecoder(written.filters, written.ctx)).toThrow(/HDF5 filter 32008 .* is not supported/);
  });
});

/** The one chunk of a plugin-written file, located by its framing (see the note above the suite). */
function singleChunk(file: Uint8Array, filter: Hdf5Filter, chunkBytes: number): Uint8Array {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.length);
  const sizeBE = Buffer.alloc(8);
  sizeBE.writeBigUInt64BE(BigInt(chunkBytes));
  const sizeLE = Buffer.alloc(4);
  sizeLE.writeUInt32LE(chunkBytes);
  let start: number;
  switch (filter.id) {
    case 32004:
    case 32008:
      start = bytes.indexOf(sizeBE);
      break;
    case 32015:
      start = bytes.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
      break;
    case 32001: {
      start = -1;
      // Header: version 2, …, nbytes at 4, cbytes at 12 reaching the end of the file.
      for (let at = bytes.indexOf(sizeLE); at >= 4 && start < 0; at = bytes.indexOf(sizeLE, at + 1)) {
        if (bytes[at - 4] === 2 && at + 12 <= bytes.length && at - 4 + bytes.readUInt32LE(at + 8) === bytes.length) start = at - 4;
      }
      break;
    }
    default:
      throw new Error(`no chunk signature for filter ${filter.id}`);
  }
  if (start < 0) throw new Error(`chunk of filter ${filter.id} not found`);
  return file.subarray(start);
}

describe("random data through every HDF5 codec", () => {
  it.each([
    [{ id: 32004, flags: 1, cdValues: [] }],
    [{ id: 32015, flags: 1, cdValues: [] }],
    [{ id: 32001, flags: 1, cdValues: [2, 2, 4, 0, 9, 1, 1] }],
    [{ id: 32008, flags: 1, cdValues: [0, 4, 4, 0, 2] }],
    [{ id: 1, flags: 1, cdValues: [1] }],
  ] as Array<[Hdf5Filter]>)("round-trips incompressible bytes through filter %j", async (filter) => {
    const raw = randomBytes(40_000, filter.id);
    const ctx = { itemSize: 4, chunkBytes: raw.length };
    expect(await hdf5ChunkDecoder([filter], ctx).decode(await hdf5ChunkEncoder([filter], ctx).encode(raw))).toEqual(raw);
  });
});

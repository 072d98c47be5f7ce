import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync, inflateSync } from "node:zlib";
import h5wasm from "h5wasm/node";
import { beforeAll, describe, expect, it } from "vitest";
import { BitshuffleCodec } from "../../src/codecs/bitshuffle.js";
import { BloscCodec, decodeBloscFrame, isBloscFrame } from "../../src/codecs/blosc.js";
import type { HsdsFilter } from "../../src/codecs/filters.js";
import { hsdsChunkPipeline } from "../../src/codecs/hsds-chunk.js";
import { shuffleBytes } from "../../src/codecs/shuffle.js";
import { CORPUS } from "../helpers/paths.js";
import {
  asNumbers,
  asStored,
  goldenDatasets,
  hsdsNumericType,
  randomBytes,
  readNumbers,
  structuredBytes,
  type GoldenDataset,
} from "./helpers.js";

beforeAll(async () => {
  await h5wasm.ready;
});

interface DecodedDataset {
  /** Element values inside the dataset's extent, C order. */
  values: number[];
  /** Element values of stored chunks that lie beyond the extent. */
  beyondExtent: number[];
  fill: number;
}

/** Reads a golden dataset the way the engine will: decode every chunk object, place its elements. */
async function decodeGoldenDataset(ds: GoldenDataset): Promise<DecodedDataset> {
  const type = hsdsNumericType(ds.json.type)!;
  const dims = (ds.json.shape as { dims: number[] }).dims;
  const chunkDims = (ds.json.layout as { dims: number[] }).dims;
  const props = (ds.json.creationProperties ?? {}) as { filters?: HsdsFilter[]; fillValue?: number };
  const fill = asStored(props.fillValue ?? 0, type);
  const chunkElements = chunkDims.reduce((a, b) => a * b, 1);
  const pipeline = hsdsChunkPipeline(props.filters ?? [], { itemSize: type.size, chunkBytes: chunkElements * type.size, variableLength: false });
  const values: number[] = new Array(dims.reduce((a, b) => a * b, 1)).fill(fill);
  const beyondExtent: number[] = [];
  for (const name of readdirSync(ds.dir).filter((n) => /^\d+(_\d+)*$/.test(n))) {
    const chunkIndex = name.split("_").map(Number);
    const chunk = readNumbers(await pipeline.decode(new Uint8Array(readFileSync(join(ds.dir, name)))), type);
    chunk.forEach((value, flat) => {
      let rest = flat;
      let target = 0;
      let inside = true;
      for (let d = chunkDims.length - 1, stride = 1; d >= 0; d--) {
        const coord = chunkIndex[d]! * chunkDims[d]! + (rest % chunkDims[d]!);
        rest = Math.floor(rest / chunkDims[d]!);
        inside &&= coord < dims[d]!;
        target += coord * stride;
        stride *= dims[d]!;
      }
      if (inside) values[target] = value;
      else beyondExtent.push(value);
    });
  }
  return { values, beyondExtent, fill };
}

/** What the sources hold at `path`: one file's values, or the files' values one after another (appends). */
function sourceValues(sources: string[], path: string, count: number): number[] {
  const perFile = sources.map((file) => {
    const f = new h5wasm.File(join(CORPUS, file), "r");
    try {
      return asNumbers((f.get(path) as InstanceType<typeof h5wasm.Dataset>).value);
    } finally {
      f.close();
    }
  });
  const stacked = perFile.flat();
  return stacked.length === count ? stacked : perFile[perFile.length - 1]!;
}

const days = [1, 2, 3, 4, 5].map((d) => `seeds/ncep3/GSSTF_NCEP.3.1987.07.0${d}.he5`);
const GOLDEN_DOMAINS = [
  { domain: "tall.h5 (big-endian, no filters)", prefix: "431e4465-47c6da7b", sources: ["hdf5-json/h5/tall.h5"], datasets: 4 },
  { domain: "h5ex_d_shuffle.h5 (shuffle + gzip 9)", prefix: "6a9be555-2a5dc0ba", sources: ["hdf5-json/h5/h5ex_d_shuffle.h5"], datasets: 1 },
  { domain: "ncep3.h5 (shuffle + gzip 1, five appends)", prefix: "cfc18c5f-c5e06de5", sources: days, datasets: 4 },
  { domain: "imerg.h5 (gzip 4, chunks beyond the extent)", prefix: "b0b38a15-e6ec3d00", sources: ["0000", "0030", "0100", "0130"].map((t) => `seeds/imerg/imerg_${t}.h5`), datasets: 9 },
  { domain: "resizable.h5 (int64, chunks beyond the extent)", prefix: "921989a9-5e356c1a", sources: ["hdf5-json/h5/resizable.h5"], datasets: 6 },
  { domain: "dim_scale.h5", prefix: "e2f3716b-934071f8", sources: ["hdf5-json/h5/dim_scale.h5"], datasets: 4 },
  { domain: "concat.h5 (three appends)", prefix: "09ede26f-cd5e1346", sources: [1, 2, 3].map((n) => `seeds/concat/file${n}.h5`), datasets: 1 },
];

describe("decoding chunks HSDS 0.9.4 wrote (golden store)", () => {
  it.each(GOLDEN_DOMAINS)("$domain: every numeric dataset equals its source", async ({ prefix, sources, datasets }) => {
    const numeric = goldenDatasets(prefix).filter((ds) => hsdsNumericType(ds.json.type));
    expect(numeric).toHaveLength(datasets);
    for (const ds of numeric) {
      const decoded = await decodeGoldenDataset(ds);
      expect(decoded.values, ds.path).toEqual(sourceValues(sources, ds.path, decoded.values.length));
      expect(decoded.beyondExtent.every((v) => Object.is(v, decoded.fill)), `${ds.path} holds fill beyond its extent`).toBe(true);
    }
  });

  it("finds the edge of imerg's precipitation chunk filled with its fill value", async () => {
    const precip = goldenDatasets("b0b38a15-e6ec3d00").find((ds) => ds.path === "/Grid/precipitationCal")!;
    const decoded = await decodeGoldenDataset(precip);
    expect(decoded.beyondExtent).toHaveLength((512 - 4) * 36 * 18);
    expect(decoded.fill).toBe(Math.fround(-9999.9));
  });

  it("reads gzip chunks that HSDS stored as Blosc frames with zlib inside", () => {
    const field = goldenDatasets("cfc18c5f-c5e06de5").find((ds) => ds.path.endsWith("/SST"))!;
    const frame = new Uint8Array(readFileSync(join(field.dir, "0_0_0")));
    expect(isBloscFrame(frame)).toBe(true);
    expect(frame[2]! >> 5).toBe(3); // zlib
  });
});

const SHUFFLE: HsdsFilter = { class: "H5Z_FILTER_SHUFFLE", id: 2, name: "shuffle" };
const BITSHUFFLE: HsdsFilter = { class: "H5Z_FILTER_BITSHUFFLE", id: 32008, name: "bitshuffle" };
const GZIP: HsdsFilter = { class: "H5Z_FILTER_DEFLATE", id: 1, level: 6, name: "gzip" };
const user = (name: string, id: number, level?: number): HsdsFilter => ({ class: "H5Z_FILTER_USER", name, id, ...(level === undefined ? {} : { level }) });

describe("writing chunks HSDS reads back", () => {
  const itemSize = 4;
  const raw = structuredBytes(4099, itemSize);
  const ctx = { itemSize, chunkBytes: raw.length, variableLength: false };
  const encodeWith = (filters: HsdsFilter[]) => hsdsChunkPipeline(filters, ctx).encode(raw);

  it.each([
    ["no filters", []],
    ["shuffle", [SHUFFLE]],
    ["gzip", [GZIP]],
    ["shuffle + gzip", [SHUFFLE, GZIP]],
    ["user gzip", [user("gzip", 1, 3)]],
    ["lz4", [user("lz4", 32004)]],
    ["shuffle + blosclz", [SHUFFLE, user("blosclz", 32001, 9)]],
    ["shuffle + lz4hc", [SHUFFLE, user("lz4hc", 32005)]],
    ["zstd", [{ class: "H5Z_FILTER_ZSTD", id: 32015, name: "zstd" }]],
    ["snappy", [user("snappy", 32003)]],
    ["bitshuffle", [BITSHUFFLE]],
    ["bitshuffle + zstd", [BITSHUFFLE, user("zstd", 32015)]],
    ["bitshuffle + gzip", [BITSHUFFLE, GZIP]],
    ["fletcher32 + scaleoffset + gzip", [{ class: "H5Z_FILTER_FLETCHER32", id: 3, name: "fletcher32" }, { class: "H5Z_FILTER_SCALEOFFSET", id: 6, name: "scaleoffset" }, GZIP]],
  ] as Array<[string, HsdsFilter[]]>)("round-trips with %s", async (_label, filters) => {
    const pipeline = hsdsChunkPipeline(filters, ctx);
    expect(await pipeline.decode(await pipeline.encode(raw))).toEqual(raw);
  });

  it("stores raw bytes without filters, and with filters HSDS only records", async () => {
    expect(await encodeWith([])).toEqual(raw);
    expect(await encodeWith([{ class: "H5Z_FILTER_SCALEOFFSET", id: 6, name: "scaleoffset" }, GZIP])).toEqual(raw);
    expect(await encodeWith([user("deflate", 1)])).toEqual(raw);
  });

  it("byte-shuffles shuffle-only chunks, which is what HSDS's reader expects", async () => {
    expect(await encodeWith([SHUFFLE])).toEqual(shuffleBytes(raw, itemSize));
  });

  it("writes gzip as a plain zlib stream of the (shuffled) bytes, like HDF5", async () => {
    const encoded = await encodeWith([SHUFFLE, GZIP]);
    expect(isBloscFrame(encoded)).toBe(false);
    expect(new Uint8Array(inflateSync(encoded))).toEqual(shuffleBytes(raw, itemSize));
  });

  it("writes other compressors as Blosc frames of that codec, shuffling inside Blosc", async () => {
    const encoded = await encodeWith([SHUFFLE, user("lz4", 32004, 9)]);
    expect(isBloscFrame(encoded)).toBe(true);
    expect(encoded[2]! >> 5).toBe(1); // lz4
    expect(encoded[2]! & 1).toBe(1); // byte shuffle
    expect(await decodeBloscFrame(encoded)).toEqual(raw);
  });

  it("writes bitshuffle as HSDS's stream (2048-element blocks), in a Blosc frame when compressed", async () => {
    const plain = await encodeWith([BITSHUFFLE]);
    const view = new DataView(plain.buffer, plain.byteOffset, plain.length);
    expect(view.getBigUint64(0)).toBe(BigInt(raw.length));
    expect(view.getUint32(8)).toBe(2048 * itemSize);
    const framed = await encodeWith([BITSHUFFLE, user("zstd", 32015)]);
    expect(framed[2]! & 0x05).toBe(0); // no Blosc shuffle of either kind
    expect(await decodeBloscFrame(framed)).toEqual(plain);
  });
});

describe("reading chunks the way HSDS's _uncompress does", () => {
  const itemSize = 8;
  const raw = structuredBytes(1000, itemSize);
  const ctx = { itemSize, chunkBytes: raw.length, variableLength: false };

  it("decodes any Blosc frame, whatever compressor the dataset names", async () => {
    const frame = await new BloscCodec({ cname: "zstd", clevel: 3, shuffle: 0 }).encode(raw);
    expect(await hsdsChunkPipeline([GZIP], ctx).decode(frame)).toEqual(raw);
    expect(await hsdsChunkPipeline([user("lz4", 32004)], ctx).decode(frame)).toEqual(raw);
  });

  it("takes the byte shuffle as done inside a Blosc frame", async () => {
    const unshuffledFrame = await new BloscCodec({ cname: "lz4", clevel: 5, shuffle: 0 }).encode(raw);
    expect(await hsdsChunkPipeline([SHUFFLE, GZIP], ctx).decode(unshuffledFrame)).toEqual(raw);
  });

  it("falls back to zlib only for gzip datasets", async () => {
    const zlibStream = new Uint8Array(deflateSync(shuffleBytes(raw, itemSize)));
    expect(await hsdsChunkPipeline([SHUFFLE, GZIP], ctx).decode(zlibStream)).toEqual(raw);
    await expect(hsdsChunkPipeline([user("zstd", 32015)], ctx).decode(zlibStream)).rejects.toThrow(/not a Blosc frame, so its zstd compression cannot be undone/);
  });

  it("reads HDF5-style bitshuffle streams (linked chunks) without a compressor", async () => {
    const stream = await new BitshuffleCodec({ compression: "lz4" }).encode(raw, ctx);
    expect(await hsdsChunkPipeline([BITSHUFFLE], ctx).decode(stream)).toEqual(raw);
  });

  it("never unshuffles variable-length data and does not check its size", async () => {
    const vlen = randomBytes(999, 4);
    const pipeline = hsdsChunkPipeline([SHUFFLE, GZIP], { itemSize: 128, chunkBytes: 0, variableLength: true });
    const encoded = await pipeline.encode(vlen);
    expect(new Uint8Array(inflateSync(encoded))).toEqual(vlen);
    expect(await pipeline.decode(encoded)).toEqual(vlen);
  });

  it("rejects chunks of the wrong decoded size, naming both sizes", async () => {
    const pipeline = hsdsChunkPipeline([], { ...ctx, chunkBytes: raw.length + 8 });
    await expect(pipeline.decode(raw)).rejects.toThrow(`HSDS chunk decoded to ${raw.length} bytes, expected ${raw.length + 8}`);
    await expect(pipeline.encode(raw)).rejects.toThrow(/HSDS chunk to encode has/);
    const stream = await hsdsChunkPipeline([BITSHUFFLE], ctx).encode(raw);
    await expect(hsdsChunkPipeline([BITSHUFFLE], { ...ctx, chunkBytes: raw.length * 2 }).decode(stream)).rejects.toThrow(/expected/);
  });
});

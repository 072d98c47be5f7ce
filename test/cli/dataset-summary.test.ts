import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { datasetClassName, datasetSummary, linkedUsageOfTable, numpyItemSize } from "../../src/cli/browse/dataset-summary.js";
import type { DatasetInfo, DomainInfo } from "../../src/client/hsds-types.js";
import { normalizeType } from "../../src/model/datatype.js";
import { CORPUS, GOLDEN } from "../helpers/paths.js";
import { restBody } from "./golden-rest.js";

const compressors = restBody<DomainInfo>("tall/domain.json").compressors!;

/** A dataset's JSON as stored in golden/hsds-store (what GET /datasets/{id} is made from). */
function storedDataset(id: string): DatasetInfo {
  const [, a, b, ...rest] = id.split("-");
  const path = join(GOLDEN, "hsds-store", "hsdstest", "db", `${a}-${b}`, "d", rest.join("-"), ".dataset.json");
  return JSON.parse(readFileSync(path, "utf8")) as DatasetInfo;
}

/** The source file's own chunk table, as h5py reported it (corpus/seeds/link/*.chunks.json). */
function sourceChunks(file: string): { offset: number; size: number }[] {
  const doc = JSON.parse(readFileSync(join(CORPUS, "seeds", "link", `${file}.chunks.json`), "utf8"));
  return doc.datasets[0].chunk_table.map((c: { byte_offset: number; size: number }) => ({ offset: c.byte_offset, size: c.size }));
}

describe("numpy item sizes", () => {
  it("counts variable-length parts as 8-byte object pointers", () => {
    expect(numpyItemSize(normalizeType({ class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" }))).toBe(8);
    expect(numpyItemSize(normalizeType({ class: "H5T_STRING", length: 6, charSet: "H5T_CSET_ASCII" }))).toBe(6);
    const compound = storedDataset("d-7af4e758-920eb637-9d46-55ad86-9980f4");
    expect(numpyItemSize(normalizeType(compound.type))).toBe(2592 / 72);
  });
});

describe("datasetSummary", () => {
  it("reads a plain chunked dataset like hsls -v (tall.h5 /g1/g1.1/dset1.1.1)", () => {
    const summary = datasetSummary(restBody<DatasetInfo>("tall/dataset_dset1.1.1.json"), compressors, { allocated: { count: 1, bytes: 400 } });
    expect(summary).toEqual({
      shape: [10, 10],
      maxshape: [10, 10],
      type: ">i4",
      storage: { layoutClass: "H5D_CHUNKED", chunkDims: [10, 10], chunkBytes: 400, maxChunks: 1, logicalBytes: 400, usage: { kind: "allocated", count: 1, bytes: 400 } },
      filters: { shuffle: false, compression: undefined, options: undefined },
    });
  });

  it("reports shuffle and the compressor with its level (dset_gzip.h5 /dset2)", () => {
    const summary = datasetSummary(storedDataset("d-b932b16a-e28020d0-c9e1-339728-5352a5"), compressors);
    expect(summary.filters).toEqual({ shuffle: true, compression: "gzip", options: "9" });
    expect(summary.storage?.usage).toBeUndefined();
  });

  it("marks unlimited dimensions and counts the chunk grid (resizable.h5 /unlimited_2d)", () => {
    const summary = datasetSummary(storedDataset("d-921989a9-5e356c1a-e669-79e0e6-1010d7"), compressors);
    expect(summary.maxshape).toEqual([10, null]);
    expect(summary.storage).toMatchObject({ chunkDims: [10, 20480], chunkBytes: 1638400, maxChunks: 1, logicalBytes: 800 });
  });

  it("shows scalar and null dataspaces", () => {
    const scalar = datasetSummary(storedDataset("d-cfc18c5f-c5e06de5-8d73-b39b48-6c7e6e"), compressors);
    expect(scalar.shape).toEqual([]);
    expect(scalar.storage).toMatchObject({ chunkDims: [1], chunkBytes: 2048, maxChunks: 1 });
    const empty = datasetSummary(storedDataset("d-e792cda5-97829358-c403-0aa43b-805cd4"), compressors);
    expect(empty.shape).toBeNull();
    expect(empty.storage).toBeUndefined();
  });

  it("counts the linked chunks of an INDIRECT layout from its chunk table, per HDF5 chunk", () => {
    const table = sourceChunks("link_big.h5");
    const summary = datasetSummary(restBody<DatasetInfo>("link_big/dataset_big.json"), compressors, { chunkTable: table });
    expect(summary.storage).toEqual({
      layoutClass: "H5D_CHUNKED_REF_INDIRECT",
      chunkDims: [16, 16],
      chunkBytes: 1024,
      maxChunks: 256,
      logicalBytes: 262144,
      usage: { kind: "linked", count: 256, bytes: 193066 },
    });
  });

  it("counts the linked chunks of H5D_CHUNKED_REF and H5D_CONTIGUOUS_REF layouts from the layout itself", () => {
    const small = datasetSummary(restBody<DatasetInfo>("link_big/other_link_small_dataset.json"), compressors);
    expect(small.storage).toMatchObject({ layoutClass: "H5D_CHUNKED_REF", chunkDims: [20, 20], maxChunks: 4, usage: { kind: "linked", count: 4, bytes: 2571 } });
    const contig = datasetSummary(restBody<DatasetInfo>("link_big/other_link_contig_dataset.json"), compressors);
    expect(contig.storage).toMatchObject({ layoutClass: "H5D_CONTIGUOUS_REF", maxChunks: 1, usage: { kind: "linked", count: 1, bytes: 40000 } });
  });

  it("skips unallocated chunk-table entries", () => {
    expect(linkedUsageOfTable([{ offset: 4096, size: 10 }, { offset: 0, size: 0 }, { offset: 5000, size: 0 }])).toEqual({ kind: "linked", count: 1, bytes: 10 });
  });

  it("calls one-dimensional compound datasets Tables", () => {
    expect(datasetClassName(storedDataset("d-7af4e758-920eb637-9d46-55ad86-9980f4"))).toBe("Table");
    expect(datasetClassName(restBody<DatasetInfo>("tall/dataset_dset1.1.1.json"))).toBe("Dataset");
  });
});

// Chunk tables of linked datasets: rows for every chunk index type against h5py's ground truth, the binary form
// HSDS reads (against the table the real HSDS stored for link_big), and the pieces -a / --extend use.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LayoutJson } from "../../src/client/hsds-types.js";
import type { DatasetStorageInfo } from "../../src/hdf5/storage-info.js";
import { normalizeType } from "../../src/model/datatype.js";
import { decodeElements } from "../../src/model/values.js";
import {
  chunkRefsOf,
  chunkTableType,
  encodeChunkTable,
  extendedTableBlock,
  LinkTableError,
  refsOfLinkedLayout,
  sharedTableLayout,
  sharedTableProblem,
  type SourceChunkRefs,
  stackedTableBlock,
  stackedTableShape,
} from "../../src/loader/link-table.js";
import { goldenDatasets, goldenLinked, linkSeeds, seedStorage, truthRefs } from "./helpers/link-seeds.js";

const seeds = linkSeeds();

describe("chunkRefsOf: one entry per HDF5 chunk, as h5py's get_chunk_info reports them", () => {
  it.each(seeds.filter((s) => s.truth.chunks !== null).map((s) => [s.file, s] as const))("%s", async (_file, { file, truth }) => {
    const refs = chunkRefsOf(await seedStorage(file, truth.path));
    expect(refs.chunk).toEqual(truth.chunks);
    expect(refs.grid).toEqual(truth.chunk_grid);
    expect(refs.refs).toEqual(truthRefs(truth));
  });

  it("covers every chunk index type, unwritten chunks included", () => {
    const types = new Set(seeds.map((s) => (s.truth as { index_type?: string }).index_type).filter(Boolean));
    expect([...types].sort()).toEqual(["Extensible Array", "Fixed Array", "Implicit", "Single Chunk", "v1 B-tree", "v2 B-tree"]);
    const btree2 = seeds.find((s) => s.file === "link_btree2.h5")!;
    expect(truthRefs(btree2.truth).filter((r) => r.size === 0)).toHaveLength(11);
  });

  it("cuts contiguous data into full virtual chunks of whole trailing rows that tile its byte range", async () => {
    const contig = seeds.find((s) => s.file === "link_contig.h5")!.truth;
    const info = await seedStorage("link_contig.h5", contig.path);
    // (100, 50) float64 under 4000 bytes a chunk: 7 rows would fit, 5 is the largest that divides 100.
    const refs = chunkRefsOf(info, 4000);
    expect(refs.chunk).toEqual([5, 50]);
    expect(refs.grid).toEqual([20, 1]);
    expect(refs.refs[0]).toEqual({ offset: contig.contiguous!.byte_offset, size: 2000 });
    refs.refs.forEach((r, i) => expect(r.offset).toBe(contig.contiguous!.byte_offset + 2000 * i));
    expect(refs.refs.reduce((n, r) => n + r.size, 0)).toBe(contig.contiguous!.size);
  });

  it("gives unwritten contiguous data size-0 entries", () => {
    const info: DatasetStorageInfo = { shape: [10, 10], maxShape: [10, 10], elementSize: 4, filters: [], storage: { layout: "contiguous", address: undefined, size: 400 } };
    expect(chunkRefsOf(info).refs).toEqual([{ offset: 0, size: 0 }]);
  });
});

describe("the table's binary form", () => {
  it("has the element type of the table the real HSDS stored for link_big", () => {
    const table = goldenDatasets("link_big.h5").find((d) => !d.creationProperties?.layout)!;
    expect(normalizeType(table.type)).toEqual(chunkTableType(false));
  });

  it("equals, byte for byte, the chunk h5pyd wrote into link_big's table", async () => {
    const truth = seeds.find((s) => s.file === "link_big.h5")!.truth;
    const table = goldenDatasets("link_big.h5").find((d) => !d.creationProperties?.layout)!;
    const stored = new Uint8Array(readFileSync(join(table.dir, "0_0")));
    const refs = chunkRefsOf(await seedStorage("link_big.h5", truth.path));
    expect(encodeChunkTable({ refs: refs.refs })).toEqual(stored);
  });

  it("names each entry's file in a third, variable-length field", () => {
    const bytes = encodeChunkTable({ refs: [{ offset: 2048, size: 10 }, { offset: 0, size: 0 }], fileUris: ["h5files/a.h5", "s3://b/é.h5"] });
    expect(decodeElements(bytes, chunkTableType(true), 2)).toEqual([
      [2048, 10, "h5files/a.h5"],
      [0, 0, "s3://b/é.h5"],
    ]);
  });
});

const grid2x2 = (base: number, chunk = [1, 4]): SourceChunkRefs => ({
  chunk,
  grid: [2, 2],
  refs: [0, 1, 2, 3].map((i) => ({ offset: base + 100 * i, size: 100 })),
});

describe("-a --link: files stacked along a new leading dimension", () => {
  it("makes a table with a row per file, its leading dimension unlimited, each entry naming its file", () => {
    expect(stackedTableShape(grid2x2(0), 2)).toEqual({ shape: [2, 2, 2], maxdims: [0, 2, 2] });
    const rows = [stackedTableBlock(grid2x2(1000), "b/one.h5", 0), stackedTableBlock(grid2x2(5000), "b/two.h5", 1)];
    expect(rows.map((r) => [r.start, r.count])).toEqual([
      [[0, 0, 0], [1, 2, 2]],
      [[1, 0, 0], [1, 2, 2]],
    ]);
    expect(rows.flatMap((r) => r.refs.map((x) => x.offset))).toEqual([1000, 1100, 1200, 1300, 5000, 5100, 5200, 5300]);
    expect(rows.flatMap((r) => r.fileUris)).toEqual([...Array(4).fill("b/one.h5"), ...Array(4).fill("b/two.h5")]);
    expect(sharedTableLayout(grid2x2(0), true)).toEqual({ class: "H5D_CHUNKED_REF_INDIRECT", dims: [1, 1, 4] });
  });

  it("refuses files whose HDF5 chunks differ", () => {
    expect(sharedTableProblem(grid2x2(0), grid2x2(0, [2, 4]))).toBe("HDF5 chunks (2,4) differ from (1,4)");
    expect(sharedTableProblem(grid2x2(0), grid2x2(7))).toBeUndefined();
  });
});

describe("--link --extend: files placed one after another along a dimension", () => {
  it("places a file with chunk extent 1 along time at its offset and grows the table", () => {
    const block = extendedTableBlock(grid2x2(0), "b/t3.h5", { dim: 0, offset: 6, extent: 2, targetExtent: 6 });
    expect(block.start).toEqual([6, 0]);
    expect(block.count).toEqual([2, 2]);
    expect(block.tableExtent).toBe(8);
  });

  it("refuses a file that would start inside a chunk", () => {
    expect(() => extendedTableBlock(grid2x2(0, [2, 4]), "b/t.h5", { dim: 0, offset: 3, extent: 4, targetExtent: 3 })).toThrow(
      /chunks are 2 long along the extended dimension 0 but it would start at 3, inside a chunk/,
    );
  });

  it("refuses a partial last chunk followed by data, allows it at the end", () => {
    expect(() => extendedTableBlock(grid2x2(0, [2, 4]), "b/t.h5", { dim: 0, offset: 0, extent: 3, targetExtent: 8 })).toThrow(LinkTableError);
    expect(extendedTableBlock(grid2x2(0, [2, 4]), "b/t.h5", { dim: 0, offset: 8, extent: 3, targetExtent: 8 }).tableExtent).toBe(6);
  });
});

describe("refsOfLinkedLayout: an earlier --link load's references, for row 0 of a stacked table", () => {
  it.each(["link_contig.h5", "link_small.h5", "link_big.h5"])("reads the layout HSDS stored for %s back as the file's chunks", async (file) => {
    const golden = goldenLinked(file);
    const layout = golden.creationProperties!.layout as LayoutJson;
    const truth = seeds.find((s) => s.file === file)!.truth;
    const storage = await seedStorage(file, truth.path);
    let table;
    if (layout.class === "H5D_CHUNKED_REF_INDIRECT") {
      const tableDoc = goldenDatasets(file).find((d) => d.id === layout.chunk_table)!;
      const rows = decodeElements(new Uint8Array(readFileSync(join(tableDoc.dir, "0_0"))), chunkTableType(false), 256) as [number, number][];
      table = { shape: tableDoc.shape.dims, refs: rows.map(([offset, size]) => ({ offset, size })) };
    }
    const itemSize = Number(truth.dtype.slice(2));
    const { refs, fileUri } = refsOfLinkedLayout(layout, truth.shape, itemSize, 4 * 1024 * 1024, table);
    expect(fileUri).toBe(`h5files/${file}`);
    expect(refs).toEqual(chunkRefsOf(storage));
  });
});

// Chunk shapes for the HDF5 file and the blocks values are copied in.
import { describe, expect, it } from "vitest";
import { blockCount, blockSelection, blockShape, blocksOf, hdf5ChunkShape } from "../../src/export/blocks.js";
import { selectionToString } from "../../src/model/selection.js";

describe("hdf5ChunkShape", () => {
  it("shrinks HSDS's chunk to the extent (imerg's (4,36,18) precipitation, server chunk [512,36,18])", () => {
    expect(hdf5ChunkShape([512, 36, 18], [4, 36, 18], [0, 36, 18])).toEqual([4, 36, 18]);
  });

  it("keeps an unlimited empty dimension's chunk and never exceeds a fixed maximum", () => {
    expect(hdf5ChunkShape([1024], [0], [0])).toEqual([1024]);
    expect(hdf5ChunkShape([1024, 64], [0, 10], [20, 10])).toEqual([20, 10]);
  });
});

describe("blockShape", () => {
  it("is one chunk when a chunk reaches the target", () => {
    expect(blockShape([500, 1000], [10000, 10000], 4, 2_000_000)).toEqual([500, 1000]);
  });

  it("grows by whole chunks from the last dimension while under the target", () => {
    // 40 kB chunks, 1 MB target: the last dimension fills (10 chunks), then 2 rows of chunks fit.
    expect(blockShape([10, 1000], [100, 10000], 4, 1_000_000)).toEqual([20, 10000]);
    expect(blockShape([10, 1000], [100, 10000], 4, 450_000)).toEqual([10, 10000]);
    expect(blockShape([10, 1000], [100, 10000], 4, 300_000)).toEqual([10, 7000]);
  });

  it("is clipped to the extent", () => {
    expect(blockShape([512, 36, 18], [4, 36, 18], 4, 4 << 20)).toEqual([4, 36, 18]);
  });
});

describe("blocksOf", () => {
  it("tiles the extent in C order, each element exactly once", () => {
    const dims = [7, 5, 3];
    const shape = [3, 2, 3];
    const seen = new Uint8Array(7 * 5 * 3);
    const blocks = [...blocksOf(dims, shape)];
    for (const { start, count } of blocks) {
      for (let i = start[0]!; i < start[0]! + count[0]!; i++)
        for (let j = start[1]!; j < start[1]! + count[1]!; j++)
          for (let k = start[2]!; k < start[2]! + count[2]!; k++) seen[(i * 5 + j) * 3 + k]!++;
    }
    expect(seen.every((n) => n === 1)).toBe(true);
    expect(blocks.length).toBe(blockCount(dims, shape));
    expect(blocks.slice(0, 4).map(blockSelection).map(selectionToString)).toEqual([
      "[0:3,0:2,0:3]", "[0:3,2:4,0:3]", "[0:3,4:5,0:3]", "[3:6,0:2,0:3]",
    ]);
  });

  it("gives one whole block for a scalar and none for an empty extent", () => {
    expect([...blocksOf([], [])]).toEqual([{ start: [], count: [] }]);
    expect([...blocksOf([0, 4], [1, 4])]).toEqual([]);
  });
});

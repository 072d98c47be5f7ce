// How values are cut: read blocks aligned to the target's chunks, grown over larger source chunks within a
// byte budget, and the target chunks inside each block.
import { describe, expect, it } from "vitest";
import { readBlocks, targetPieces } from "../../src/loader/block-plan.js";

describe("readBlocks", () => {
  it("are the target chunks when source chunks are no larger, clipped at the edges, in C order", () => {
    expect([...readBlocks([5, 7], [2, 4], [2, 2], 4, 1 << 20)]).toEqual([
      { start: [0, 0], count: [2, 4] },
      { start: [0, 4], count: [2, 3] },
      { start: [2, 0], count: [2, 4] },
      { start: [2, 4], count: [2, 3] },
      { start: [4, 0], count: [1, 4] },
      { start: [4, 4], count: [1, 3] },
    ]);
  });

  it("span as many target chunks as one larger source chunk covers, so it is decompressed once", () => {
    // Source chunks 8x100 over target chunks 2x50: blocks of 4x2 target chunks.
    const blocks = [...readBlocks([16, 100], [2, 50], [8, 100], 4, 1 << 20)];
    expect(blocks).toEqual([
      { start: [0, 0], count: [8, 100] },
      { start: [8, 0], count: [8, 100] },
    ]);
  });

  it("shrink to the byte budget, outermost dimension first, never below one target chunk", () => {
    const blocks = [...readBlocks([16, 100], [2, 50], [8, 100], 4, 2 * 100 * 4)];
    expect(blocks[0]).toEqual({ start: [0, 0], count: [2, 100] });
    expect([...readBlocks([16, 100], [2, 50], [8, 100], 4, 1)][0]).toEqual({ start: [0, 0], count: [2, 50] });
  });

  it("cover nothing for an empty dataset", () => {
    expect([...readBlocks([0, 10], [4, 4], undefined, 4, 1 << 20)]).toEqual([]);
  });
});

describe("targetPieces", () => {
  it("are the target chunks inside a block, clipped to the dataset", () => {
    expect(targetPieces({ start: [0, 0], count: [4, 100] }, [3, 100], [2, 50])).toEqual([
      { start: [0, 0], count: [2, 50] },
      { start: [0, 50], count: [2, 50] },
      { start: [2, 0], count: [2, 50] },
      { start: [2, 50], count: [2, 50] },
    ]);
  });
});

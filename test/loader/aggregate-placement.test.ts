// copyValues with a placement, as aggregate loads use it, into real datasets of the embedded engine: a source's
// values as one row of a stacked dataset or shifted along a dimension; blocks the source never wrote left alone,
// or written as fill where the region may hold values already, or with the source's own fill where the
// target's differs. The source is an in-memory BlockSource (the interface the loader reads every source by).
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import type { DomainHandle, HsdsClient } from "../../src/client/hsds-client.js";
import type { Box } from "../../src/hdf5/source/box.js";
import { boxElements } from "../../src/hdf5/source/box.js";
import type { BlockData } from "../../src/hdf5/source/hdf5-source.js";
import type { PlannedDataset } from "../../src/loader/load-plan.js";
import { type BlockSource, copyValues, type Placement } from "../../src/loader/value-copy.js";
import { localClient } from "./helpers/local-client.js";

const F32 = { class: "H5T_FLOAT", base: "H5T_IEEE_F32LE" } as const;
let client: HsdsClient;
let domain: DomainHandle;

beforeAll(async () => {
  ({ client } = await localClient());
  domain = client.domain("/home/tester/placement.h5");
  await domain.create();
});
afterAll(() => client.close());

/**
 * A 1-D float32 source of 8 values in chunks of 4, of which only the listed chunks were ever written, read as
 * Hdf5Source reads: a block touching no written chunk is unallocated, elsewhere unwritten elements read as fill.
 */
function source(values: number[], written: number[], fill = 0): BlockSource {
  const isWritten = (i: number) => written.includes(Math.floor(i / 4));
  return {
    readBlock: async (_key: number, box: Box): Promise<BlockData> => {
      const indices = Array.from({ length: boxElements(box) }, (_, i) => box.start[0]! + i);
      if (!indices.some(isWritten)) return { allocated: false };
      const out = Float32Array.from(indices, (i) => (isWritten(i) ? values[i]! : fill));
      return { allocated: true, bytes: new Uint8Array(out.buffer) };
    },
  };
}

/** Planned as larger than one write, so the values go block by block (4 elements: maxBlockBytes 16). */
function planned(fill?: number): PlannedDataset {
  const d: PlannedDataset = { key: 1, path: "/d", type: { type: F32 }, shape: [8], values: "blocks", sourceChunks: [4], bytes: 2 * 1024 * 1024 };
  if (fill !== undefined) d.fill = new Uint8Array(new Float32Array([fill]).buffer);
  return d;
}

async function target(shape: number[], maxdims: number[], fill: number, chunk: number[]): Promise<string> {
  return (await domain.createDataset({ type: F32, shape, maxdims, creationProperties: { fillValue: fill, layout: { class: "H5D_CHUNKED", dims: chunk } } })).id;
}

async function copy(id: string, from: BlockSource, dataset: PlannedDataset, placement: Placement): Promise<void> {
  await copyValues([dataset], domain, from, new Map([[1, id]]), (t) => t, { parallel: 2, memoryBudget: 1 << 20, maxBlockBytes: 16, placement: () => placement });
}

const values = (start: number) => Array.from({ length: 8 }, (_, i) => start + i);

describe("copyValues with a placement", () => {
  it("writes a source as one row of a stacked dataset, and skips the blocks it never wrote", async () => {
    const id = await target([3, 8], [0, 8], -1, [1, 4]);
    await copy(id, source(values(10), [0, 1], -1), planned(-1), { offset: [1, 0], stacked: true, overwrite: false });
    await copy(id, source(values(20), [1], -1), planned(-1), { offset: [2, 0], stacked: true, overwrite: false });
    expect(await domain.readValueJson(id)).toEqual([Array(8).fill(-1), values(10), [-1, -1, -1, -1, 24, 25, 26, 27]]);
  });

  it("shifts a source along a dimension", async () => {
    const id = await target([12], [0], 0, [4]);
    await copy(id, source(values(1), [0, 1]), planned(), { offset: [4], stacked: false, overwrite: false });
    expect(await domain.readValueJson(id)).toEqual([0, 0, 0, 0, ...values(1)]);
  });

  it("over values already there, writes what the source never wrote as fill", async () => {
    const id = await target([8], [8], -1, [4]);
    await copy(id, source(values(1), [0, 1], -1), planned(-1), { offset: [0], stacked: false, overwrite: false });
    await copy(id, source(values(50), [1], -1), planned(-1), { offset: [0], stacked: false, overwrite: true });
    expect(await domain.readValueJson(id)).toEqual([-1, -1, -1, -1, 54, 55, 56, 57]);
  });

  it("where the target's fill differs, writes the source's own fill where it never wrote", async () => {
    const id = await target([2, 8], [0, 8], -1, [1, 4]);
    await copy(id, source(values(70), [1], -2), planned(-1), { offset: [1, 0], stacked: true, overwrite: false, sourceFill: new Uint8Array(new Float32Array([-2]).buffer) });
    expect(await domain.readValueJson(id)).toEqual([Array(8).fill(-1), [-2, -2, -2, -2, 74, 75, 76, 77]]);
  });
});

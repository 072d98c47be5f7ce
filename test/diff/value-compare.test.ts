// compareValues on a real load: how it cuts a dataset into blocks (whole domain chunks) and how many it keeps in
// flight, watched at the domain reader it is given (the real DomainHandle underneath).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainHandle } from "../../src/client/hsds-client.js";
import { compareValues, type DomainValueReader, type ValueTarget } from "../../src/diff/value-compare.js";
import { Hdf5Source } from "../../src/hdf5/source/hdf5-source.js";
import { Semaphore } from "../../src/loader/concurrency.js";
import { loadFile } from "../../src/loader/load.js";
import { parseSelection } from "../../src/model/selection.js";
import { localClient } from "../loader/helpers/local-client.js";

const SIDE = 1024;
let source: Hdf5Source;
let domain: DomainHandle;
let target: ValueTarget;

beforeAll(async () => {
  await h5wasm.ready;
  const file = join(mkdtempSync(join(tmpdir(), "hsdiff-values-")), "values.h5");
  const f = new h5wasm.File(file, "w");
  f.create_dataset({ name: "d", data: new Float32Array(SIDE * SIDE).map((_, i) => i % 1000), shape: [SIDE, SIDE], chunks: [256, 256], dtype: "<f4" });
  f.close();
  const { client } = await localClient();
  await loadFile(client, file, "/home/tester/values.h5", { parallel: 4 });
  domain = client.domain("/home/tester/values.h5");
  const info = await domain.getDatasetByPath("/d");
  source = await Hdf5Source.open(file);
  const tree = await source.tree();
  const dataset = tree.objects.find((o) => o.path === "/d")!;
  target = {
    path: "/d",
    key: dataset.key,
    id: info.id,
    type: { class: "H5T_FLOAT", base: "H5T_IEEE_F32LE" },
    shape: [SIDE, SIDE],
    chunks: info.layout!.dims!,
    sourceChunks: [256, 256],
  };
});
afterAll(() => source.close());

/** The real domain, with every read's selection and the most reads at once recorded. */
function watched() {
  const selections: { start: number; stop: number }[][] = [];
  let running = 0;
  let most = 0;
  const reader: DomainValueReader = {
    async readValue(id, options) {
      selections.push(parseSelection(options?.select, [SIDE, SIDE]).map((s) => s as { start: number; stop: number }));
      most = Math.max(most, ++running);
      try {
        return await domain.readValue(id, options);
      } finally {
        running--;
      }
    },
  };
  return { reader, selections, most: () => most };
}

describe("compareValues", () => {
  it("reads whole domain chunks, each once, with no more blocks in flight than allowed or than memory allows", async () => {
    const chunkBytes = target.chunks[0]! * target.chunks[1]! * 4;
    const { reader, selections, most } = watched();
    const result = await compareValues(target, {
      file: source,
      domain: reader,
      resolve: () => "",
      pathOf: () => undefined,
      blocksInFlight: new Semaphore(4),
      // Room for two blocks (each held twice: file and domain side).
      memory: new Semaphore(4 * chunkBytes),
      maxBlockBytes: chunkBytes,
    });
    expect(result.difference).toBeUndefined();
    const chunkCount = Math.ceil(SIDE / target.chunks[0]!) * Math.ceil(SIDE / target.chunks[1]!);
    expect(chunkCount).toBeGreaterThanOrEqual(4);
    expect(result.blocks).toBe(chunkCount);
    expect(selections).toHaveLength(chunkCount);
    for (const selection of selections) {
      selection.forEach(({ start, stop }, d) => {
        expect(start % target.chunks[d]!).toBe(0);
        expect(stop - start).toBe(Math.min(target.chunks[d]!, SIDE - start));
      });
    }
    const covered = new Set(selections.map((s) => `${s[0]!.start},${s[1]!.start}`));
    expect(covered.size).toBe(chunkCount);
    expect(most()).toBe(2);
  });

  it("grows blocks by whole chunks up to the block size", async () => {
    const { reader, selections, most } = watched();
    const result = await compareValues(target, {
      file: source,
      domain: reader,
      resolve: () => "",
      pathOf: () => undefined,
      blocksInFlight: new Semaphore(3),
      memory: new Semaphore(64 * 1024 * 1024),
      maxBlockBytes: 4 * 1024 * 1024,
    });
    expect(result).toEqual({ blocks: 1 });
    expect(selections).toEqual([[expect.objectContaining({ start: 0, stop: SIDE }), expect.objectContaining({ start: 0, stop: SIDE })]]);
    expect(most()).toBe(1);
  });
});

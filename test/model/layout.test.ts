import { describe, expect, it } from "vitest";
import { itemSize, normalizeType } from "../../src/model/datatype.js";
import { LayoutError, chunkLayoutFor, contiguousChunkDims } from "../../src/model/layout.js";
import { storedDataset, storedObjects } from "./golden.js";

// Domains loaded with `hsload -a` / `--extend` (golden/README.md): their datasets were created holding one
// source file, so every unlimited dimension had extent 1 when HSDS chose the layout; the stored shape is
// the later, extended one.
const APPENDED_DOMAINS = new Set(["09ede26f-cd5e1346", "b0b38a15-e6ec3d00", "cfc18c5f-c5e06de5"]);

function creationDims(domain: string, dims: number[], maxdims: number[] | undefined): number[] {
  if (!APPENDED_DOMAINS.has(domain) || !maxdims) return dims;
  return dims.map((extent, d) => (maxdims[d] === 0 ? 1 : extent));
}

describe("chunkLayoutFor against the layouts HSDS chose in the golden store", () => {
  const datasets = storedObjects("dataset").filter(({ json }) => {
    const requested = json.creationProperties?.layout;
    return json.shape.class !== "H5S_NULL" && (!requested || requested.class === "H5D_CHUNKED");
  });

  it("covers scalar, extensible, unlimited, tiny and large datasets", () => {
    expect(datasets.length).toBeGreaterThanOrEqual(40);
  });

  it.each(datasets.map((d) => [d.path, d.json] as const))("%s", (path, json) => {
    const t = normalizeType(json.type);
    const dims: number[] = json.shape.dims ?? [];
    const maxdims: number[] | undefined = json.shape.maxdims;
    const requested: number[] | undefined = json.creationProperties?.layout?.dims;
    const domain = path.split("/")[0]!;
    expect(chunkLayoutFor(creationDims(domain, dims, maxdims), maxdims, itemSize(t), requested)).toEqual(json.layout.dims);
  });

  it("depends on the creation extent only through HSDS's expandChunk quirk", () => {
    // ncep3's stacked fields: requested [1,36,72] on (1,72,144) with unlimited dim 0 gave [1,72,144]. Once
    // dim 2 reaches its extent HSDS stops treating dim 0 as unlimited, so a larger first extent grows it.
    const { json } = storedDataset("d-cfc18c5f-c5e06de5-17c6-b57bbf-fd3987");
    expect(json.layout.dims).toEqual([1, 72, 144]);
    expect(chunkLayoutFor([1, 72, 144], [0, 72, 144], 4, [1, 36, 72])).toEqual([1, 72, 144]);
    expect(chunkLayoutFor([5, 72, 144], [0, 72, 144], 4, [1, 36, 72])).toEqual([5, 72, 144]);
  });
});

describe("chunkLayoutFor rules", () => {
  it("gives scalars one element", () => {
    expect(chunkLayoutFor([], undefined, 8)).toEqual([1]);
    expect(chunkLayoutFor([], undefined, "H5T_VARIABLE")).toEqual([1]);
  });

  it("counts 128 bytes per variable-length element", () => {
    // 8192 elements * 128 = 1 MiB exactly: not below the minimum, so the request stands; an unlimited
    // guess of 1024 elements doubles until it reaches 1 MiB.
    expect(chunkLayoutFor([8192], [0], "H5T_VARIABLE", [8192])).toEqual([8192]);
    expect(chunkLayoutFor([10], [0], "H5T_VARIABLE")).toEqual([8192]);
    expect(chunkLayoutFor([10], [0], 8)).toEqual([131072]);
  });

  it("uses the whole dataset when it is small and cannot grow", () => {
    expect(chunkLayoutFor([32, 64], [32, 64], 4, [4, 8])).toEqual([32, 64]);
    expect(chunkLayoutFor([3, 5], undefined, 4)).toEqual([3, 5]);
  });

  it("shrinks large chunks by halving, first dimension first", () => {
    // Expected values computed by running HSDS 0.9.4's chunkUtil (guessChunk + shrinkChunk).
    expect(chunkLayoutFor([10000, 10000], undefined, 8)).toEqual([625, 625]);
    expect(chunkLayoutFor([1000, 3], [0, 3], 8, [100000, 3])).toEqual([100000, 3]);
    expect(chunkLayoutFor([7, 3000000], undefined, 1)).toEqual([2, 1500000]);
  });

  it("grows small chunks by doubling from the last dimension", () => {
    expect(chunkLayoutFor([1000, 1000], [1000, 1000], 8, [100, 100])).toEqual([400, 400]);
    expect(chunkLayoutFor([3, 10], [0, 10], 4, [1, 10])).toEqual([32768, 10]);
  });

  const invalid: Array<[string, number[], number[] | undefined, number[] | number, string]> = [
    ["wrong rank", [10, 10], undefined, [10], "Layout rank does not match shape rank"],
    ["zero extent", [10], undefined, [0], "Invalid layout value"],
    ["beyond a fixed extent", [10], undefined, [11], "Invalid layout value"],
    ["beyond a bounded maxdim", [10], [20], [21], "Invalid layout value for extensible dimension"],
    ["fractional extent", [10], undefined, [2.5], "Layout dims must be integer or integer array"],
    ["a scalar with chunk dims", [], undefined, [1], "Layout rank does not match shape rank"],
  ];
  it.each(invalid)("rejects requested dims with %s", (_what, dims, maxdims, requested, message) => {
    expect(() => chunkLayoutFor(dims, maxdims, 4, requested)).toThrow(LayoutError);
    expect(() => chunkLayoutFor(dims, maxdims, 4, requested)).toThrow(message);
  });

  it("accepts any positive extent on an unlimited dimension (then shrinks it), and a bare number for rank 1", () => {
    expect(chunkLayoutFor([10], [0], 4096, [100000])).toEqual([782]);
    expect(chunkLayoutFor([10], [20], 4, 20)).toEqual([20]);
  });
});

describe("contiguousChunkDims", () => {
  it("gives link_contig the layout HSDS stored", () => {
    const linked = storedObjects("dataset").filter(({ json }) => json.creationProperties?.layout?.class === "H5D_CONTIGUOUS_REF");
    expect(linked.length).toBe(1);
    const { json } = linked[0]!;
    const size = itemSize(normalizeType(json.type)) as number;
    expect(contiguousChunkDims(json.shape.dims, size)).toEqual(json.layout.dims);
  });

  it("keeps whole trailing dimensions and halves the first that does not fit", () => {
    // Expected values computed by running HSDS 0.9.4's chunkUtil.getContiguousLayout with max 4 MiB.
    expect(contiguousChunkDims([1000, 1000, 10], 8)).toEqual([32, 1000, 10]);
    expect(contiguousChunkDims([100, 100000], 8)).toEqual([4, 100000]);
    expect(contiguousChunkDims([100, 1000000], 8)).toEqual([1, 500000]);
    expect(contiguousChunkDims([3000000], 2)).toEqual([1500000]);
    expect(contiguousChunkDims([5, 0, 3], 4)).toEqual([5, 0, 3]);
  });
});

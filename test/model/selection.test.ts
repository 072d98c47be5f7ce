import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeType, product } from "../../src/model/datatype.js";
import {
  type ChunkPart,
  type Selection,
  SelectionError,
  chunksOfSelection,
  copyBetween,
  copyElementsBetween,
  parsePoints,
  parseSelection,
  selectAll,
  selectionCount,
  selectionFromBody,
  selectionShape,
  selectionToString,
} from "../../src/model/selection.js";
import { decodeValues } from "../../src/model/values.js";
import { REST, restBytes, restJson, storedDataset } from "./golden.js";

function nestedShape(value: unknown): number[] {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  return shape;
}

function thrown(fn: () => unknown): SelectionError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SelectionError) return err;
    throw err;
  }
  throw new Error("expected a SelectionError");
}

describe("parseSelection against HSDS responses", () => {
  const cases: Array<[string, string, string]> = [
    ["tall/value_dset1.1.1_sel_2-4_3-7.json", "tall/dataset_dset1.1.1.json", "[2:4,3:7]"],
    ["tall/value_dset1.1.1_sel_step_coordlist.json", "tall/dataset_dset1.1.1.json", "[0:10:3,[1,3,5]]"],
    ["tall/value_dset2.1_sel_5.json", "tall/dataset_dset2.1.json", "[5]"],
    ["link_big/value_big_sel_0-4_0-8.json", "link_big/dataset_big.json", "[0:4,0:8]"],
    ["link_big/value_big_sel_14-18_30-34.json", "link_big/dataset_big.json", "[14:18,30:34]"],
    ["imerg/value_precipitationCal_sel_0-4_0-3_0-2.json", "imerg/dataset_precipitationCal.json", "[0:4,0:3,0:2]"],
  ];
  it.each(cases)("%s has the shape of its selection", (valueFile, datasetFile, select) => {
    const dims = restJson(datasetFile).shape.dims;
    expect(selectionShape(parseSelection(select, dims))).toEqual(nestedShape(restJson(valueFile).value));
  });

  const errors: Array<[string, string]> = [
    ["400_select_out_of_range.txt", "[0:20,0:10]"],
    ["400_select_malformed.txt", "[0:2,abc]"],
    ["400_select_wrong_rank.txt", "[0:2]"],
  ];
  it.each(errors)("%s: %s is refused with HSDS's body", (file, select) => {
    const body = readFileSync(join(REST, "errors", file), "utf8");
    const error = thrown(() => parseSelection(select, [10, 10]));
    expect(`400: ${error.reason}`).toBe(body);
    expect(error.message).toMatch(/^Invalid selection: .+/);
  });
});

describe("parseSelection syntax and bounds", () => {
  const dims = [10, 20];
  it("reads every form of §4.8 and Appendix B", () => {
    expect(selectionShape(parseSelection("[1:9,1:9:2]", [10, 10]))).toEqual([8, 4]);
    expect(selectionShape(parseSelection("[5,0:10]", [10, 10]))).toEqual([1, 10]);
    expect(selectionShape(parseSelection("[[1,5,9],:]", [10, 7]))).toEqual([3, 7]);
    expect(parseSelection("[ 2 : , : 5 : 2 ]", dims)).toEqual([
      { kind: "slice", start: 2, stop: 10, step: 1 },
      { kind: "slice", start: 0, stop: 5, step: 2 },
    ]);
    expect(parseSelection("[::, 3::]", dims)).toEqual([
      { kind: "slice", start: 0, stop: 10, step: 1 },
      { kind: "slice", start: 3, stop: 20, step: 1 },
    ]);
    expect(parseSelection(undefined, dims)).toEqual(selectAll(dims));
    expect(parseSelection("", dims)).toEqual(selectAll(dims));
    expect(parseSelection(undefined, [])).toEqual([]);
  });

  it("zips coordinate lists into one output axis at the first list", () => {
    const sel = parseSelection("[[1,2,3],0:4,[4,5,6]]", [5, 5, 7]);
    expect(selectionShape(sel)).toEqual([3, 4]);
    const error = thrown(() => parseSelection("[[1,2],[1,2,3]]", [5, 5]));
    expect(error.reason).toBe("shape mismatch: indexing arrays could not be broadcast together with shapes (2,) (3,)");
  });

  const refused: Array<[string, number[], RegExp]> = [
    ["[10,0]", dims, /index 10 out of range for dim 0/],
    ["[-1,0]", dims, /index -1 out of range/],
    ["[0:0,:]", dims, /stop value 0 out of range for dim 0/],
    ["[5:3,:]", dims, /stop value 3 out of range/],
    ["[0:21,:]", [30, 20].reverse(), /stop value 21 out of range/],
    ["[10:,:]", dims, /start value 10 out of range for dim 0/],
    ["[0:5:0,:]", dims, /step value 0 out of range/],
    ["[0:5:-1,:]", dims, /step value -1 out of range/],
    ["[1:2:3:4,:]", dims, /invalid range "1:2:3:4"/],
    ["[1.5,:]", dims, /invalid index "1.5"/],
    ["[,1]", dims, /empty dimension/],
    ["[[1:3],1]", dims, /range inside a coordinate list/],
    ["[[[1]],1]", dims, /nested coordinate list/],
    ["[1],1]", dims, /unbalanced '\]'/],
    ["[[],1]", dims, /invalid coordinate ""/],
    ["[[1,12],1]", dims, /coordinate 12 for dim 0 not in range 0-9/],
    ["[1]", [], /scalar dataset takes no selection/],
    ["[1,2,3]", dims, /selection has 3 dimensions, the dataset has 2/],
  ];
  it.each(refused)("refuses %s on %j", (select, d, message) => {
    const error = thrown(() => parseSelection(select, d));
    expect(error.reason).toBe("Invalid selection");
    expect(error.message).toMatch(message);
  });

  it("accepts an empty range only as ':' over a zero extent", () => {
    expect(selectionShape(parseSelection("[:,0:2]", [0, 5]))).toEqual([0, 2]);
    expect(() => parseSelection("[0:,0:2]", [0, 5])).toThrow(SelectionError);
  });

  it("builds the selection of a JSON body's start/stop/step", () => {
    expect(selectionFromBody({ start: [0, 0], stop: [2, 3] }, [10, 10])).toEqual(parseSelection("[0:2,0:3]", [10, 10]));
    expect(selectionFromBody({ start: 1, stop: 9, step: 2 }, [10])).toEqual(parseSelection("[1:9:2]", [10]));
    expect(() => selectionFromBody({ start: [0], stop: [2, 3] }, [10, 10])).toThrow(/different ranks/);
    expect(() => selectionFromBody({ start: [0, 0], stop: [2, 30] }, [10, 10])).toThrow(/stop value 30/);
    expect(() => selectionFromBody({ start: [0.5], stop: [2] }, [10])).toThrow(SelectionError);
    expect(() => selectionFromBody({ stop: [2] }, [10])).toThrow(/both 'start' and 'stop'/);
  });

  it("prints the canonical form clients send, which parses back to the same selection", () => {
    for (const select of ["[0:10,2:4]", "[0:10:3,[1,3,5]]", "[5:6,0:20:7]", "[[0,9,3],[19,0,0]]"]) {
      const sel = parseSelection(select, dims);
      expect(selectionToString(sel)).toBe(select);
      expect(parseSelection(selectionToString(sel), dims)).toEqual(sel);
    }
    expect(selectionToString(parseSelection("[5, :, 1:9:1]", [10, 3, 10]))).toBe("[5:6,0:3,1:9]");
    expect(selectionToString([])).toBe("");
  });
});

describe("parsePoints", () => {
  it("reads JSON points for rank 1 and rank 2", () => {
    expect(parsePoints([3, 1, 3], [5])).toEqual([{ kind: "coords", coords: [3, 1, 3] }]);
    const sel = parsePoints([[1, 2], [3, 4]], [5, 5]);
    expect(sel).toEqual([{ kind: "coords", coords: [1, 3] }, { kind: "coords", coords: [2, 4] }]);
    expect(selectionShape(sel)).toEqual([2]);
  });

  it("reads packed uint64 little-endian points", () => {
    const bytes = new Uint8Array(32);
    const view = new DataView(bytes.buffer);
    [1n, 2n, 3n, 4n].forEach((v, i) => view.setBigUint64(i * 8, v, true));
    expect(parsePoints(bytes, [5, 5])).toEqual(parsePoints([[1, 2], [3, 4]], [5, 5]));
    expect(thrown(() => parsePoints(bytes.subarray(0, 24), [5, 5])).reason).toBe(
      "Number of point values is not consistent with dataset rank",
    );
    expect(() => parsePoints(bytes.subarray(0, 12), [5])).toThrow(/not a whole number of uint64 values/);
    view.setBigUint64(0, 2n ** 63n, true);
    expect(() => parsePoints(bytes, [5, 5])).toThrow(/is not within the bounds of the dataset/);
  });

  it("refuses points outside the extent or of the wrong rank", () => {
    expect(thrown(() => parsePoints([[1, 5]], [5, 5])).reason).toBe("point [1, 5] is not within the bounds of the dataset");
    expect(() => parsePoints([[1, 2, 3]], [5, 5])).toThrow(/point value did not match dataset rank/);
    expect(() => parsePoints([-1], [5])).toThrow(/not a non-negative integer/);
    expect(() => parsePoints({ points: [] }, [5])).toThrow(/expected a list of points/);
    expect(() => parsePoints([1], [])).toThrow(SelectionError);
  });
});

describe("chunk intersection on the golden tall.h5 chunk", () => {
  const { json, dir } = storedDataset("d-431e4465-47c6da7b-1f8e-c1c8ab-7298ba");
  const t = normalizeType(json.type);
  const chunk = new Uint8Array(readFileSync(join(dir, "0_0")));
  const cases: Array<[string, string | undefined]> = [
    ["tall/value_dset1.1.1_all.bin", undefined],
    ["tall/value_dset1.1.1_sel_2-4_3-7.bin", "[2:4,3:7]"],
    ["tall/value_dset1.1.1_sel_step_coordlist.bin", "[0:10:3,[1,3,5]]"],
  ];
  it.each(cases)("copying %s out of the chunk gives HSDS's response bytes", (file, select) => {
    const sel = parseSelection(select, json.shape.dims);
    const out = new Uint8Array(selectionCount(sel) * 4);
    for (const part of chunksOfSelection(sel, json.shape.dims, json.layout.dims)) copyBetween(chunk, out, part, 4, "read");
    const expected = restBytes(file);
    expect(Buffer.from(out).equals(Buffer.from(expected))).toBe(true);
    expect(decodeValues(out, t, selectionShape(sel))).toEqual(restJson(file.replace(/\.bin$/, ".json")).value);
  });
});

// ---- randomised comparison with a naive element-by-element reference ---------------------------------

function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Dataset coordinates of every output element, in output C order (the obvious definition). */
function naiveCoordinates(sel: Selection, dims: readonly number[]): number[][] {
  const shape = selectionShape(sel);
  const pointAxis = sel.findIndex((s) => s.kind === "coords");
  const axisOf = sel.map((_, d) => sel.slice(0, d).filter((s, i) => s.kind === "slice" || i === pointAxis).length);
  const out: number[][] = [];
  const total = product(shape);
  for (let flat = 0; flat < total; flat++) {
    const index: number[] = [];
    let rest = flat;
    for (let a = shape.length - 1; a >= 0; a--) {
      index[a] = rest % shape[a]!;
      rest = Math.floor(rest / shape[a]!);
    }
    out.push(
      sel.map((s, d) => {
        const i = index[s.kind === "coords" ? axisOf[pointAxis]! : axisOf[d]!]!;
        return s.kind === "slice" ? s.start + i * s.step : s.coords[i]!;
      }),
    );
    expect(out[out.length - 1]!.every((c, d) => c >= 0 && c < dims[d]!)).toBe(true);
  }
  return out;
}

function randomSelection(rand: () => number, dims: number[]): Selection {
  const pick = (n: number) => Math.floor(rand() * n);
  const points = 1 + pick(6);
  return dims.map((extent) => {
    const r = rand();
    if (r < 0.25) return { kind: "coords" as const, coords: Array.from({ length: points }, () => pick(extent)) };
    const start = pick(extent);
    const stop = start + 1 + pick(extent - start);
    const step = r < 0.5 ? 1 : 1 + pick(5);
    return { kind: "slice" as const, start, stop, step };
  });
}

function chunkOffsetOf(coord: number[], chunkDims: number[]): { key: string; offset: number } {
  let offset = 0;
  coord.forEach((c, d) => (offset = offset * chunkDims[d]! + (c % chunkDims[d]!)));
  return { key: coord.map((c, d) => Math.floor(c / chunkDims[d]!)).join("_"), offset };
}

describe("chunksOfSelection and copyBetween against a naive reference", () => {
  it("agree on random n-d selections, chunk shapes, steps and coordinate lists, in both directions", () => {
    const rand = makeRandom(20240611);
    let parts = 0;
    for (let trial = 0; trial < 400; trial++) {
      const rank = 1 + Math.floor(rand() * 4);
      const dims = Array.from({ length: rank }, () => 1 + Math.floor(rand() * 12));
      const chunkDims = dims.map((d) => 1 + Math.floor(rand() * (rand() < 0.8 ? Math.ceil(d / 2) : d + 2)));
      const itemSize = [1, 2, 4, 8, 12, 40][Math.floor(rand() * 6)]!;
      const sel = randomSelection(rand, dims);
      const coords = naiveCoordinates(sel, dims);
      const count = coords.length;
      expect(selectionCount(sel)).toBe(count);

      // Chunk buffers: element bytes encode (chunk key, offset) so any misplaced copy shows.
      const chunkElements = product(chunkDims);
      const chunks = new Map<string, Uint8Array>();
      const chunkFor = (key: string): Uint8Array => {
        let buf = chunks.get(key);
        if (!buf) {
          buf = Uint8Array.from({ length: chunkElements * itemSize }, (_, i) => (i * 7 + key.length * 13 + key.charCodeAt(0)) & 0xff);
          chunks.set(key, buf);
        }
        return buf;
      };

      // read: naive
      const expectedOut = new Uint8Array(count * itemSize);
      coords.forEach((coord, k) => {
        const { key, offset } = chunkOffsetOf(coord, chunkDims);
        expectedOut.set(chunkFor(key).subarray(offset * itemSize, (offset + 1) * itemSize), k * itemSize);
      });
      // read: ours
      const out = new Uint8Array(count * itemSize);
      const seen = new Set<string>();
      let total = 0;
      for (const part of chunksOfSelection(sel, dims, chunkDims)) {
        const key = part.index.join("_");
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        total += part.count;
        copyBetween(chunkFor(key), out, part, itemSize, "read");
        parts++;
      }
      expect(total).toBe(count);
      expect(seen).toEqual(new Set(coords.map((c) => chunkOffsetOf(c, chunkDims).key)));
      expect(Buffer.from(out).equals(Buffer.from(expectedOut))).toBe(true);

      // write: naive applies elements in output order (a repeated point keeps the last value)
      const input = Uint8Array.from({ length: count * itemSize }, (_, i) => (i * 31 + 5) & 0xff);
      const expectedChunks = new Map([...chunks].map(([k, v]) => [k, new Uint8Array(v)]));
      coords.forEach((coord, k) => {
        const { key, offset } = chunkOffsetOf(coord, chunkDims);
        expectedChunks.get(key)!.set(input.subarray(k * itemSize, (k + 1) * itemSize), offset * itemSize);
      });
      for (const part of chunksOfSelection(sel, dims, chunkDims)) copyBetween(chunkFor(part.index.join("_")), input, part, itemSize, "write");
      for (const [key, buf] of chunks) expect(Buffer.from(buf).equals(Buffer.from(expectedChunks.get(key)!)), key).toBe(true);

      // per-element arrays (variable-length types)
      const items = Array.from({ length: count }, (_, k) => `v${k}`);
      const itemChunks = new Map<string, string[]>();
      for (const part of chunksOfSelection(sel, dims, chunkDims)) {
        const key = part.index.join("_");
        const arr = itemChunks.get(key) ?? new Array<string>(chunkElements).fill("fill");
        itemChunks.set(key, arr);
        copyElementsBetween(arr, items, part, "write");
      }
      const back = new Array<string>(count);
      for (const part of chunksOfSelection(sel, dims, chunkDims)) copyElementsBetween(itemChunks.get(part.index.join("_"))!, back, part, "read");
      coords.forEach((coord, k) => {
        const last = coords.findLastIndex((c) => c.every((x, d) => x === coord[d]));
        expect(back[k]).toBe(`v${last}`);
      });
    }
    expect(parts).toBeGreaterThan(1000);
  });
});

describe("copy plan", () => {
  function onlyPart(sel: Selection, dims: number[], chunkDims: number[]): ChunkPart[] {
    return [...chunksOfSelection(sel, dims, chunkDims)];
  }

  it("moves a fully covered chunk as one run", () => {
    const dims = [1024, 1024];
    const parts = onlyPart(selectAll(dims), dims, [512, 1024]);
    expect(parts.map((p) => [p.index, p.run, p.loops.length, p.chunkBase, p.outBase])).toEqual([
      [[0, 0], 512 * 1024, 0, 0, 0],
      [[1, 0], 512 * 1024, 0, 0, 512 * 1024],
    ]);
  });

  it("moves whole innermost rows when the selection is narrower than the chunk", () => {
    const [part] = onlyPart(parseSelection("[2:6,10:30]", [100, 100]), [100, 100], [50, 50]);
    expect(part!.run).toBe(20);
    expect(part!.loops).toEqual([{ count: 4, chunkStride: 50, outStride: 20 }]);
    expect(part!.chunkBase).toBe(2 * 50 + 10);
  });

  it("copies a 4 MiB chunk with a single set", () => {
    const dims = [1024, 1024];
    const chunk = new Uint8Array(4 * 1024 * 1024).map((_, i) => i & 0xff);
    const out = new Uint8Array(chunk.length);
    const [part] = onlyPart(selectAll(dims), dims, dims);
    let sets = 0;
    const counting = new Proxy(out, {
      get(target, prop) {
        if (prop === "set") {
          return (src: Uint8Array, at: number) => {
            sets++;
            target.set(src, at);
          };
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    copyBetween(chunk, counting, part!, 4, "read");
    expect(sets).toBe(1);
    expect(Buffer.from(out).equals(Buffer.from(chunk))).toBe(true);
  });

  it("handles scalars as one element of a rank-0 grid", () => {
    expect(onlyPart([], [], [])).toEqual([{ index: [], count: 1, chunkBase: 0, outBase: 0, loops: [], run: 1 }]);
  });
});

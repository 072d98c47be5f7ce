// Hdf5Source.readBlock: any box of a dataset reads as that part of the whole, through h5wasm and through the
// raw path (big-endian enums); blocks that touch only never-written chunks are reported, not read; files that
// cannot be read fail with one line naming the file.
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedItemSize, isVariableLength } from "../../src/model/datatype.js";
import { joinElements, splitElements } from "../../src/model/values.js";
import { type Box, boxElements, copyOverlap } from "../../src/hdf5/source/box.js";
import { Hdf5Source } from "../../src/hdf5/source/hdf5-source.js";
import { SourceFileError } from "../../src/hdf5/source/source-errors.js";
import { isMapped, type SourceDataset } from "../../src/hdf5/source/source-tree.js";
import { CORPUS } from "../helpers/paths.js";

const H5 = join(CORPUS, "hdf5-json", "h5");
const scratch = mkdtempSync(join(tmpdir(), "hsload-source-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function withSource<T>(file: string, use: (source: Hdf5Source, datasets: Map<string, SourceDataset>) => Promise<T>): Promise<T> {
  const source = await Hdf5Source.open(file);
  try {
    const tree = await source.tree();
    const datasets = new Map(tree.objects.filter((o): o is SourceDataset => o.kind === "dataset").map((d) => [d.path, d]));
    return await use(source, datasets);
  } finally {
    await source.close();
  }
}

/** The elements of `box` cut out of the whole dataset's bytes, element by element for variable-length types. */
function expectedBox(whole: Uint8Array, dataset: SourceDataset, box: Box): Uint8Array {
  const type = isMapped(dataset.type) ? dataset.type.type : undefined;
  const shape = dataset.shape!;
  const all: Box = { start: shape.map(() => 0), count: shape };
  if (!isVariableLength(type!)) {
    const out = new Uint8Array(boxElements(box) * fixedItemSize(type!));
    copyOverlap(whole, all, out, box, fixedItemSize(type!));
    return out;
  }
  // Variable-length: copy element indexes instead of bytes.
  const elements = splitElements(whole, type!, boxElements(all));
  const indexes = new Uint32Array(elements.map((_, i) => i).flat());
  const picked = new Uint32Array(boxElements(box));
  copyOverlap(new Uint8Array(indexes.buffer), all, new Uint8Array(picked.buffer), box, 4);
  return joinElements(Array.from(picked, (i) => elements[i]!));
}

/** A few boxes of every size class: single elements, edges, a middle part, the whole. */
function someBoxes(shape: number[]): Box[] {
  const boxes: Box[] = [{ start: shape.map(() => 0), count: shape }];
  boxes.push({ start: shape.map(() => 0), count: shape.map(() => 1) });
  boxes.push({ start: shape.map((n) => n - 1), count: shape.map(() => 1) });
  boxes.push({ start: shape.map((n) => Math.floor(n / 3)), count: shape.map((n) => Math.max(1, Math.ceil(n / 2))) });
  boxes.push({ start: shape.map((n) => Math.floor(n / 2)), count: shape.map((n) => n - Math.floor(n / 2)) });
  return boxes;
}

describe("readBlock reads any box as that part of the whole", () => {
  const cases: [string, string][] = [
    ["h5ex_d_chunk.h5", "/DS1"], // chunks 4x4 over 6x8: partial edge chunks
    ["h5ex_d_gzip.h5", "/DS1"],
    ["h5ex_d_shuffle.h5", "/DS1"],
    ["h5ex_d_soint.h5", "/DS1"], // scale-offset: decoded by HDF5 itself
    ["h5ex_d_compact.h5", "/DS1"],
    ["enum_dset.h5", "/DS1"], // big-endian enum: read from the file's bytes
    ["ex_image2.h5", "/image24bitpixel"],
    ["compound.h5", "/dset"],
    ["types_dset.h5", "/H5T_STD_I64BE"],
    ["vlen_string_dset_utc.h5", "/ds1"],
    ["vlen_dset.h5", "/DS1"],
    ["objref_dset.h5", "/DS1"],
  ];
  it.each(cases)("%s %s", async (file, path) => {
    await withSource(join(H5, file), async (source, datasets) => {
      const dataset = datasets.get(path)!;
      const shape = dataset.shape!;
      const whole = await source.readBlock(dataset.key, { start: shape.map(() => 0), count: shape });
      expect(whole.allocated).toBe(true);
      if (!whole.allocated) return;
      for (const box of someBoxes(shape)) {
        const part = await source.readBlock(dataset.key, box);
        expect(part.allocated && Buffer.from(part.bytes).equals(Buffer.from(expectedBox(whole.bytes, dataset, box))), JSON.stringify(box)).toBe(true);
      }
    });
  });

  it("reads a big-endian enum the way the file stores it (h5wasm cannot convert it)", async () => {
    await withSource(join(H5, "enum_dset.h5"), async (source, datasets) => {
      const dataset = datasets.get("/DS1")!;
      const row = await source.readBlock(dataset.key, { start: [1, 0], count: [1, 7] });
      // Row 1 is SOLID LIQUID GAS PLASMA SOLID LIQUID GAS: 0 1 2 3 0 1 2 as big-endian int16.
      expect(row.allocated && Buffer.from(row.bytes).toString("hex")).toBe("0000000100020003000000010002");
    });
  });
});

describe("blocks of never-written chunks", () => {
  let file: string;
  beforeAll(async () => {
    // 40x40 int32 in 10x10 chunks, of which only rows 10..19 were ever written.
    await h5wasm.ready;
    file = join(scratch, "partial.h5");
    const f = new h5wasm.File(file, "w");
    const d = f.create_dataset({ name: "data", data: new Int32Array(0), shape: [0, 40], maxshape: [null, 40], chunks: [10, 10], dtype: "<i4" });
    d.resize([40, 40]);
    d.write_slice([[10, 20], []], new Int32Array(400).map((_, i) => i + 1));
    f.close();
  });

  it("are reported without reading them, and written ones read back", async () => {
    await withSource(file, async (source, datasets) => {
      const dataset = datasets.get("/data")!;
      expect(dataset.allocated).toBe(true);
      expect(dataset.layout).toEqual({ class: "chunked", chunks: [10, 10] });
      expect(dataset.maxShape).toEqual([null, 40]);
      expect(await source.readBlock(dataset.key, { start: [0, 0], count: [10, 40] })).toEqual({ allocated: false });
      expect(await source.readBlock(dataset.key, { start: [20, 0], count: [20, 40] })).toEqual({ allocated: false });
      const written = await source.readBlock(dataset.key, { start: [5, 0], count: [10, 10] });
      expect(written.allocated).toBe(true);
      if (!written.allocated) return;
      const values = new Int32Array(written.bytes.buffer, written.bytes.byteOffset, 100);
      expect(Array.from(values.subarray(0, 10))).toEqual(new Array(10).fill(0));
      expect(Array.from(values.subarray(50, 55))).toEqual([1, 2, 3, 4, 5]);
    });
  });

  it("are reported for datasets never written at all (dset_gzip.h5)", async () => {
    await withSource(join(H5, "dset_gzip.h5"), async (source, datasets) => {
      for (const dataset of datasets.values()) {
        expect(dataset.allocated).toBe(false);
        expect(await source.readBlock(dataset.key, { start: [0, 0], count: [100, 100] })).toEqual({ allocated: false });
      }
    });
  });
});

describe("files that cannot be read fail with one line naming the file", () => {
  const expectOpenError = async (file: string, reason: RegExp) => {
    const error = await Hdf5Source.open(file).then(
      async (source) => {
        await source.close();
        return undefined;
      },
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(SourceFileError);
    expect((error as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain("\n");
  };

  it("not an HDF5 file", () => expectOpenError(join(H5, "notahdf5file.h5"), /not an HDF5 file/));
  it("a missing file", () => expectOpenError(join(scratch, "missing.h5"), /no such file/));
  it("a directory", () => expectOpenError(scratch, /is a directory/));

  it("a truncated file", async () => {
    const file = join(scratch, "truncated.h5");
    copyFileSync(join(H5, "tall.h5"), file);
    truncateSync(file, 3000);
    await expectOpenError(file, /truncated/);
  });

  it("an unreadable file (not checkable as root, who reads anything)", async (ctx) => {
    const file = join(scratch, "unreadable.h5");
    writeFileSync(file, readFileSync(join(H5, "tall.h5")));
    chmodSync(file, 0o000);
    let readable = true;
    try {
      readFileSync(file);
    } catch {
      readable = false;
    }
    if (readable) ctx.skip();
    await expectOpenError(file, /permission denied/);
  });

  afterAll(() => {
    chmodSync(join(scratch, "unreadable.h5"), 0o600);
  });
});

// The link side of -a --link and --link --extend, carried out against the embedded engine with the pieces the
// aggregate loader uses: the NCEP3-like days stacked into one chunk table (a row per file, each entry naming its
// file), the IMERG-like half hours placed one after another along time (the table grown with the dataset), and a
// file whose chunks do not line up refused. Every value read back equals the source files'. Then whole -a --link
// runs for what the command-line tests do not reach: a concatenation whose row 0 comes from a chunk table, and a
// file_uri the server cannot read.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainHandle, HsdsClient } from "../../src/client/hsds-client.js";
import type { LayoutJson, TypeJson } from "../../src/client/hsds-types.js";
import { Hdf5Source } from "../../src/hdf5/source/hdf5-source.js";
import { aggregateFiles } from "../../src/loader/aggregate.js";
import { joinProblem, linkedRefsOf, type LinkedRefs, sharedLinkedCreation, slotBlock, sourceTerms } from "../../src/loader/link-aggregate.js";
import { createChunkTable, LinkedFileError, readChunkTable, writeTableBlock } from "../../src/loader/link-run.js";
import { readLinkSource } from "../../src/loader/link-source.js";
import { extendedTableShape, LinkTableError, refsOfLinkedLayout } from "../../src/loader/link-table.js";
import { loadFile } from "../../src/loader/load.js";
import type { PlannedDataset } from "../../src/loader/load-plan.js";
import { plan } from "../../src/loader/plan.js";
import { withH5File } from "../hdf5/helpers/h5wasm-datasets.js";
import { CORPUS } from "../helpers/paths.js";
import { LOCAL_USER, localClient } from "./helpers/local-client.js";

const scratch = mkdtempSync(join(tmpdir(), "hsload-link-aggregate-"));
let client: HsdsClient;
let storeDir: string;

beforeAll(async () => {
  ({ client, dir: storeDir } = await localClient());
});
afterAll(async () => {
  await client.close();
  for (const dir of [scratch, storeDir]) rmSync(dir, { recursive: true, force: true });
});

const MAX_CHUNK = 4 * 1024 * 1024;

// Each source writes its own rows of a shared {offset, size, file_uri} table: chunks filled in part.
const throughSharedTable = it;

interface LinkedSource {
  file: string;
  planned: PlannedDataset;
  linked: LinkedRefs;
}

/** One dataset of a file as --link plans it, and its chunks on the HDF5 grid. */
async function linkedSource(file: string, path: string): Promise<LinkedSource> {
  const source = await Hdf5Source.open(file);
  try {
    const tree = await source.tree();
    const planned = plan(tree, { link: await readLinkSource(file, tree, {}) }).datasets.find((d) => d.path === path)!;
    return { file, planned, linked: linkedRefsOf(planned)! };
  } finally {
    await source.close();
  }
}

const termsOf = (source: LinkedSource) => sourceTerms(source.planned, source.linked);

async function sourceValues(file: string, path: string): Promise<Float32Array> {
  return withH5File(file, (f) => (f.get(path) as InstanceType<typeof h5wasm.Dataset>).value as Float32Array);
}

async function newDomain(name: string): Promise<DomainHandle> {
  const domain = client.domain(`/home/${LOCAL_USER}/${name}`);
  await domain.create();
  return domain;
}

/** Creates a dataset files share through one chunk table, as -a does: the table first, empty. */
async function createShared(domain: DomainHandle, first: LinkedSource, shape: number[], maxdims: number[], form: Parameters<typeof sharedLinkedCreation>[1]) {
  const { creationProperties, table } = sharedLinkedCreation(first, form);
  const tableId = await createChunkTable(domain, table);
  const dataset = await domain.createDataset({
    type: first.planned.type.type as unknown as TypeJson,
    shape,
    maxdims,
    creationProperties: { ...creationProperties, layout: { ...creationProperties.layout!, chunk_table: tableId } },
  });
  return { tableId, id: dataset.id };
}

describe("-a --link: the NCEP3-like days stacked along a new leading dimension", () => {
  const dir = join(CORPUS, "seeds", "ncep3");
  const days = [1, 2, 3, 4, 5].map((d) => join(dir, `GSSTF_NCEP.3.1987.07.0${d}.he5`));
  const fields = ["Psea_level", "Qsat", "SST", "Tair_2m"].map((f) => `/HDFEOS/GRIDS/NCEP/Data Fields/${f}`);

  throughSharedTable.each(fields)("%s: one table, a row per day, reads back as the five files", async (path) => {
    const sources = await Promise.all(days.map((f) => linkedSource(f, path)));
    const first = sources[0]!;
    const domain = await newDomain(`ncep3_${path.split("/").pop()}.h5`);
    const shape = first.planned.shape as number[];
    for (const source of sources) expect(joinProblem(termsOf(first), termsOf(source))).toBeUndefined();
    const { tableId, id } = await createShared(domain, first, [sources.length, ...shape], [0, ...shape], { stacked: true, rows: sources.length });
    const dataset = { id };
    for (const [row, source] of sources.entries()) {
      await writeTableBlock(domain, tableId, slotBlock(source.linked, { dim: 0, start: row, count: 1, stacked: true }, sources.length));
    }

    const info = await domain.getDataset(dataset.id);
    expect(info.creationProperties!.layout).toEqual({ class: "H5D_CHUNKED_REF_INDIRECT", dims: [1, 36, 72], chunk_table: tableId });
    expect(info.creationProperties!.filters!.map((f) => f.name)).toEqual(["shuffle", "gzip"]);
    const values = new Float32Array((await domain.readValue(dataset.id)).slice().buffer);
    const expected = await Promise.all(days.map((f) => sourceValues(f, path)));
    expected.forEach((day, row) => expect(values.subarray(row * day.length, (row + 1) * day.length), `day ${row + 1}`).toEqual(day));
    expect(expected[0]).not.toEqual(expected[1]);
  });

  it("takes row 0 from a domain an earlier hsload --link made", async () => {
    const path = fields[2]!;
    const target = `/home/${LOCAL_USER}/ncep3_day1.h5`;
    expect((await loadFile(client, days[0]!, target, { parallel: 2, link: {} })).status).toBe("loaded");
    const linked = await client.domain(target).getDatasetByPath(path);
    const layout = linked.creationProperties!.layout as LayoutJson;
    const fromDomain = refsOfLinkedLayout(layout, linked.shape.dims!, 4, MAX_CHUNK);
    const fromFile = await linkedSource(days[0]!, path);
    expect(fromDomain).toEqual(fromFile.linked);
    expect(fromDomain.fileUri).toBe(days[0]);
  });
});

describe("--link --extend: the IMERG-like half hours along time", () => {
  const dir = join(CORPUS, "seeds", "imerg");
  const steps = ["0000", "0030", "0100", "0130"].map((t) => join(dir, `imerg_${t}.h5`));

  throughSharedTable.each(["/Grid/precipitationCal", "/Grid/IRprecipitation", "/Grid/HQprecipitation"])("%s: the table grows with time and reads back as the four files", async (path) => {
    const sources = await Promise.all(steps.map((f) => linkedSource(f, path)));
    const first = sources[0]!;
    expect(first.linked.refs.chunk).toEqual([1, 36, 18]);
    const shape = first.planned.shape as number[];
    const domain = await newDomain(`imerg_${path.split("/").pop()}.h5`);
    const { tableId, id } = await createShared(domain, first, [0, ...shape.slice(1)], [0, ...shape.slice(1)], { stacked: false, dim: 0, extent: 0 });
    const dataset = { id };
    let extent = 0;
    for (const source of sources) {
      const block = slotBlock(source.linked, { dim: 0, start: extent, count: 1 }, extent);
      await domain.resizeDataset(tableId, extendedTableShape(source.linked.refs, 0, extent + 1).shape);
      await domain.resizeDataset(dataset.id, [extent + 1, ...shape.slice(1)]);
      await writeTableBlock(domain, tableId, block);
      extent++;
      expect(block.tableExtent).toBe(extent);
    }
    const values = new Float32Array((await domain.readValue(dataset.id)).slice().buffer);
    const expected = await Promise.all(steps.map((f) => sourceValues(f, path)));
    expect(values).toEqual(Float32Array.from(expected.flatMap((step) => [...step])));
    expect((await domain.getDataset(dataset.id)).creationProperties!.fillValue).toBeCloseTo(-9999.9, 3);
  });

  it("refuses to join files whose chunks or filters differ: the table has one chunk shape, the dataset one filter list", async () => {
    await h5wasm.ready;
    const make = (name: string, chunks: number[], compression?: "gzip") => {
      const file = join(scratch, `${name}.h5`);
      const f = new h5wasm.File(file, "w");
      f.create_dataset({ name: "p", data: new Float32Array(2 * 40 * 40), shape: [2, 40, 40], chunks, dtype: "<f4", ...(compression ? { compression } : {}) });
      f.close();
      return linkedSource(file, "/p");
    };
    const [plain, otherChunks, gzip] = await Promise.all([make("plain", [1, 40, 40]), make("other_chunks", [2, 20, 40]), make("gzip", [1, 40, 40], "gzip")]);
    expect(joinProblem(termsOf(plain), termsOf(otherChunks))).toBe(`it cannot share the chunk table of ${plain.linked.fileUri}: HDF5 chunks (2,20,40) differ from (1,40,40)`);
    expect(joinProblem(termsOf(plain), termsOf(gzip))).toBe(`it cannot share the chunk table of ${plain.linked.fileUri}: its filters [[1,"gzip"]] differ from []`);
  });

  it("refuses a file whose chunks along time do not start on a chunk boundary", async () => {
    await h5wasm.ready;
    const files = [0, 1].map((n) => {
      const file = join(scratch, `misaligned_${n}.h5`);
      const f = new h5wasm.File(file, "w");
      f.create_dataset({ name: "precipitation", data: new Float32Array(3 * 40 * 40).map((_, i) => i + n), shape: [3, 40, 40], maxshape: [null, 40, 40], chunks: [2, 40, 40], dtype: "<f4" });
      f.close();
      return file;
    });
    const [a, b] = await Promise.all(files.map((f) => linkedSource(f, "/precipitation")));
    expect(slotBlock(a!.linked, { dim: 0, start: 0, count: 3 }, 0).tableExtent).toBe(2);
    expect(() => slotBlock(b!.linked, { dim: 0, start: 3, count: 3 }, 3)).toThrow(LinkTableError);
    expect(() => slotBlock(b!.linked, { dim: 0, start: 3, count: 3 }, 3)).toThrow(
      "its chunks are 2 long along the extended dimension 0 but it would start at 3, inside a chunk (it holds 3 along that dimension): linked data can only be extended where chunk boundaries align (chunk extent 1 along the extended dimension always does)",
    );
    // At the end of the table, a partial last chunk is fine; with data after it, it would hide that data.
    expect(slotBlock(b!.linked, { dim: 0, start: 4, count: 3 }, 4).tableExtent).toBe(4);
    expect(() => slotBlock(a!.linked, { dim: 0, start: 0, count: 3 }, 4)).toThrow(
      "its last chunk along the extended dimension 0 is partial (3 is not a multiple of 2) and data follows it at 3",
    );
  });
});

describe("whole -a --link runs", () => {
  it("concatenates onto a dataset linked through its own chunk table: row 0 comes from that table, which is then deleted", async () => {
    await h5wasm.ready;
    // (64, 64) in 256 chunks of (4, 4): a plain --link load gives it a table of its own (H5D_CHUNKED_REF_INDIRECT).
    const [first, second] = [0, 1].map((n) => {
      const file = join(scratch, `tiles_${n}.h5`);
      const f = new h5wasm.File(file, "w");
      f.create_dataset({ name: "tiles", data: Float32Array.from({ length: 64 * 64 }, (_, i) => n * 10000 + i), shape: [64, 64], chunks: [4, 4] });
      f.close();
      return file;
    }) as [string, string];
    const target = `/home/${LOCAL_USER}/tiles.h5`;
    expect((await loadFile(client, first, target, { parallel: 2, link: {} })).status).toBe("loaded");
    const domain = client.domain(target);
    const before = (await domain.getDatasetByPath("/tiles")).creationProperties!.layout!;
    expect(before).toMatchObject({ class: "H5D_CHUNKED_REF_INDIRECT", file_uri: first, hyper_dims: [4, 4] });
    const oldTable = await readChunkTable(domain, before.chunk_table as string);

    await aggregateFiles(client, [second], target, { parallel: 2, link: {} });
    const dataset = await domain.getDatasetByPath("/tiles");
    expect(dataset.shape.dims).toEqual([2, 64, 64]);
    const layout = dataset.creationProperties!.layout!;
    expect(layout).toEqual({ class: "H5D_CHUNKED_REF_INDIRECT", dims: [1, 4, 4], chunk_table: layout.chunk_table });
    const table = (await domain.readValueJson(layout.chunk_table as string)) as [number, number, string][][][];
    expect(table.map((rows) => [...new Set(rows.flat().map((entry) => entry[2]))])).toEqual([[first], [second]]);
    // Row 0 holds the entries of the table the first load made, offsets and sizes unchanged.
    expect(table[0]!.flat().map(([offset, size]) => ({ offset, size }))).toEqual(oldTable.refs);
    const values = new Float32Array((await domain.readValue(dataset.id)).slice().buffer);
    expect(values).toEqual(Float32Array.from({ length: 2 * 64 * 64 }, (_, i) => (i < 4096 ? i : 10000 + i - 4096)));
    // The dataset the first load made and its table are gone: the new one, its table and the ledger remain.
    await expect(domain.getDataset(before.chunk_table as string)).rejects.toThrow();
    await domain.rescan();
    expect((await domain.get({ verbose: true })).num_datasets).toBe(3);
  });

  it("fails a run whose file_uri the server cannot read, and removes the domain it made", async () => {
    const file = join(CORPUS, "seeds", "imerg", "imerg_0000.h5");
    const target = `/home/${LOCAL_USER}/unreadable.h5`;
    const run = aggregateFiles(client, [file], target, { parallel: 2, link: { linkpath: "nowhere/imerg_0000.h5" }, extend: "time", newDomainOnly: true });
    await expect(run).rejects.toThrow(LinkedFileError);
    await expect(run).rejects.toThrow(/^the server cannot read the linked file nowhere\/imerg_0000\.h5 \(a relative path names a file under the server's root directory/);
    expect(await client.domain(target).getIfExists()).toBeUndefined();
  });
});

// planAggregate() with --link (pure): files stacked or extended into one dataset share one chunk table, created
// with the dataset, each file writing its block at its slot; a dataset an earlier --link load linked to one file
// is concatenated keeping its chunk references; a shared table is resized with its dataset. And the refusals,
// before anything is written: linked and copied values in one dataset, files whose chunks or filters differ, files
// whose chunks do not line up along the extended dimension, a linked file --force cannot link anew in place.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreationProperties } from "../../src/client/hsds-types.js";
import { Hdf5Source } from "../../src/hdf5/source/hdf5-source.js";
import type { SourceTree } from "../../src/hdf5/source/source-tree.js";
import type { AggregatePlan, AggregateSourceInput, DatasetChange } from "../../src/loader/aggregate-plan.js";
import { AggregatePlanError, planAggregate } from "../../src/loader/aggregate-planner.js";
import { emptyTarget, type TargetState } from "../../src/loader/aggregate-target.js";
import type { Indexed, LedgerRecord, SourceRecord } from "../../src/loader/ledger-records.js";
import { readLinkSource } from "../../src/loader/link-source.js";
import { plan } from "../../src/loader/plan.js";
import type { HsdsType } from "../../src/model/datatype.js";
import { CORPUS } from "../helpers/paths.js";

const DOMAIN = "/home/t/d.h5";
const F32: HsdsType = { class: "H5T_FLOAT", base: "H5T_IEEE_F32LE" };
const NCEP3 = [1, 2, 3, 4, 5].map((d) => join(CORPUS, "seeds", "ncep3", `GSSTF_NCEP.3.1987.07.0${d}.he5`));
const IMERG = ["0000", "0030", "0100", "0130"].map((t) => join(CORPUS, "seeds", "imerg", `imerg_${t}.h5`));
const SST = "/HDFEOS/GRIDS/NCEP/Data Fields/SST";
const PRECIPITATION = "/Grid/precipitationCal";
const scratch = mkdtempSync(join(tmpdir(), "link-aggregate-plan-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const trees = new Map<string, SourceTree>();
const linked = new Map<string, AggregateSourceInput["loadPlan"]>();

async function read(file: string): Promise<void> {
  const source = await Hdf5Source.open(file);
  try {
    const tree = await source.tree();
    trees.set(file, tree);
    linked.set(file, plan(tree, { link: await readLinkSource(file, tree, {}) }));
  } finally {
    await source.close();
  }
}

/** A file of /p float32 (n, 40, 40) with a time scale, chunked as given, its values from `start`. */
function gridFile(name: string, n: number, chunks: number[], options: { start?: number; gzip?: boolean } = {}): string {
  const file = join(scratch, name);
  const f = new h5wasm.File(file, "w");
  f.create_dataset({ name: "time", data: Float64Array.from({ length: n }, (_, i) => (options.start ?? 0) + i), shape: [n], maxshape: [null], chunks: [1] });
  const data = Float32Array.from({ length: n * 1600 }, (_, i) => (options.start ?? 0) * 1600 + i);
  f.create_dataset({ name: "p", data, shape: [n, 40, 40], maxshape: [null, 40, 40], chunks, ...(options.gzip ? { compression: "gzip" as const } : {}) });
  (f.get("time") as InstanceType<typeof h5wasm.Dataset>).make_scale("time");
  (f.get("p") as InstanceType<typeof h5wasm.Dataset>).attach_scale(0, "/time");
  f.close();
  return file;
}

let grids: Record<"a" | "b" | "wide" | "gzip" | "pairs" | "pairsNext", string>;

beforeAll(async () => {
  await h5wasm.ready;
  grids = {
    a: gridFile("a.h5", 1, [1, 40, 40]),
    b: gridFile("b.h5", 1, [1, 40, 40], { start: 1 }),
    wide: gridFile("wide.h5", 1, [1, 20, 40], { start: 1 }),
    gzip: gridFile("gzip.h5", 1, [1, 40, 40], { start: 1, gzip: true }),
    pairs: gridFile("pairs.h5", 1, [2, 40, 40]),
    pairsNext: gridFile("pairs_next.h5", 1, [2, 40, 40], { start: 1 }),
  };
  await Promise.all([...NCEP3, ...IMERG, ...Object.values(grids)].map(read));
});

/** A source as -a --link reads it (or, with `copied`, as -a without --link). */
function source(file: string, extra: Partial<AggregateSourceInput> & { copied?: boolean } = {}): AggregateSourceInput {
  const { copied, ...rest } = extra;
  const tree = trees.get(file)!;
  const name = file.split("/").pop()!;
  const loadPlan = copied ? plan(tree) : linked.get(file)!;
  return { file, identity: { path: file, name, size: 1, mtime: "2020-01-01T00:00:00.000Z", sha256: "x" }, status: "new", tree, loadPlan, ...rest };
}

function planOf(sources: AggregateSourceInput[], options: { target?: TargetState; ledger?: Indexed<LedgerRecord>[]; extend?: string } = {}): AggregatePlan {
  return planAggregate({ domain: DOMAIN, target: options.target ?? emptyTarget(), newDomain: options.target === undefined, ledger: options.ledger ?? [], sources, extend: options.extend });
}

function refusal(sources: AggregateSourceInput[], options: Parameters<typeof planOf>[1] = {}): string {
  try {
    planOf(sources, options);
  } catch (err) {
    expect(err).toBeInstanceOf(AggregatePlanError);
    return (err as Error).message;
  }
  throw new Error("the plan was not refused");
}

/** A domain holding one float32 dataset at `path` with these creation properties, as an earlier load left it. */
function targetWith(path: string, shape: number[], creationProperties: CreationProperties, maxdims?: number[]): TargetState {
  const state = emptyTarget("g-root");
  const parent = path.slice(0, path.lastIndexOf("/")) || "/";
  if (parent !== "/") state.entries.set(parent, { kind: "group", id: "g-parent" });
  state.entries.set(path, { kind: "dataset", id: "d-old", type: F32, typeJson: F32 as never, shape, maxdims, creationProperties });
  state.linksTo.set("d-old", [{ group: "g-parent", title: path.split("/").pop()! }]);
  return state;
}

const plannedOf = (file: string, path: string) => linked.get(file)!.datasets.find((d) => d.path === path)!;
const changeAt = (p: AggregatePlan, path: string) => p.datasets.find((d) => d.path === path) as DatasetChange;
const placementsAt = (p: AggregatePlan, path: string) => p.sources.map((s) => s.datasets.find((d) => d.path === path)!);
const row = (start: number) => ({ dim: 0, start, count: 1, stacked: true as const });

function record(name: string, slots: SourceRecord["slots"]): SourceRecord {
  return { name, path: name, size: 1, mtime: "2020-01-01T00:00:00.000Z", sha256: "x", state: "complete", loaded: "2020-01-01T00:00:00.000Z", slots, run: "r" };
}

describe("concatenation: the NCEP3-like days", () => {
  it("into a new domain: each field created stacked with one chunk table of a row per day, each day writing its row", () => {
    const p = planOf(NCEP3.map((f) => source(f)));
    const sst = changeAt(p, SST);
    expect(sst).toMatchObject({ change: "create", shape: [5, 72, 144], maxdims: [0, 72, 144], createdShape: [0, 72, 144], stacked: true });
    if (sst.change !== "create") throw new Error("not created");
    expect(sst.creationProperties!.layout).toEqual({ class: "H5D_CHUNKED_REF_INDIRECT", dims: [1, 36, 72] });
    expect(sst.creationProperties!.filters!.map((f) => f.id)).toEqual([2, 1]);
    expect(sst.creationProperties!.fillValue).toBe(-999);
    expect(sst.chunkTable).toEqual({ shape: [5, 2, 2], maxdims: [0, 2, 2], refs: [], fileUris: [] });
    expect(placementsAt(p, SST).map((d) => [d.slot, d.linked, d.write, d.action])).toEqual(NCEP3.map((_, r) => [row(r), "table", false, "concatenated"]));
    // StructMetadata.0 is a scalar: copied, in place, the last day's.
    expect(placementsAt(p, "/HDFEOS INFORMATION/StructMetadata.0").map((d) => [d.linked, d.write])).toEqual([0, 1, 2, 3, 4].map((i) => [undefined, i === 4]));
  });

  it("onto a domain a plain --link load of day 1 made: the concatenation stays linked, the other days take rows 1-4", () => {
    const day1 = plannedOf(NCEP3[0]!, SST);
    expect(day1.creationProperties!.layout!.class).toBe("H5D_CHUNKED_REF");
    const p = planOf(NCEP3.slice(1).map((f) => source(f)), { target: targetWith(SST, [72, 144], day1.creationProperties!, [72, 144]) });
    expect(changeAt(p, SST)).toEqual({ change: "concatenate", path: SST, id: "d-old", from: [72, 144], shape: [5, 72, 144], maxdims: [0, 72, 144], linked: true });
    expect(placementsAt(p, SST).map((d) => [d.slot!.start, d.linked])).toEqual([1, 2, 3, 4].map((r) => [r, "table"]));
  });

  it("onto a domain whose fields are shared by four days: day 5 takes row 4, the table is resized with the dataset", () => {
    const shared: CreationProperties = { ...plannedOf(NCEP3[0]!, SST).creationProperties, layout: { class: "H5D_CHUNKED_REF_INDIRECT", dims: [1, 36, 72], chunk_table: "d-table" } };
    const ledger = NCEP3.slice(0, 4).map((f, r) => ({ index: r, record: record(f.split("/").pop()!, { [SST]: row(r) }) }));
    const p = planOf([source(NCEP3[4]!)], { target: targetWith(SST, [4, 72, 144], shared, [0, 72, 144]), ledger });
    expect(changeAt(p, SST)).toEqual({ change: "resize", path: SST, id: "d-old", from: [4, 72, 144], shape: [5, 72, 144], tableShape: [5, 2, 2] });
    expect(placementsAt(p, SST)[0]).toMatchObject({ slot: row(4), linked: "table", write: false });
  });
});

describe("extension along time: the IMERG-like half hours", () => {
  it("into a new domain: each grid created with one chunk table growing along time; time itself is copied", () => {
    const p = planOf(IMERG.map((f) => source(f)), { extend: "time" });
    const grid = changeAt(p, PRECIPITATION);
    if (grid.change !== "create") throw new Error("not created");
    expect(grid).toMatchObject({ shape: [4, 36, 18], maxdims: [0, 36, 18], stacked: false });
    expect(grid.creationProperties!.layout).toEqual({ class: "H5D_CHUNKED_REF_INDIRECT", dims: [1, 36, 18] });
    expect(grid.chunkTable).toEqual({ shape: [4, 1, 1], maxdims: [0, 1, 1], refs: [], fileUris: [] });
    expect(placementsAt(p, PRECIPITATION).map((d) => [d.slot, d.linked])).toEqual([0, 1, 2, 3].map((start) => [{ dim: 0, start, count: 1 }, "table"]));
    expect(placementsAt(p, "/Grid/time").map((d) => [d.linked, d.write])).toEqual([0, 1, 2, 3].map(() => [undefined, true]));
  });

  it("onto a domain holding two steps through one table: the table grows with time", () => {
    const shared: CreationProperties = { ...plannedOf(IMERG[0]!, PRECIPITATION).creationProperties, layout: { class: "H5D_CHUNKED_REF_INDIRECT", dims: [1, 36, 18], chunk_table: "d-table" } };
    const p = planOf(IMERG.slice(2).map((f) => source(f)), { target: targetWith(PRECIPITATION, [2, 36, 18], shared, [0, 36, 18]), extend: "time" });
    expect(changeAt(p, PRECIPITATION)).toEqual({ change: "resize", path: PRECIPITATION, id: "d-old", from: [2, 36, 18], shape: [4, 36, 18], tableShape: [4, 1, 1] });
  });

  it("a file's chunks 2 long along time: the first alone ends with a partial chunk; one after it would start inside a chunk", () => {
    const alone = planOf([source(grids.pairs)], { extend: "time" });
    expect(changeAt(alone, "/p")).toMatchObject({ shape: [1, 40, 40], chunkTable: { shape: [1, 1, 1] } });
    expect(refusal([source(grids.pairs), source(grids.pairsNext)], { extend: "time" })).toBe(
      `${grids.pairsNext}: /p cannot be linked along time: its chunks are 2 long along the extended dimension 0 but it would start at 1, inside a chunk ` +
        "(it holds 1 along that dimension): linked data can only be extended where chunk boundaries align (chunk extent 1 along the extended dimension always does)",
    );
  });
});

describe("refusals, before anything is written", () => {
  it("a file whose chunks or filters differ from those of the files before it", () => {
    expect(refusal([source(grids.a), source(grids.wide)], { extend: "time" })).toBe(`${grids.wide}: /p: it cannot share the chunk table of ${grids.a}: HDF5 chunks (1,20,40) differ from (1,40,40)`);
    expect(refusal([source(grids.a), source(grids.gzip)], { extend: "time" })).toBe(`${grids.gzip}: /p: it cannot share the chunk table of ${grids.a}: its filters [[1,"gzip"]] differ from []`);
  });

  it("a file that differs from the dataset's table in the domain, named by its path there", () => {
    const shared: CreationProperties = { layout: { class: "H5D_CHUNKED_REF_INDIRECT", dims: [1, 40, 40], chunk_table: "d-table" } };
    expect(refusal([source(grids.wide)], { target: targetWith("/p", [1, 40, 40], shared, [0, 40, 40]), extend: "time" })).toBe(
      `${grids.wide}: /p: it cannot share the chunk table of /p in ${DOMAIN}: HDF5 chunks (1,20,40) differ from (1,40,40)`,
    );
  });

  it("linked values onto copied ones, and copied values into a linked dataset", () => {
    const copied = targetWith("/p", [1, 40, 40], { layout: { class: "H5D_CHUNKED", dims: [1, 40, 40] } }, [0, 40, 40]);
    expect(refusal([source(grids.b)], { target: copied, extend: "time" })).toBe(
      `${grids.b}: /p is linked (--link), but /p in ${DOMAIN} holds copied values: linked and copied values cannot share one dataset`,
    );
    const shared = targetWith("/p", [1, 40, 40], { layout: { class: "H5D_CHUNKED_REF_INDIRECT", dims: [1, 40, 40], chunk_table: "d-table" } }, [0, 40, 40]);
    expect(refusal([source(grids.b, { copied: true })], { target: shared, extend: "time" })).toBe(
      `${grids.b}: /p in ${DOMAIN} is linked to HDF5 files, so copied values cannot be written into it (give --link)`,
    );
  });

  it("extending a dataset an earlier load linked to one file", () => {
    const single = targetWith("/p", [1, 40, 40], plannedOf(grids.a, "/p").creationProperties!, [0, 40, 40]);
    expect(refusal([source(grids.b)], { target: single, extend: "time" })).toBe(
      `${grids.b}: /p in ${DOMAIN} is linked to one file (${grids.a}); other files can join it only as rows of a concatenation`,
    );
  });

  it("--force of a file linked in place whose chunks moved; the same layout is reloaded as it is", () => {
    const layoutNow = plannedOf(grids.a, "/p").creationProperties!;
    const moved: CreationProperties = { ...layoutNow, layout: { ...layoutNow.layout!, chunks: { "0_0_0": [1, 2] } } };
    const reload = () => source(grids.a, { status: "reload", record: { index: 0, record: record("a.h5", { "/p": null }) } });
    expect(refusal([reload()], { target: targetWith("/p", [1, 40, 40], moved, [0, 40, 40]) })).toBe(
      `${grids.a}: /p in ${DOMAIN} links this file's chunks as they were when it was loaded, and --force cannot link them anew in place: remove /p or load into a new domain`,
    );
    const same = planOf([reload()], { target: targetWith("/p", [1, 40, 40], layoutNow, [0, 40, 40]) });
    expect(same.sources[0]!.datasets.find((d) => d.path === "/p")).toMatchObject({ slot: null, write: false, action: "unchanged" });
  });
});

// planAggregate(): the plan of hsload -a for the seed sets (trees read from the real files), against an empty
// domain and against domains as earlier loads left them; the checks that refuse a source before anything is
// written; and plans made again from ledger records (a resumed run plans the slots it recorded).
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Hdf5Source } from "../../src/hdf5/source/hdf5-source.js";
import type { SourceTree } from "../../src/hdf5/source/source-tree.js";
import type { AggregateSourceInput } from "../../src/loader/aggregate-plan.js";
import { AggregatePlanError, planAggregate, valueTypeKey } from "../../src/loader/aggregate-planner.js";
import { emptyTarget, type TargetDataset, type TargetState } from "../../src/loader/aggregate-target.js";
import type { Indexed, LedgerRecord, SourceRecord } from "../../src/loader/ledger-records.js";
import { plan } from "../../src/loader/plan.js";
import type { HsdsType } from "../../src/model/datatype.js";
import { CORPUS } from "../helpers/paths.js";

const SEEDS = join(CORPUS, "seeds");
const I32: HsdsType = { class: "H5T_INTEGER", base: "H5T_STD_I32LE" };
const F64: HsdsType = { class: "H5T_FLOAT", base: "H5T_IEEE_F64LE" };
const trees = new Map<string, SourceTree>();

async function readTree(file: string): Promise<SourceTree> {
  const source = await Hdf5Source.open(file);
  try {
    return await source.tree();
  } finally {
    await source.close();
  }
}

beforeAll(async () => {
  const files = [
    ...["g1", "g2", "g3"].map((f) => join(SEEDS, "splice", `${f}.h5`)),
    ...["file1", "file2", "file3"].map((f) => join(SEEDS, "concat", `${f}.h5`)),
    ...["0000", "0030", "0100", "0130"].map((t) => join(SEEDS, "imerg", `imerg_${t}.h5`)),
  ];
  for (const file of files) trees.set(file, await readTree(file));
});

const splice = (n: number) => join(SEEDS, "splice", `g${n}.h5`);
const concat = (n: number) => join(SEEDS, "concat", `file${n}.h5`);
const imerg = (t: string) => join(SEEDS, "imerg", `imerg_${t}.h5`);

function source(file: string, extra: Partial<AggregateSourceInput> = {}): AggregateSourceInput {
  const tree = trees.get(file)!;
  const name = file.split("/").pop()!;
  return { file, identity: { path: file, name, size: 1, mtime: "2020-01-01T00:00:00.000Z", sha256: "x" }, status: "new", tree, loadPlan: plan(tree), ...extra };
}

function planOf(sources: AggregateSourceInput[], options: { target?: TargetState; ledger?: Indexed<LedgerRecord>[]; extend?: string; extendOffset?: number } = {}) {
  return planAggregate({
    domain: "/home/t/d.h5",
    target: options.target ?? emptyTarget(),
    newDomain: options.target === undefined,
    ledger: options.ledger ?? [],
    sources,
    extend: options.extend,
    extendOffset: options.extendOffset,
  });
}

/** A domain holding /g1/dset of this shape (and maxdims), as an earlier load left it. */
function targetWith(shape: number[], maxdims?: number[], type: HsdsType = I32): TargetState {
  const state = emptyTarget("g-root");
  state.entries.set("/g1", { kind: "group", id: "g-1" });
  const dataset: TargetDataset = { kind: "dataset", id: "d-old", type, typeJson: type as never, shape, maxdims, creationProperties: { layout: { class: "H5D_CHUNKED", dims: [10] } } };
  state.entries.set("/g1/dset", dataset);
  state.linksTo.set("d-old", [{ group: "g-1", title: "dset" }]);
  return state;
}

function record(name: string, slots: SourceRecord["slots"], state: SourceRecord["state"] = "complete"): SourceRecord {
  return { name, path: name, size: 1, mtime: "2020-01-01T00:00:00.000Z", sha256: "x", state, loaded: "2020-01-01T00:00:00.000Z", slots, run: "r" };
}

describe("splice", () => {
  it("three files with distinct paths: every group and dataset created once, values in place", () => {
    const p = planOf([source(splice(1)), source(splice(2)), source(splice(3))]);
    expect(p.groups.map((g) => g.path)).toEqual(["/g1", "/g2", "/g3"]);
    expect(p.datasets).toEqual([
      expect.objectContaining({ change: "create", path: "/g1/dsetA", shape: [10], stacked: false, source: 0 }),
      expect.objectContaining({ change: "create", path: "/g2/dsetB", shape: [10], stacked: false, source: 1 }),
      expect.objectContaining({ change: "create", path: "/g3/dsetC", shape: [10], stacked: false, source: 2 }),
    ]);
    expect(p.sources.map((s) => s.slots)).toEqual([{ "/g1/dsetA": null }, { "/g2/dsetB": null }, { "/g3/dsetC": null }]);
    expect(p.sources.flatMap((s) => s.datasets.map((d) => [d.action, d.write]))).toEqual([
      ["spliced", true],
      ["spliced", true],
      ["spliced", true],
    ]);
    // Each group keeps its own file's attribute; the root gets none (the seeds have no root attributes).
    expect(p.attributes.map((a) => [a.path, a.attributes.map((x) => [x.source, x.attribute.name])])).toEqual([
      ["/g1", [[0, "source_file"]]],
      ["/g1/dsetA", [[0, "description"]]],
      ["/g2", [[1, "source_file"]]],
      ["/g2/dsetB", [[1, "description"]]],
      ["/g3", [[2, "source_file"]]],
      ["/g3/dsetC", [[2, "description"]]],
    ]);
  });
});

describe("concatenate", () => {
  it("three files with the same dataset into an empty domain: created once as (3, 10), unlimited rows, one row each", () => {
    const p = planOf([source(concat(1)), source(concat(2)), source(concat(3))]);
    expect(p.datasets).toEqual([
      expect.objectContaining({ change: "create", path: "/g1/dset", shape: [3, 10], maxdims: [0, 10], stacked: true, creationProperties: { layout: { class: "H5D_CHUNKED", dims: [1, 10] } } }),
    ]);
    expect(p.sources.map((s) => s.slots["/g1/dset"])).toEqual([0, 1, 2].map((start) => ({ dim: 0, start, count: 1, stacked: true })));
    expect(p.sources.map((s) => s.datasets[0]!.write)).toEqual([true, true, true]);
  });

  it("onto a dataset of the same shape in the domain: it is re-created with a leading dimension, its values row 0", () => {
    const ledger: Indexed<LedgerRecord>[] = [{ index: 0, record: record("file1.h5", { "/g1/dset": null }) }];
    const p = planOf([source(concat(2)), source(concat(3))], { target: targetWith([10]), ledger });
    expect(p.datasets).toEqual([{ change: "concatenate", path: "/g1/dset", id: "d-old", from: [10], shape: [3, 10], maxdims: [0, 10] }]);
    expect(p.sources.map((s) => s.slots["/g1/dset"]!.start)).toEqual([1, 2]);
    expect(p.sources.map((s) => s.datasets[0]!.overwrite)).toEqual([false, false]);
    // The record whose values were in place now owns row 0.
    expect(p.recordUpdates).toEqual([{ index: 0, path: "/g1/dset", slot: { dim: 0, start: 0, count: 1, stacked: true } }]);
    expect(p.groups).toEqual([]);
  });

  it("onto a dataset that already has the leading dimension: one more row each, by a resize", () => {
    const p = planOf([source(concat(3))], { target: targetWith([2, 10], [0, 10]) });
    expect(p.datasets).toEqual([{ change: "resize", path: "/g1/dset", id: "d-old", from: [2, 10], shape: [3, 10] }]);
    expect(p.sources[0]!.datasets[0]).toMatchObject({ action: "concatenated", slot: { dim: 0, start: 2, count: 1, stacked: true }, extent: { from: 2, to: 3 } });
  });

  it("refuses a row beyond a bounded leading dimension", () => {
    expect(() => planOf([source(concat(3))], { target: targetWith([2, 10], [2, 10]) })).toThrow(
      `${concat(3)}: /g1/dset cannot take row 2: its maximum shape in /home/t/d.h5 is (2, 10)`,
    );
  });
});

describe("the checks that refuse a source before anything is written", () => {
  it("a different shape names the source, the path and both shapes", () => {
    expect(() => planOf([source(concat(1))], { target: targetWith([12]) })).toThrow(
      new AggregatePlanError(`${concat(1)}: /g1/dset has shape (10,), which does not fit /g1/dset of shape (12,) in /home/t/d.h5`),
    );
    expect(() => planOf([source(concat(1))], { target: targetWith([3, 12], [0, 12]) })).toThrow(/has shape \(10,\), which does not fit \/g1\/dset of shape \(3, 12\)/);
  });

  it("a different type names both types", () => {
    expect(() => planOf([source(concat(1))], { target: targetWith([10], undefined, F64) })).toThrow(
      `${concat(1)}: /g1/dset has type int32, but /g1/dset in /home/t/d.h5 has type float64`,
    );
  });

  it("a later source of the same run that does not fit fails the whole plan", () => {
    const other = source(concat(3));
    const dataset = other.loadPlan!.datasets[0]!;
    other.loadPlan = { ...other.loadPlan!, datasets: [{ ...dataset, shape: [11] }] };
    expect(() => planOf([source(concat(1)), source(concat(2)), other])).toThrow(`${concat(3)}: /g1/dset has shape (11,), which does not fit /g1/dset of shape (2, 10) in /home/t/d.h5`);
  });

  it("--extend with a source that has no such scale", () => {
    expect(() => planOf([source(concat(1))], { extend: "time" })).toThrow(`${concat(1)}: no dimension scale named time to extend (--extend time)`);
  });

  it("--extend onto a dataset whose dimension is fixed", () => {
    const target = emptyTarget("g-root");
    const tree = trees.get(imerg("0000"))!;
    target.entries.set("/Grid", { kind: "group", id: "g-grid" });
    for (const o of tree.objects) {
      if (o.kind !== "dataset" || !("type" in o.type)) continue;
      target.entries.set(o.path, { kind: "dataset", id: `d-${o.key}`, type: o.type.type, typeJson: o.type.type as never, shape: o.shape, maxdims: o.shape!.map((n) => n) });
    }
    expect(() => planOf([source(imerg("0030"))], { target, extend: "time" })).toThrow(
      `${imerg("0030")}: /Grid/HQprecipitation cannot grow along time from 1 to 2: its maximum shape in /home/t/d.h5 is (1, 36, 18); load the first file with -a --extend time`,
    );
  });

  it("a group where the domain has a dataset", () => {
    const target = targetWith([10]);
    target.entries.set("/g2", target.entries.get("/g1/dset")!);
    expect(() => planOf([source(splice(2))], { target })).toThrow(`${splice(2)}: /g2 is a group in the source but a dataset in /home/t/d.h5`);
  });

  it("a soft link that points elsewhere names both targets; an identical one is accepted", () => {
    const withLink = (h5path: string) => {
      const s = source(splice(1));
      s.loadPlan = { ...s.loadPlan!, links: [...s.loadPlan!.links, { group: s.tree!.root, links: [{ name: "latest", target: { h5path } }] }] };
      return s;
    };
    const target = emptyTarget("g-root");
    target.entries.set("/latest", { kind: "soft", h5path: "/g9/x" });
    expect(() => planOf([withLink("/g1/dsetA")], { target })).toThrow(
      `${splice(1)}: link /latest points to a soft link to /g1/dsetA, but /latest in /home/t/d.h5 is a soft link to /g9/x`,
    );
    expect(planOf([withLink("/g9/x")], { target }).links).toEqual([]);
    expect(planOf([withLink("/g1/dsetA")]).links).toEqual([{ group: "/", name: "latest", target: { h5path: "/g1/dsetA" } }]);
  });
});

describe("extend", () => {
  const all = ["0000", "0030", "0100", "0130"];

  it("the IMERG-like set in one run: time (4,), the grids (4, 36, 18), time_bnds (4, 2); lat/lon written once, in place", () => {
    const p = planOf(all.map((t) => source(imerg(t))), { extend: "time" });
    const created = Object.fromEntries(p.datasets.map((d) => [d.path, d.change === "create" ? [d.shape, d.maxdims] : d.change]));
    expect(created).toEqual({
      "/Grid/HQprecipitation": [[4, 36, 18], [0, 36, 18]],
      "/Grid/IRprecipitation": [[4, 36, 18], [0, 36, 18]],
      "/Grid/precipitationCal": [[4, 36, 18], [0, 36, 18]],
      "/Grid/time": [[4], [0]],
      "/Grid/time_bnds": [[4, 2], [0, 2]],
      "/Grid/lat": [[18], [18]],
      "/Grid/lat_bnds": [[18, 2], [18, 2]],
      "/Grid/lon": [[36], [36]],
      "/Grid/lon_bnds": [[36, 2], [36, 2]],
    });
    expect(p.sources.map((s) => s.slots["/Grid/time"])).toEqual([0, 1, 2, 3].map((start) => ({ dim: 0, start, count: 1 })));
    expect(p.sources.map((s) => s.slots["/Grid/precipitationCal"])).toEqual([0, 1, 2, 3].map((start) => ({ dim: 0, start, count: 1 })));
    // In place, only the last file writes.
    expect(p.sources.map((s) => s.datasets.find((d) => d.path === "/Grid/lat")!.write)).toEqual([false, false, false, true]);
    // The scale attributes come from the last file, and keep naming the datasets by path.
    const time = p.attributes.find((a) => a.path === "/Grid/time")!;
    expect(time.attributes.find((a) => a.attribute.name === "REFERENCE_LIST")!.source).toBe(3);
  });

  it("onto a domain holding the first file: the datasets are resized, the new steps go at the end, or at --extend-offset", () => {
    const target = emptyTarget("g-root");
    target.entries.set("/Grid", { kind: "group", id: "g-grid" });
    for (const o of trees.get(imerg("0000"))!.objects) {
      if (o.kind !== "dataset" || !("type" in o.type)) continue;
      const maxdims = o.maxShape!.map((m) => m ?? 0);
      target.entries.set(o.path, { kind: "dataset", id: `d-${o.key}`, type: o.type.type, typeJson: o.type.type as never, shape: o.shape, maxdims });
    }
    const p = planOf([source(imerg("0030")), source(imerg("0100"))], { target, extend: "time" });
    expect(p.datasets.filter((d) => d.path === "/Grid/time")).toEqual([{ change: "resize", path: "/Grid/time", id: "d-6144", from: [1], shape: [3] }]);
    expect(p.sources[1]!.datasets.find((d) => d.path === "/Grid/time_bnds")).toMatchObject({ action: "extended", slot: { dim: 0, start: 2, count: 1 }, extent: { from: 2, to: 3 } });
    expect(p.sources[1]!.datasets.find((d) => d.path === "/Grid/lat")).toMatchObject({ action: "unchanged", slot: null, write: true, overwrite: true });

    const atOffset = planOf([source(imerg("0030")), source(imerg("0100"))], { target, extend: "time", extendOffset: 0 });
    expect(atOffset.sources.map((s) => s.slots["/Grid/time"])).toEqual([{ dim: 0, start: 0, count: 1 }, { dim: 0, start: 1, count: 1 }]);
    // Index 0 held values already: every block is written, fill values too.
    expect(atOffset.sources[0]!.datasets.find((d) => d.path === "/Grid/time")!.overwrite).toBe(true);
    expect(atOffset.datasets.find((d) => d.path === "/Grid/time")).toEqual({ change: "resize", path: "/Grid/time", id: "d-6144", from: [1], shape: [2] });
  });
});

describe("plans made again from the ledger", () => {
  it("a resumed run reproduces the stopped run's structure from the recorded slots, and new sources follow", () => {
    const first = planOf([source(concat(1)), source(concat(2))]);
    const ledger: Indexed<LedgerRecord>[] = first.sources.map((s, i) => ({ index: i, record: record(s.name, s.slots, "loading") }));
    const resumed = planOf(
      [
        source(concat(1), { status: "resume", record: ledger[0] as Indexed<SourceRecord> }),
        source(concat(2), { status: "resume", record: ledger[1] as Indexed<SourceRecord> }),
        source(concat(3)),
      ],
      { ledger },
    );
    expect(resumed.datasets).toEqual([expect.objectContaining({ change: "create", shape: [3, 10], stacked: true })]);
    expect(resumed.sources.map((s) => s.slots["/g1/dset"]!.start)).toEqual([0, 1, 2]);
  });

  it("a reload writes into its recorded row and overwrites what is there", () => {
    const ledger: Indexed<LedgerRecord>[] = [{ index: 4, record: record("file2.h5", { "/g1/dset": { dim: 0, start: 1, count: 1, stacked: true } }) }];
    const p = planOf([source(concat(2), { status: "reload", record: ledger[0] as Indexed<SourceRecord> })], { target: targetWith([3, 10], [0, 10]), ledger });
    expect(p.datasets).toEqual([]);
    expect(p.sources[0]!.datasets[0]).toMatchObject({ action: "concatenated", slot: { start: 1 }, overwrite: true, write: true });
  });

  it("a source found in the domain (loaded without -a) is placed where it was found, writes nothing, and becomes row 0", () => {
    const adopted = source(concat(1), { status: "adopt", found: { "/g1/dset": null } });
    const p = planOf([adopted, source(concat(2))], { target: targetWith([10]) });
    expect(p.sources[0]!.datasets[0]).toMatchObject({ slot: { dim: 0, start: 0, count: 1, stacked: true }, write: false });
    expect(p.sources[1]!.datasets[0]).toMatchObject({ slot: { dim: 0, start: 1, count: 1, stacked: true }, write: true });
    expect(p.datasets).toEqual([{ change: "concatenate", path: "/g1/dset", id: "d-old", from: [10], shape: [2, 10], maxdims: [0, 10] }]);
    expect(p.recordUpdates).toEqual([]);
    // Its groups and attributes are the domain's already.
    expect(p.groups).toEqual([]);
    expect(p.attributes).toEqual([]);
  });

  it("skipped sources take no part", () => {
    const p = planOf([source(concat(1), { status: "skip", reason: "already loaded", tree: undefined, loadPlan: undefined }), source(concat(2))]);
    expect(p.sources.map((s) => [s.status, s.datasets.length])).toEqual([
      ["skip", 0],
      ["new", 1],
    ]);
    expect(p.datasets).toEqual([expect.objectContaining({ change: "create", shape: [10], stacked: false })]);
  });
});

describe("valueTypeKey", () => {
  it("ignores a string's padding and character set, not its length", () => {
    const s = (length: number, strPad: "H5T_STR_NULLPAD" | "H5T_STR_NULLTERM"): HsdsType => ({ class: "H5T_STRING", length, charSet: "H5T_CSET_ASCII", strPad });
    expect(valueTypeKey(s(4, "H5T_STR_NULLPAD"))).toBe(valueTypeKey(s(4, "H5T_STR_NULLTERM")));
    expect(valueTypeKey(s(4, "H5T_STR_NULLPAD"))).not.toBe(valueTypeKey(s(5, "H5T_STR_NULLPAD")));
    expect(valueTypeKey(I32)).not.toBe(valueTypeKey({ class: "H5T_INTEGER", base: "H5T_STD_I32BE" }));
  });
});

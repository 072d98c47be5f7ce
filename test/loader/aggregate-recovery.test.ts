// A concatenation stopped at each of its steps, then the load run again (the embedded engine, through the
// loader's own functions): before the links moved it is rolled back and done again; after, it is rolled
// forward. Either way the domain ends as an uninterrupted run leaves it: the same values, no temporary link,
// no dataset left over, every record complete and every step finished.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainHandle, HsdsClient } from "../../src/client/hsds-client.js";
import { aggregateFiles } from "../../src/loader/aggregate.js";
import { makeConcatenated, moveLinks } from "../../src/loader/aggregate-concatenate.js";
import { SourceFacts } from "../../src/loader/aggregate-sources.js";
import { readTarget, type TargetDataset } from "../../src/loader/aggregate-target.js";
import { Ledger } from "../../src/loader/ledger.js";
import type { SourceRecord, StepRecord } from "../../src/loader/ledger-records.js";
import { loadFile } from "../../src/loader/load.js";
import { CORPUS } from "../helpers/paths.js";
import { localClient } from "./helpers/local-client.js";

const CONCAT = ["file1.h5", "file2.h5", "file3.h5"].map((f) => join(CORPUS, "seeds", "concat", f));
const ROWS = [0, 1, 2].map((r) => Array.from({ length: 10 }, (_, i) => r * 10 + i));
let client: HsdsClient;

beforeAll(async () => {
  ({ client } = await localClient());
});
afterAll(() => client.close());

/** file1 loaded without -a, then the start of `-a file2`: its record, the step, the new dataset filled. */
async function stoppedConcatenation(name: string): Promise<{ domain: DomainHandle; step: StepRecord; newId: string; oldId: string }> {
  const path = `/home/tester/${name}.h5`;
  await loadFile(client, CONCAT[0]!, path, { parallel: 2 });
  const domain = client.domain(path);
  const root = (await domain.get()).root!;
  const target = await readTarget(domain, root, 2);
  const old = target.entries.get("/g1/dset") as TargetDataset;
  const group = (target.entries.get("/g1") as { id: string }).id;
  const ledger = await Ledger.create(domain, root);
  const recordOf = async (row: number): Promise<SourceRecord> => {
    const facts = await SourceFacts.of(CONCAT[row]!);
    const { name, path, size, mtime } = facts.identity;
    return { name, path, size, mtime, sha256: await facts.sha256(), state: "loading", loaded: "", run: "stopped", slots: { "/g1/dset": { dim: 0, start: row, count: 1, stacked: true } } };
  };
  const [first, second] = [await recordOf(0), await recordOf(1)];
  const step: StepRecord = { step: "concatenate", path: "/g1/dset", old: old.id, temp: "dset.hsload-test", links: [{ group, title: "dset" }], state: "started", run: "stopped" };
  await ledger.append([first, second, step]);
  const newId = await makeConcatenated(domain, step, old, [2, 10], [0, 10], { parallel: 2, memoryBudget: 1 << 20, maxBlockBytes: 1 << 20 });
  return { domain, step, newId, oldId: old.id };
}

/** What every recovered domain must be once `-a file1 file2 file3` ran after the stop. */
async function expectWhole(domain: DomainHandle): Promise<void> {
  const dset = await domain.getDatasetByPath("/g1/dset");
  expect(dset.shape).toMatchObject({ dims: [3, 10], maxdims: [0, 10] });
  expect(await domain.readValueJson(dset.id)).toEqual(ROWS);
  const root = (await domain.get()).root!;
  const links = (await domain.getGroup((await domain.getByPath("/g1")).id, { includeLinks: true })).links ?? {};
  expect(Object.keys(links)).toEqual(["dset"]);
  const ledger = (await Ledger.open(domain, root))!;
  const records = ledger.records.map((r) => r.record);
  const sources = records.filter((r): r is SourceRecord => "name" in r).sort((a, b) => a.name.localeCompare(b.name));
  expect(sources.map((r) => [r.name, r.state, r.slots["/g1/dset"]?.start])).toEqual([
    ["file1.h5", "complete", 0],
    ["file2.h5", "complete", 1],
    ["file3.h5", "complete", 2],
  ]);
  expect(records.filter((r): r is StepRecord => "step" in r).every((s) => s.state !== "started")).toBe(true);
  await domain.rescan();
  // The dataset and the ledger: nothing half-made, nothing replaced left behind.
  expect((await domain.get({ verbose: true })).num_datasets).toBe(2);
}

describe("a concatenation stopped part-way is completed by the next run", () => {
  it("stopped before the links moved: the new dataset is dropped and the concatenation done again", async () => {
    const { domain, step, newId } = await stoppedConcatenation("before-move");
    const outcome = await aggregateFiles(client, CONCAT, domain.path, { parallel: 2 });
    expect(outcome.plan.sources.map((s) => [s.name, s.status])).toEqual([
      ["file1.h5", "resume"],
      ["file2.h5", "resume"],
      ["file3.h5", "new"],
    ]);
    await expect(domain.getDataset(newId)).rejects.toThrow(/not found|deleted/);
    const ledger = (await Ledger.open(domain, (await domain.get()).root!))!;
    expect(ledger.records.find((r) => "step" in r.record && r.record.temp === step.temp)!.record).toMatchObject({ state: "abandoned" });
    await expectWhole(domain);
  });

  it("stopped with the link taken away but not yet moved: rolled forward to the new dataset", async () => {
    const { domain, step, newId, oldId } = await stoppedConcatenation("mid-move");
    await domain.deleteLink(step.links[0]!.group, "dset");
    await aggregateFiles(client, CONCAT, domain.path, { parallel: 2 });
    expect((await domain.getDatasetByPath("/g1/dset")).id).toBe(newId);
    await expect(domain.getDataset(oldId)).rejects.toThrow(/not found|deleted/);
    await expectWhole(domain);
  });

  it("stopped after the links moved, before the old dataset was deleted: it is deleted", async () => {
    const { domain, step, newId, oldId } = await stoppedConcatenation("after-move");
    await moveLinks(domain, step, newId);
    await aggregateFiles(client, CONCAT, domain.path, { parallel: 2 });
    expect((await domain.getDatasetByPath("/g1/dset")).id).toBe(newId);
    await expect(domain.getDataset(oldId)).rejects.toThrow(/not found|deleted/);
    await expectWhole(domain);
  });
});

describe("values loaded without -a", () => {
  it("are recognised as their file's and recorded, not appended again", async () => {
    const path = "/home/tester/plain-first.h5";
    await loadFile(client, CONCAT[0]!, path, { parallel: 2 });
    // -a of the next file only: file1's values become row 0 with no record.
    await aggregateFiles(client, [CONCAT[1]!], path, { parallel: 2 });
    const outcome = await aggregateFiles(client, CONCAT, path, { parallel: 2 });
    expect(outcome.plan.sources.map((s) => [s.name, s.status, s.slots["/g1/dset"] ?? null])).toEqual([
      ["file2.h5", "skip", null],
      ["file1.h5", "adopt", { dim: 0, start: 0, count: 1, stacked: true }],
      ["file3.h5", "new", { dim: 0, start: 2, count: 1, stacked: true }],
    ]);
    await expectWhole(client.domain(path));
  });
});

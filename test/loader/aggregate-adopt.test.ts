// foundInDomain(): values no ledger record accounts for are recognised as a file's, in place or as an unclaimed
// row; other files are not; and where every region is claimed nothing is read at all.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HsdsClient } from "../../src/client/hsds-client.js";
import { aggregateFiles } from "../../src/loader/aggregate.js";
import { foundInDomain } from "../../src/loader/aggregate-adopt.js";
import { SourceFacts } from "../../src/loader/aggregate-sources.js";
import { readTarget } from "../../src/loader/aggregate-target.js";
import { Ledger } from "../../src/loader/ledger.js";
import { loadFile } from "../../src/loader/load.js";
import { plan } from "../../src/loader/plan.js";
import { CORPUS } from "../helpers/paths.js";
import { localClient } from "./helpers/local-client.js";

const CONCAT = ["file1.h5", "file2.h5", "file3.h5"].map((f) => join(CORPUS, "seeds", "concat", f));
const domainPath = "/home/tester/adopt.h5";
let client: HsdsClient;

beforeAll(async () => {
  ({ client } = await localClient());
  await loadFile(client, CONCAT[0]!, domainPath, { parallel: 2 });
});
afterAll(() => client.close());

async function found(file: string) {
  const facts = await SourceFacts.of(file);
  try {
    const { tree } = await facts.contentsOf();
    const domain = client.domain(domainPath);
    const root = (await domain.get()).root!;
    const ledger = await Ledger.open(domain, root);
    return await foundInDomain(facts, plan(tree), tree, { domain, target: await readTarget(domain, root, 2), ledger: ledger?.records ?? [] });
  } finally {
    await facts.close();
  }
}

describe("foundInDomain", () => {
  it("finds the file a plain load put in place, and not another file", async () => {
    expect(await found(CONCAT[0]!)).toEqual({ "/g1/dset": null });
    expect(await found(CONCAT[1]!)).toBeUndefined();
  });

  it("after -a of the next file, finds the first as the row no record claims", async () => {
    await aggregateFiles(client, [CONCAT[1]!], domainPath, { parallel: 2 });
    expect(await found(CONCAT[0]!)).toEqual({ "/g1/dset": { dim: 0, start: 0, count: 1, stacked: true } });
    expect(await found(CONCAT[2]!)).toBeUndefined();
  });

  it("reads nothing once every row is claimed", async () => {
    await aggregateFiles(client, CONCAT, domainPath, { parallel: 2 });
    // A file that cannot be read: any attempt to compare it would fail.
    const dir = mkdtempSync(join(tmpdir(), "adopt-"));
    const gone = join(dir, "file9.h5");
    copyFileSync(CONCAT[2]!, gone);
    const facts = await SourceFacts.of(gone);
    const { tree } = await facts.contentsOf();
    await facts.close();
    rmSync(gone);
    const domain = client.domain(domainPath);
    const root = (await domain.get()).root!;
    const ledger = (await Ledger.open(domain, root))!;
    expect(await foundInDomain(facts, plan(tree), tree, { domain, target: await readTarget(domain, root, 2), ledger: ledger.records })).toBeUndefined();
  });
});

// The ledger and the lock in a real domain (the embedded engine): records appended and changed in place and read
// back, a ledger whose creation was cut short found and settled; the lock taken atomically, refused with the
// holder's name, waited for, taken over from a dead process; a source classified against its record.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainHandle, HsdsClient } from "../../src/client/hsds-client.js";
import { classify, SourceChangedError, SourceFacts } from "../../src/loader/aggregate-sources.js";
import { DomainLock, LockBusyError, lockHolder } from "../../src/loader/lock.js";
import { LEDGER_ATTRIBUTE, LOCK_ATTRIBUTE } from "../../src/loader/internal-attributes.js";
import { Ledger } from "../../src/loader/ledger.js";
import type { SourceRecord, StepRecord } from "../../src/loader/ledger-records.js";
import { CORPUS } from "../helpers/paths.js";
import { localClient } from "./helpers/local-client.js";

let client: HsdsClient;
let domain: DomainHandle;
let root: string;

beforeAll(async () => {
  ({ client } = await localClient());
  domain = client.domain("/home/tester/ledger.h5");
  root = (await domain.create()).root!;
});
afterAll(() => client.close());

function record(name: string, state: SourceRecord["state"] = "loading"): SourceRecord {
  return { name, path: `/data/${name}`, size: 10, mtime: "2020-01-01T00:00:00.000Z", sha256: "ab", state, loaded: "2020-01-01T00:00:00.000Z", slots: { "/x": { dim: 0, start: 1, count: 1, stacked: true }, "/y": null }, run: "r1" };
}

describe("Ledger", () => {
  it("is absent until created; records appended and rewritten read back the same", async () => {
    expect(await Ledger.open(domain, root)).toBeUndefined();
    const ledger = await Ledger.create(domain, root);
    const step: StepRecord = { step: "concatenate", path: "/x", old: "d-old", temp: "x.hsload-1", links: [{ group: root, title: "x" }], state: "started", run: "r1" };
    expect(await ledger.append([record("a.h5"), step])).toEqual([0, 1]);
    expect(await ledger.append([record("b.h5")])).toEqual([2]);
    await ledger.rewrite(0, record("a.h5", "complete"));
    const reopened = (await Ledger.open(domain, root))!;
    expect(reopened.id).toBe(ledger.id);
    expect(reopened.records).toEqual([
      { index: 0, record: record("a.h5", "complete") },
      { index: 1, record: step },
      { index: 2, record: record("b.h5") },
    ]);
    // Unlinked, found through the root attribute alone.
    expect((await domain.getGroup(root, { includeLinks: true })).links).toEqual({});
    expect((await domain.getAttribute(root, LEDGER_ATTRIBUTE)).value).toBe(`datasets/${ledger.id}`);
  });

  it("a ledger whose creation stopped before the attribute is found by its link, and settled", async () => {
    const other = client.domain("/home/tester/ledger-cut.h5");
    const rootId = (await other.create()).root!;
    const made = await other.createDataset({ type: { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8" }, shape: [0], maxdims: [0], link: { id: rootId, name: LEDGER_ATTRIBUTE } });
    const found = (await Ledger.open(other, rootId))!;
    expect(found.id).toBe(made.id);
    await found.settle(rootId);
    expect((await other.getGroup(rootId, { includeLinks: true })).links).toEqual({});
    expect((await Ledger.open(other, rootId))!.id).toBe(made.id);
  });
});

describe("DomainLock", () => {
  const dead = () => {
    // A process that has exited: its pid names no running process (for a while at least).
    const child = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    return Number(child.stdout.trim());
  };

  it("is taken once: a second taker is refused with the holder's name, then gets it once released", async () => {
    const first = await DomainLock.acquire(domain, root, lockHolder("run-1"), { waitSeconds: 0 });
    const holder = JSON.parse((await domain.getAttribute(root, LOCK_ATTRIBUTE)).value as string);
    expect(holder).toMatchObject({ pid: process.pid, run: "run-1" });
    const refused = DomainLock.acquire(domain, root, { ...lockHolder("run-2"), pid: process.pid + 1 }, { waitSeconds: 0 });
    await expect(refused).rejects.toThrow(LockBusyError);
    await expect(refused).rejects.toThrow(
      `/home/tester/ledger.h5 is being loaded by process ${process.pid} on ${holder.host} since ${holder.started} (run run-1); --wait SECONDS waits for it`,
    );
    await first.release();
    const second = await DomainLock.acquire(domain, root, lockHolder("run-2"), { waitSeconds: 0 });
    await second.release();
    await expect(domain.getAttribute(root, LOCK_ATTRIBUTE)).rejects.toThrow(/not found/);
  });

  it("with a wait, the second taker gets the lock when the first lets go", async () => {
    const first = await DomainLock.acquire(domain, root, lockHolder("run-3"), { waitSeconds: 0 });
    setTimeout(() => void first.release(), 300);
    const started = Date.now();
    const second = await DomainLock.acquire(domain, root, { ...lockHolder("run-4"), pid: process.pid + 1 }, { waitSeconds: 10, pollMs: 50 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await second.release();
  });

  it("a lock left by a dead process of this host is taken over, with a note; a live one's is not", async () => {
    const pid = dead();
    await DomainLock.acquire(domain, root, { ...lockHolder("run-dead"), pid }, { waitSeconds: 0 });
    const notes: string[] = [];
    const taken = await DomainLock.acquire(domain, root, lockHolder("run-5"), { waitSeconds: 0, onNote: (n) => notes.push(n) });
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^took over the lock of /home/tester/ledger.h5 left by process ${pid} \\(no longer running\\)`))]);
    // A lock held by a live process elsewhere (another host) is waited for and refused.
    await expect(DomainLock.acquire(domain, root, { ...lockHolder("run-6"), host: "elsewhere" }, { waitSeconds: 0.2, pollMs: 50 })).rejects.toThrow(/did not finish within 0.2 s$/);
    await taken.release();
  });
});

describe("classify", () => {
  const file = join(mkdtempSync(join(tmpdir(), "classify-")), "file1.h5");
  copyFileSync(join(CORPUS, "seeds", "concat", "file1.h5"), file);

  it("new, skipped on matching facts or content, resumed, reloaded with --force, refused when changed", async () => {
    const facts = await SourceFacts.of(file);
    const sha256 = await facts.sha256();
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const rec = (extra: Partial<SourceRecord>) => ({ index: 3, record: { ...record("file1.h5", "complete"), size: facts.identity.size, mtime: facts.identity.mtime, sha256, ...extra } });
    expect(await classify(facts, undefined, false)).toEqual({ status: "new", sha256 });
    expect(await classify(facts, rec({}), false)).toEqual({ status: "skip", reason: "already loaded" });
    expect(await classify(facts, rec({ mtime: "1999-01-01T00:00:00.000Z" }), false)).toEqual({ status: "skip", reason: "already loaded (same content)" });
    expect(await classify(facts, rec({ state: "loading" }), false)).toEqual({ status: "resume", sha256 });
    expect(await classify(facts, rec({}), true)).toEqual({ status: "reload", sha256 });
    const changed = rec({ mtime: "1999-01-01T00:00:00.000Z", sha256: "0".repeat(64) });
    await expect(classify(facts, changed, false)).rejects.toThrow(new SourceChangedError(`${file}: changed since it was loaded; --force reloads it into its recorded slot`));
    await expect(classify(facts, { ...changed, record: { ...changed.record, state: "loading" } }, false)).rejects.toThrow(`${file}: changed since its load was interrupted`);
    expect(await classify(facts, changed, true)).toEqual({ status: "reload", sha256 });
    utimesSync(file, new Date(), new Date(0));
    expect((await SourceFacts.of(file)).identity.mtime).toBe("1970-01-01T00:00:00.000Z");
  });
});

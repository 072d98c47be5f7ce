import { mkdtempSync, readdirSync, utimesSync, writeFileSync, existsSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidKeyError } from "../../src/storage/keys.js";
import { PosixStore } from "../../src/storage/posix-store.js";

/** How long the store waits before it calls a lock of unknown holder stale (its STALE_LOCK_MS). */
const STALE_LOCK_WAIT_MS = 30_000;
const fresh = () => mkdtempSync(join(tmpdir(), "hsds-posix-"));
const bytes = (text: string) => new TextEncoder().encode(text);

describe("PosixStore", () => {
  it("stores keys as paths under the bucket directory and lists them without temp files", async () => {
    const dir = fresh();
    const store = new PosixStore(dir);
    await store.put("db/a-b/.group.json", bytes("{}"));
    await store.put("db/a-b/d/x/0_0", bytes("12345"));
    const listed = [];
    for await (const info of store.list("db/a-b/")) listed.push([info.key, info.size]);
    expect(listed.sort()).toEqual([["db/a-b/.group.json", 2], ["db/a-b/d/x/0_0", 5]]);
    expect(await store.listFolders("db/")).toEqual(["a-b"]);
  });

  it("treats a zero-length object as absent, as HSDS does", async () => {
    const dir = fresh();
    writeFileSync(join(dir, "empty"), "");
    expect(await new PosixStore(dir).get("empty")).toBeUndefined();
  });

  it("removes directories a delete leaves empty, never the bucket", async () => {
    const dir = fresh();
    const store = new PosixStore(dir);
    await store.put("home/u/x.h5/.domain.json", bytes("{}"));
    await store.delete("home/u/x.h5/.domain.json");
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(true);
  });

  it("refuses keys that would leave the bucket", async () => {
    const store = new PosixStore(fresh());
    for (const key of ["../x", "a/../../x", "/abs", "a\0b", "a//b"]) {
      await expect(store.put(key, bytes("x"))).rejects.toBeInstanceOf(InvalidKeyError);
    }
  });

  it("holds a key against another store on the same directory (another process) until released", async () => {
    const dir = fresh();
    const first = new PosixStore(dir);
    const second = new PosixStore(dir);
    const release = await first.lock("home/u/x.h5/.domain.json");
    let acquired = false;
    const waiting = second.lock("home/u/x.h5/.domain.json").then((r) => ((acquired = true), r));
    await new Promise((r) => setTimeout(r, 100));
    expect(acquired).toBe(false);
    await release();
    await (await waiting)();
    expect(acquired).toBe(true);
    // Nothing was written under the key: no directory is left behind.
    expect(readdirSync(dir)).toEqual([]);
  });

  it("takes over at once a lock whose holder on this host is gone", async () => {
    const dir = fresh();
    const store = new PosixStore(dir);
    await store.put("k/.group.json", bytes("{}"));
    // A pid that cannot be running (beyond pid_max), written as a killed tool would leave it.
    writeFileSync(join(dir, "k", ".tmp-hsds-lock-.group.json"), `${hostname()} 4194305`);
    const started = Date.now();
    await (await store.lock("k/.group.json"))();
    expect(Date.now() - started).toBeLessThan(STALE_LOCK_WAIT_MS);
  });

  it("takes over a lock left by a process that died mid-update", async () => {
    const dir = fresh();
    const store = new PosixStore(dir);
    await store.put("k/.group.json", bytes("{}"));
    const stale = join(dir, "k", ".tmp-hsds-lock-.group.json");
    writeFileSync(stale, "999999");
    const old = new Date(Date.now() - 120_000);
    utimesSync(stale, old, old);
    const release = await store.lock("k/.group.json");
    await release();
    expect(readdirSync(join(dir, "k"))).toEqual([".group.json"]);
  });
});

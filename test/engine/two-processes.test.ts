// Two tools on one `local` directory are two engines on one store: updates of the same document
// must not lose each other's changes, and an attribute created without replace is created once.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { HsdsClient } from "../../src/client/hsds-client.js";
import { LocalTransport } from "../../src/client/local-transport.js";
import { openLocalEngine } from "../../src/engine/local-engine.js";

async function clientOn(dir: string): Promise<HsdsClient> {
  const { engine, principal } = await openLocalEngine(dir, "alice");
  return new HsdsClient(new LocalTransport("local", engine, principal));
}

it("keeps every link two engines add to one group at the same time", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hsds-two-"));
  const [a, b] = [await clientOn(dir), await clientOn(dir)];
  const root = (await a.domain("/home/alice/t.h5").create()).root!;
  const target = { h5path: "/somewhere" };
  await Promise.all(
    Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).domain("/home/alice/t.h5").putLink(root, `link${i}`, target)),
  );
  const links = await a.domain("/home/alice/t.h5").listLinksRecursive(root);
  expect(links[root]!.length).toBe(40);
  await Promise.all([a.close(), b.close()]);
});

it("creates an attribute without replace exactly once when two engines race for it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hsds-two-"));
  const [a, b] = [await clientOn(dir), await clientOn(dir)];
  const root = (await a.domain("/home/alice/t.h5").create()).root!;
  const type = { class: "H5T_STRING", charSet: "H5T_CSET_UTF8", length: "H5T_VARIABLE", strPad: "H5T_STR_NULLTERM" };
  const results = await Promise.allSettled(
    [a, b].map((client, i) =>
      client.domain("/home/alice/t.h5").putAttribute(root, "lock", { type, shape: [], value: `holder ${i}` }, { replace: false }),
    ),
  );
  expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
  expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.status)).toEqual([409]);
  await Promise.all([a.close(), b.close()]);
});

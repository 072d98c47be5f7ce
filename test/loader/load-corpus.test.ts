// Every file of the hdf5-json corpus loaded with loadFile into the embedded engine, then read back through
// the client and compared with what h5wasm reads from the source (test/loader/helpers/verify-copy.ts).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HsdsClient } from "../../src/client/hsds-client.js";
import { loadFile } from "../../src/loader/load.js";
import { CORPUS } from "../helpers/paths.js";
import { LOCAL_USER, localClient } from "./helpers/local-client.js";
import { verifyCopy } from "./helpers/verify-copy.js";

const H5_DIR = join(CORPUS, "hdf5-json", "h5");
const files = readdirSync(H5_DIR).filter((f) => f.endsWith(".h5") && f !== "notahdf5file.h5");

/** The documented deviations: what HSDS cannot hold, left out with --ignore. */
const LEFT_OUT: Record<string, string[]> = {
  "regionref_attr.h5": ["/DS1@A1"],
  "tallrw.h5": ["/myrefs"],
  "h5ex_d_extern.h5": ["/DS1"],
};

let client: HsdsClient;
beforeAll(async () => {
  ({ client } = await localClient());
});
afterAll(() => client.close());

describe("loading the hdf5-json corpus into the embedded engine", () => {
  it.each(files)("%s reads back as the source", async (file) => {
    const domain = `/home/${LOCAL_USER}/${file}`;
    const outcome = await loadFile(client, join(H5_DIR, file), domain, { parallel: 4, ignore: true });
    expect(outcome.status).toBe("loaded");
    if (outcome.status !== "loaded") return;
    expect(outcome.plan.skipped.map((s) => s.path)).toEqual(LEFT_OUT[file] ?? []);
    expect(await verifyCopy(join(H5_DIR, file), client.domain(domain), { skipped: LEFT_OUT[file] })).toEqual([]);
  });

  it("notices a copy that differs (the comparison can fail)", async () => {
    const domain = client.domain(`/home/${LOCAL_USER}/changed-tall.h5`);
    await loadFile(client, join(H5_DIR, "tall.h5"), domain.path, { parallel: 4 });
    const dataset = await domain.getDatasetByPath("/g2/dset2.1");
    await domain.writeValueJson(dataset.id, [9], { select: "[3:4]" });
    await domain.putAttribute((await domain.get()).root!, "attr2", { type: "H5T_STD_I32BE", shape: [2, 2], value: [[0, 1], [2, 4]] });
    const group = await domain.getByPath("/g1/g1.2");
    await domain.deleteLink(group.id, "extlink");
    expect(await verifyCopy(join(H5_DIR, "tall.h5"), domain)).toEqual([
      "missing in domain: /g1/g1.2/extlink external somefile//somepath",
      "/@attr2: value [[0,1],[2,4]], expected [[0,1],[2,3]]",
      expect.stringMatching(/^\/g2\/dset2.1: values \[1,1.1.*,9,.*expected/),
    ]);
  });
});


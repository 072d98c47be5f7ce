// Ids and storage keys (hsds-reference §1), checked against the worked example of HSDS's design
// and against every key of the store a real HSDS wrote.
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  belongsToRoot,
  chunkKey,
  classifyKey,
  isRootId,
  isValidId,
  newObjectId,
  newRootId,
  objectKey,
  rootIdOf,
} from "../../src/engine/ids.js";
import { GOLDEN } from "../helpers/paths.js";

const ROOT = "g-8b0daca7-67ce884d-0385-242fef-4600c5";
const DSET = "d-8b0daca7-67ce884d-685b-bafe46-1cf516";
const STORE = join(GOLDEN, "hsds-store", "hsdstest");

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

describe("v2 ids", () => {
  it("derives the root of any object from its first 16 hex digits", () => {
    expect(rootIdOf(DSET)).toBe(ROOT);
    expect(isRootId(ROOT)).toBe(true);
    expect(isRootId("g-8b0daca7-67ce884d-a1b2-c3d4e5-f60718")).toBe(false);
  });

  it("makes new roots that are self-describing and objects that share their root's prefix", () => {
    const root = newRootId();
    const dataset = newObjectId("datasets", root);
    expect(isRootId(root)).toBe(true);
    expect(isValidId(dataset, "datasets")).toBe(true);
    expect(rootIdOf(dataset)).toBe(root);
    expect(belongsToRoot(dataset, root)).toBe(true);
    expect(belongsToRoot(dataset, ROOT)).toBe(false);
  });

  it("refuses malformed ids and ids of the wrong class", () => {
    expect(isValidId("g-nothex")).toBe(false);
    expect(isValidId(DSET, "groups")).toBe(false);
    expect(isValidId("g-314d61b8-9954-11e6-a733-3c15c2da029e", "groups")).toBe(true); // v1
  });
});

describe("storage keys", () => {
  it("maps objects and chunks as the design's worked example", () => {
    expect(objectKey(ROOT)).toBe("db/8b0daca7-67ce884d/.group.json");
    expect(objectKey("g-8b0daca7-67ce884d-a1b2-c3d4e5-f60718")).toBe("db/8b0daca7-67ce884d/g/a1b2-c3d4e5-f60718/.group.json");
    expect(objectKey(DSET)).toBe("db/8b0daca7-67ce884d/d/685b-bafe46-1cf516/.dataset.json");
    expect(chunkKey(DSET, [1, 3])).toBe("db/8b0daca7-67ce884d/d/685b-bafe46-1cf516/1_3");
  });

  it("puts chunks of partitioned datasets under p<N>/ by HSDS's prime rule", () => {
    // (3*29 + 7*31) % 5 = 304 % 5 = 4
    expect(chunkKey(DSET, [3, 7], 5)).toBe("db/8b0daca7-67ce884d/d/685b-bafe46-1cf516/p4/3_7");
  });

  it("gives v1 objects the md5-prefixed flat keys", () => {
    expect(objectKey("g-314d61b8-9954-11e6-a733-3c15c2da029e")).toBe("a49be-g-314d61b8-9954-11e6-a733-3c15c2da029e");
    expect(chunkKey("d-8c785f1c-9953-11e6-9bc2-0242ac110005", [7, 2])).toBe("dc4ce-c-8c785f1c-9953-11e6-9bc2-0242ac110005_7_2");
  });

  it("classifies every key HSDS wrote into the object its JSON names (the scanner's inverse mapping)", async () => {
    let checked = 0;
    for await (const path of files(join(STORE, "db"))) {
      const key = relative(STORE, path);
      const kind = classifyKey(key);
      if (key.endsWith("/.info.json")) {
        expect(kind.kind).toBe("other");
        continue;
      }
      if (kind.kind === "chunk") {
        expect(key.startsWith(objectKey(kind.datasetId).replace(".dataset.json", ""))).toBe(true);
      } else {
        expect(kind.kind).not.toBe("other");
        const doc = JSON.parse(readFileSync(path, "utf8")) as { id: string };
        expect((kind as { id: string }).id).toBe(doc.id);
        expect(objectKey(doc.id)).toBe(key);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});

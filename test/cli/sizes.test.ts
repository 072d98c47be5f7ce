import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { countText, humanSize, paddedHumanSize } from "../../src/cli/format/sizes.js";
import { GOLDEN } from "../helpers/paths.js";

describe("human readable sizes", () => {
  it("pads like hsls -v -H: the golden size column for every domain", () => {
    const golden = readFileSync(join(GOLDEN, "cli", "hsls_v_H_folder.txt"), "utf8").split("\n");
    const plain = readFileSync(join(GOLDEN, "cli", "hsls_v_folder.txt"), "utf8").split("\n");
    let compared = 0;
    for (let i = 0; i < plain.length; i++) {
      const bytes = /^\S+\s+(\d+)\s+domain/.exec(plain[i]!)?.[1];
      if (bytes === undefined) continue;
      expect(golden[i]!.slice(36, 51)).toBe(paddedHumanSize(Number(bytes)).padEnd(15));
      compared++;
    }
    expect(compared).toBe(16);
  });

  it("writes hsstat's unpadded form", () => {
    expect(humanSize(580)).toBe("580B");
    expect(humanSize(6087)).toBe("5.9K");
    expect(humanSize(2137018)).toBe("2.0M");
    expect(humanSize(5 * 1024 ** 3 + 1)).toBe("5.0G");
    expect(humanSize(1280)).toBe("1.2K");
  });

  it("keeps bytes below 1024 as integers", () => {
    expect(paddedHumanSize(1000)).toBe("   1000B");
    expect(paddedHumanSize(0)).toBe("      0B");
  });

  it("counts with separators only when asked", () => {
    expect(countText(1327104, true)).toBe("1,327,104");
    expect(countText(1327104, false)).toBe("1327104");
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { folderRowLine, itemCountLine, totalSizeLine, type FolderRow } from "../../src/cli/format/folder-listing.js";
import { localTimestamp } from "../../src/cli/format/local-time.js";
import type { DomainInfo, FolderEntry } from "../../src/client/hsds-types.js";
import { cliLines, restBody } from "./golden-rest.js";

// The captures were taken with the server in UTC; Node applies a new TZ at once.
beforeAll(() => {
  process.env.TZ = "UTC";
});

function rows(verbose: boolean): FolderRow[] {
  const folder = restBody<DomainInfo>("folder/domain_folder.json");
  const listing = restBody<{ domains: FolderEntry[] }>(verbose ? "folder/domains_golden_verbose.json" : "folder/domains_golden.json");
  return [
    { owner: folder.owner, className: "folder", lastModified: folder.lastModified, path: "/home/test_user1/golden/" },
    ...listing.domains.map((d): FolderRow => ({
      owner: d.owner,
      className: d.class,
      lastModified: d.lastModified,
      size: verbose ? d.total_size : undefined,
      path: d.name,
    })),
  ];
}

describe("hsls folder lines", () => {
  it("reproduces hsls /home/test_user1/golden/ from the server's JSON", () => {
    const lines = rows(false).map((r) => folderRowLine(r, false));
    expect([...lines, itemCountLine(lines.length)]).toEqual(cliLines("hsls_folder.txt"));
  });

  it("reproduces hsls -v and -v -H, with the total line", () => {
    for (const [human, file] of [[false, "hsls_v_folder.txt"], [true, "hsls_v_H_folder.txt"]] as const) {
      const listed = rows(true);
      const total = listed.reduce((sum, r) => sum + (r.size ?? 0), 0);
      const lines = listed.map((r) => folderRowLine(r, human));
      expect([...lines, itemCountLine(lines.length), totalSizeLine(total, human)]).toEqual(cliLines(file));
    }
  });

  it("leaves owner and time blank for the top level", () => {
    expect(folderRowLine({ owner: "", className: "folder", path: "/" }, false)).toBe(`${" ".repeat(35)} ${" ".repeat(15)} folder    /`);
  });

  it("prints whole seconds in the local time zone", () => {
    expect(localTimestamp(1795254053.554691)).toBe("2026-11-21 09:40:53");
    process.env.TZ = "Asia/Kolkata";
    expect(localTimestamp(1795254053.999)).toBe("2026-11-21 15:10:53");
    process.env.TZ = "UTC";
  });
});

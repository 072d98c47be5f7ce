import { beforeAll, describe, expect, it } from "vitest";
import { chunkCountOf, domainStatsLines, folderStatsLines } from "../../src/cli/format/domain-stats.js";
import type { DomainInfo } from "../../src/client/hsds-types.js";
import { cliLines, restBody } from "./golden-rest.js";

beforeAll(() => {
  process.env.TZ = "UTC";
});

describe("hsstat statistics", () => {
  for (const name of ["tall", "link_big", "imerg"]) {
    it(`matches hsstat of ${name}.h5 from HSDS's GET /?verbose=1`, () => {
      const info = restBody<DomainInfo>(`${name}/domain_verbose.json`);
      expect(domainStatsLines(`/home/test_user1/golden/${name}.h5`, info, false)).toEqual(cliLines(`hsstat_${name}.txt`));
    });
  }

  it("matches hsstat of a folder", () => {
    const info = restBody<DomainInfo>("folder/domain_folder.json");
    expect(folderStatsLines("/home/test_user1/golden/", info)).toEqual(cliLines("hsstat_folder.txt"));
  });

  it("humanises sizes with -H", () => {
    const lines = domainStatsLines("/x", restBody<DomainInfo>("link_big/domain_verbose.json"), true);
    expect(lines).toContain("    total_size:      193.6K");
    expect(lines).toContain("    allocated_bytes: 3.0K");
    expect(lines).toContain("    linked_bytes:    188.5K");
  });

  it("derives the chunk count from num_objects when an old scan has no num_chunks", () => {
    expect(chunkCountOf({ num_objects: 14, num_groups: 5, num_datasets: 4, num_datatypes: 1 } as DomainInfo)).toBe(4);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { datasetSummary } from "../../src/cli/browse/dataset-summary.js";
import { entryLines, shapeText, type ListedEntry } from "../../src/cli/format/object-listing.js";
import type { DatasetInfo, DomainInfo } from "../../src/client/hsds-types.js";
import { GOLDEN } from "../helpers/paths.js";
import { cliLines, restBody } from "./golden-rest.js";

const compressors = restBody<DomainInfo>("tall/domain.json").compressors!;
const tallInfo = JSON.parse(readFileSync(join(GOLDEN, "hsds-store", "hsdstest", "db", "431e4465-47c6da7b", ".info.json"), "utf8")) as {
  datasets: Record<string, { num_chunks: number; allocated_bytes: number }>;
};

function datasetEntry(path: string, file: string): ListedEntry {
  const json = restBody<DatasetInfo>(file);
  const scan = tallInfo.datasets[json.id]!;
  return {
    kind: "object",
    path,
    className: "Dataset",
    id: json.id,
    dataset: datasetSummary(json, compressors, { allocated: { count: scan.num_chunks, bytes: scan.allocated_bytes } }),
  };
}

describe("hsls object lines", () => {
  const golden = cliLines("hsls_r_v_tall.txt");
  const verbose = { verbose: true, humanReadable: false, recursive: true };

  for (const [path, file] of [
    ["/g1/g1.1/dset1.1.1", "tall/dataset_dset1.1.1.json"],
    ["/g1/g1.1/dset1.1.2", "tall/dataset_dset1.1.2.json"],
    ["/g2/dset2.1", "tall/dataset_dset2.1.json"],
    ["/g2/dset2.2", "tall/dataset_dset2.2.json"],
  ] as const) {
    it(`reproduces hsls -r -v for ${path} from HSDS's dataset JSON and scan`, () => {
      const lines = entryLines(datasetEntry(path, file), verbose);
      const start = golden.findIndex((l) => l.startsWith(`${path} `));
      expect(lines).toEqual(golden.slice(start, start + lines.length));
      expect(lines).toHaveLength(5);
    });
  }

  it("writes links as h5pyd does in recursive and flat listings", () => {
    const ext: ListedEntry = { kind: "external", path: "/g1/g1.2/extlink", h5path: "somepath", h5domain: "somefile" };
    const soft: ListedEntry = { kind: "soft", path: "/g1/g1.2/g1.2.1/slink", h5path: "somevalue" };
    expect(entryLines(ext, verbose)).toEqual([golden.find((l) => l.includes("extlink"))]);
    expect(entryLines(soft, verbose)).toEqual([golden.find((l) => l.includes("slink"))]);
    const flat = { verbose: false, humanReadable: false, recursive: false };
    expect(entryLines({ ...ext, path: "extlink" }, flat)).toEqual(["extlink ExternalLink {somefile//somepath}"]);
    expect(entryLines({ kind: "seen", path: "/g3", className: "Group", sameAs: "/g1" }, verbose)).toEqual(["/g3                      Group, same as /g1"]);
  });

  it("humanises counts with -H (golden hsls -r -v -H imerg.h5)", () => {
    const entry: ListedEntry = {
      kind: "object",
      path: "/Grid/time",
      className: "Dataset",
      id: "d-b0b38a15-e6ec3d00-1a7c-a31ec5-364598",
      dataset: {
        shape: [4],
        maxshape: [null],
        type: "float64",
        storage: { layoutClass: "H5D_CHUNKED", chunkDims: [131072], chunkBytes: 1048576, maxChunks: 1, logicalBytes: 32, usage: { kind: "allocated", count: 1, bytes: 1048576 } },
        filters: { shuffle: false },
      },
    };
    const golden = cliLines("hsls_r_v_H_imerg.txt");
    const start = golden.indexOf("/Grid/time Dataset {4/Inf}");
    expect(entryLines(entry, { verbose: true, humanReadable: true, recursive: true })).toEqual(golden.slice(start, start + 5));
  });

  it("writes shapes: null, scalar, and cur/max with -v", () => {
    expect(shapeText({ shape: null, maxshape: [] }, true)).toBe("{NULL}");
    expect(shapeText({ shape: [], maxshape: [] }, false)).toBe("{{SCALAR}}");
    expect(shapeText({ shape: [4, 36], maxshape: [null, 36] }, true)).toBe("{4/Inf, 36/36}");
  });

  it("drops the utilization when the dataset has no elements (golden resizable.h5)", () => {
    const golden = cliLines("hsls_r_v_resizable.txt");
    const lines = entryLines(
      {
        kind: "object",
        path: "/unlimited_1d_zero",
        className: "Dataset",
        id: "d-921989a9-5e356c1a-e654-9dfa1c-7cc6d9",
        dataset: {
          shape: [0],
          maxshape: [null],
          type: "int64",
          storage: { layoutClass: "H5D_CHUNKED", chunkDims: [163840], chunkBytes: 1310720, maxChunks: 0, logicalBytes: 0, usage: { kind: "allocated", count: 0, bytes: 0 } },
          filters: { shuffle: false },
        },
      },
      { verbose: true, humanReadable: false, recursive: true },
    );
    const start = golden.indexOf("/unlimited_1d_zero Dataset {0/Inf}");
    expect(lines).toEqual(golden.slice(start, start + 5));
  });
});

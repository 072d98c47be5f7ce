// The link seeds (corpus/seeds/link) with the ground truth h5py wrote beside each (<file>.chunks.json), and the
// layouts the real HSDS + h5pyd stored for three of them (golden/hsds-store).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LocalFileSource } from "../../../src/hdf5/byte-source.js";
import { type DatasetStorageInfo, Hdf5StorageReader } from "../../../src/hdf5/storage-info.js";
import { objectAddress, withH5File } from "../../hdf5/helpers/h5wasm-datasets.js";
import { CORPUS, GOLDEN } from "../../helpers/paths.js";

export const LINK_SEEDS = join(CORPUS, "seeds", "link");

export interface SeedTruth {
  path: string;
  dtype: string;
  shape: number[];
  chunks: number[] | null;
  filters: { id: number; cd_values: number[] }[];
  chunk_grid?: number[];
  chunk_table?: { chunk_index: number[]; byte_offset: number; size: number }[];
  contiguous?: { byte_offset: number; size: number };
}

/** Every seed file name (link_*.h5) with the one dataset its ground truth describes. */
export function linkSeeds(): { file: string; truth: SeedTruth }[] {
  return readdirSync(LINK_SEEDS)
    .filter((f) => f.endsWith(".chunks.json"))
    .map((f) => {
      const truth = JSON.parse(readFileSync(join(LINK_SEEDS, f), "utf8")) as { datasets: SeedTruth[] };
      if (truth.datasets.length !== 1) throw new Error(`${f}: expected one dataset`);
      return { file: f.replace(".chunks.json", ""), truth: truth.datasets[0]! };
    });
}

/** The ground-truth chunk grid as {offset, size} in C order, zeros where no chunk was written. */
export function truthRefs(truth: SeedTruth): { offset: number; size: number }[] {
  const grid = truth.shape.map((s, d) => Math.ceil(s / truth.chunks![d]!));
  const refs = Array.from({ length: grid.reduce((a, b) => a * b, 1) }, () => ({ offset: 0, size: 0 }));
  for (const row of truth.chunk_table!) refs[row.chunk_index.reduce((at, i, d) => at * grid[d]! + i, 0)] = { offset: row.byte_offset, size: row.size };
  return refs;
}

/** Our chunk-index reader's view of a seed's dataset. */
export async function seedStorage(file: string, path: string): Promise<DatasetStorageInfo> {
  const full = join(LINK_SEEDS, file);
  const address = await withH5File(full, (f) => objectAddress(f.get(path) as never));
  const bytes = await LocalFileSource.open(full);
  try {
    return await (await Hdf5StorageReader.open(bytes)).datasetStorage(address);
  } finally {
    await bytes.close();
  }
}

const GOLDEN_DB = join(GOLDEN, "hsds-store", "hsdstest", "db");
/** The db directory of each golden link domain (golden/README.md). */
export const GOLDEN_LINK_DOMAINS: Record<string, string> = {
  "link_contig.h5": "9da8e501-eb536ba2",
  "link_small.h5": "3f2450ca-762a6253",
  "link_big.h5": "53495327-17630286",
};

export interface GoldenDataset {
  id: string;
  type: unknown;
  shape: { dims: number[]; maxdims?: number[] };
  creationProperties?: { layout?: Record<string, unknown>; filters?: unknown[] };
  dir: string;
}

/** The .dataset.json documents of a golden link domain: the linked dataset and (link_big) its chunk table. */
export function goldenDatasets(file: string): GoldenDataset[] {
  const db = join(GOLDEN_DB, GOLDEN_LINK_DOMAINS[file]!, "d");
  return readdirSync(db).map((dir) => ({ ...(JSON.parse(readFileSync(join(db, dir, ".dataset.json"), "utf8")) as GoldenDataset), dir: join(db, dir) }));
}

/** The linked dataset of a golden link domain (the one with a reference layout). */
export function goldenLinked(file: string): GoldenDataset {
  return goldenDatasets(file).find((d) => d.creationProperties?.layout?.class !== undefined)!;
}

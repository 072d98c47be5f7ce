// Copying compressed chunks as they are stored. An HDF5 chunk written through deflate (optionally
// after byte shuffle) is byte for byte what HSDS stores for a dataset with the same filters on the same
// chunk grid (hsds-reference §3.2: HSDS reads a plain zlib stream, then unshuffles). When the target
// offers it (our engine's `chunk_put`), such chunks go from the source file to the domain without
// being decompressed by the loader and compressed again by the server: the cost of a compressed load
// is then reading the file. The engine decodes each chunk once to check it and to drop all-fill ones.
import type { DomainHandle } from "../client/hsds-client.js";
import type { HsdsFilter } from "../codecs/filters.js";
import { type ByteSource, LocalFileSource } from "../hdf5/byte-source.js";
import type { ObjectKey } from "../hdf5/source/source-tree.js";
import { type DatasetStorageInfo, Hdf5StorageReader } from "../hdf5/storage-info.js";
import { type HsdsType, itemSize, someTypeIn, VARIABLE } from "../model/datatype.js";
import { forEachLimited, type Semaphore } from "./concurrency.js";
import type { PlannedDataset } from "./load-plan.js";

const DEFLATE = 1;
const SHUFFLE = 2;
const HSDS_FILTERS: Record<number, string> = { [DEFLATE]: "H5Z_FILTER_DEFLATE", [SHUFFLE]: "H5Z_FILTER_SHUFFLE" };

/** The source's chunk locations for datasets whose stored chunks may be copied as they are. */
export class StoredChunks {
  private constructor(
    readonly file: ByteSource,
    private readonly storage: ReadonlyMap<ObjectKey, DatasetStorageInfo>,
  ) {}

  /**
   * Reads the chunk index of each dataset whose planned filters are deflate (± shuffle). A dataset our reader
   * cannot parse is left out: its values are then copied the usual way. The caller closes the result.
   */
  static async open(path: string, datasets: readonly PlannedDataset[]): Promise<StoredChunks> {
    const file = await LocalFileSource.open(path);
    const storage = new Map<ObjectKey, DatasetStorageInfo>();
    try {
      const reader = await Hdf5StorageReader.open(file);
      for (const dataset of datasets.filter(compressedWithDeflate)) {
        const info = await reader.datasetStorage(dataset.key).catch(() => undefined);
        if (info) storage.set(dataset.key, info);
      }
    } catch {
      // Not a file our reader parses at all: nothing is copied as stored.
    }
    return new StoredChunks(file, storage);
  }

  /** Whether the dataset's chunks were read (it may pass through, depending on the target's layout). */
  has(key: ObjectKey): boolean {
    return this.storage.has(key);
  }

  /** The dataset's storage, if its chunks can be stored as they are in a target of `targetChunk` chunks. */
  usable(dataset: PlannedDataset, targetChunk: readonly number[]): DatasetStorageInfo | undefined {
    const info = this.storage.get(dataset.key);
    return info && passthroughProblem(dataset, info, targetChunk) === undefined ? info : undefined;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

function compressedWithDeflate(dataset: PlannedDataset): boolean {
  const filters = ((dataset.creationProperties?.filters ?? []) as HsdsFilter[]).map((f) => f.class);
  return filters.at(-1) === HSDS_FILTERS[DEFLATE];
}

/**
 * Types whose HDF5 file bytes are HSDS's bytes: not compounds (a file may pad or reorder them; HSDS packs them),
 * references (rewritten) or anything variable-length.
 */
function sameBytesInBoth(t: HsdsType): boolean {
  return !someTypeIn(t, (m) => m.class === "H5T_COMPOUND" || m.class === "H5T_REFERENCE" || m.class === "H5T_VLEN" || (m.class === "H5T_STRING" && m.length === VARIABLE));
}

/**
 * Why the dataset's source chunks cannot be stored as they are (undefined when they can): the pipelines must
 * agree filter for filter (deflate, or shuffle then deflate, nothing else), every chunk must have gone through
 * all of them, the grids and element sizes must be equal, and the values must need no rewriting.
 */
export function passthroughProblem(dataset: PlannedDataset, storage: DatasetStorageInfo, targetChunk: readonly number[]): string | undefined {
  const type = dataset.type.type;
  if (!sameBytesInBoth(type) || itemSize(type) !== storage.elementSize) return "the values' bytes differ between HDF5 and HSDS";
  if (storage.storage.layout !== "chunked") return "the source is not chunked";
  const { chunkShape, chunks } = storage.storage;
  if (chunkShape.length !== targetChunk.length || chunkShape.some((d, i) => d !== targetChunk[i])) return "the target's chunks differ";
  const source = storage.filters.map((f) => f.id);
  if (!(source.length === 1 && source[0] === DEFLATE) && !(source.length === 2 && source[0] === SHUFFLE && source[1] === DEFLATE)) {
    return "the source filters are not deflate (± shuffle)";
  }
  const shuffle = storage.filters.find((f) => f.id === SHUFFLE);
  if (shuffle && shuffle.cdValues[0] !== undefined && shuffle.cdValues[0] !== storage.elementSize) return "the shuffle element size differs";
  const target = ((dataset.creationProperties?.filters ?? []) as HsdsFilter[]).map((f) => f.class);
  if (target.length !== source.length || target.some((c, i) => c !== HSDS_FILTERS[source[i]!])) return "the target filters differ";
  if (chunks.some((c) => c.filterMask !== 0)) return "some chunks skipped a filter";
  return undefined;
}

export interface PassthroughOptions {
  /** Chunks of this dataset in flight. */
  parallel: number;
  /** The loader's bound on requests in flight, shared by all datasets; a chunk is read only once it holds a place. */
  writes: Semaphore;
  signal?: AbortSignal;
  /** Bytes of the dataset's values done, as chunks are done (and the never-written rest at the end). */
  onBytes?: (bytes: number) => void;
  onWrite?: (bytes: number) => void;
}

/** Every allocated chunk of the source, read from the file and put into the domain as stored. */
export async function copyChunksAsStored(domain: DomainHandle, id: string, dataset: PlannedDataset, storage: DatasetStorageInfo, file: ByteSource, options: PassthroughOptions): Promise<void> {
  if (storage.storage.layout !== "chunked") return;
  const { chunkShape, chunks } = storage.storage;
  const shape = dataset.shape as number[];
  // Edge chunks are stored whole but hold fewer of the dataset's values.
  const valueBytes = (index: readonly number[]) => chunkShape.reduce((n, c, d) => n * Math.min(c, shape[d]! - index[d]! * c), storage.elementSize);
  let done = 0;
  await forEachLimited(chunks, options.parallel, (chunk) =>
    options.writes.run(async () => {
      options.signal?.throwIfAborted();
      const bytes = await file.read(chunk.address, chunk.size);
      if (bytes.length !== chunk.size) throw new Error(`${file.name}: ${dataset.path}: the chunk at byte ${chunk.address} is cut short (the file is truncated)`);
      await domain.writeChunk(id, chunk.index, bytes);
      options.onWrite?.(bytes.length);
      const value = valueBytes(chunk.index);
      done += value;
      options.onBytes?.(value);
    }),
  );
  options.onBytes?.(dataset.bytes - done);
}

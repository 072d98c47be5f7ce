// One open source file inside the worker: checks that it is a readable HDF5 file, walks it into a SourceTree,
// and reads blocks of dataset values in HSDS binary form, skipping blocks whose chunks were never written.
import { stat } from "node:fs/promises";
import { LocalFileSource } from "../byte-source.js";
import { MetadataFile } from "../format/metadata-file.js";
import { type ObjectDetails, readObjectDetails } from "../format/object-details.js";
import { type DatasetStorageInfo, Hdf5FormatError, Hdf5StorageReader } from "../storage-info.js";
import { type Box, boxElements, cellsTouched } from "./box.js";
import { elementConverter, type ElementConverter, h5wasmNumberOrder } from "./element-conversion.js";
import { H5WasmFile, Hdf5LibraryError } from "./h5wasm-file.js";
import { readRawBox } from "./raw-values.js";
import { SourceFileError, SourceObjectError } from "./source-errors.js";
import type { ObjectKey, SourceTree } from "./source-tree.js";
import { type DatasetHandle, walkTree } from "./tree-walker.js";

/** A block read: its HSDS bytes, or nothing when no chunk it touches was ever written (all fill). */
export type BlockData = { allocated: true; bytes: Uint8Array } | { allocated: false };

/** Allocated-chunk sets kept for this many datasets at a time (a dataset's blocks are read one after another). */
const ALLOCATION_CACHE_SIZE = 16;

/** Which parts of a dataset were ever written. */
type Allocation =
  | { kind: "nothing" }
  /** Contiguous or compact data, or storage our reader cannot describe: every block is read. */
  | { kind: "everything" }
  /** The source's chunk shape, its grid, and the linear indexes of the allocated chunks. */
  | { kind: "chunks"; chunks: number[]; grid: number[]; allocated: Set<number> };

export class SourceReader {
  private handles = new Map<ObjectKey, DatasetHandle>();
  private allocations = new Map<ObjectKey, Allocation>();
  private converters = new Map<ObjectKey, ElementConverter>();

  private constructor(
    readonly file: string,
    private readonly bytes: LocalFileSource,
    private readonly metadata: MetadataFile,
    private readonly storageReader: Hdf5StorageReader,
    private readonly h5: H5WasmFile,
  ) {}

  static async open(file: string): Promise<SourceReader> {
    await checkRegularFile(file);
    let bytes: LocalFileSource;
    try {
      bytes = await LocalFileSource.open(file);
    } catch (err) {
      throw new SourceFileError(file, describeFsError(err));
    }
    try {
      const metadata = await MetadataFile.open(bytes);
      const storageReader = await Hdf5StorageReader.open(bytes);
      const h5 = await H5WasmFile.open(file).catch((err: unknown) => {
        throw new SourceFileError(file, `HDF5 cannot open it: ${err instanceof Error ? err.message : String(err)}`);
      });
      return new SourceReader(file, bytes, metadata, storageReader, h5);
    } catch (err) {
      await bytes.close();
      if (err instanceof Hdf5FormatError) throw new SourceFileError(file, err.detail);
      throw err;
    }
  }

  async tree(): Promise<SourceTree> {
    try {
      const { tree, datasets } = await walkTree({
        file: this.file,
        h5: this.h5,
        details: (address): Promise<ObjectDetails> => readObjectDetails(this.metadata, address),
        storage: (address) => this.storageReader.datasetStorage(address),
      });
      this.handles = datasets;
      await this.probeUnknownLayouts(tree);
      return tree;
    } catch (err) {
      if (err instanceof SourceObjectError) throw err;
      throw new SourceFileError(this.file, `cannot read the file's structure: ${reason(err)}`);
    }
  }

  /** The values of `box` of the dataset `key` (rank 0: the box is empty and the scalar is read). */
  async readBlock(key: ObjectKey, box: Box): Promise<BlockData> {
    const handle = this.handles.get(key);
    if (!handle) throw new SourceFileError(this.file, `no dataset with object address ${key} (read the tree first)`);
    try {
      return await this.read(handle, box);
    } catch (err) {
      throw new SourceObjectError(this.file, handle.path, `cannot read values: ${reason(err)}`);
    }
  }

  private async read(handle: DatasetHandle, box: Box): Promise<BlockData> {
    if (!(await this.touchesAllocated(handle, box))) return { allocated: false };
    const count = boxElements(box);
    if (handle.raw) {
      const raw = await readRawBox(await this.storageReader.datasetStorage(handle.key), this.bytes, box);
      return { allocated: true, bytes: elementConverter(handle.metadata, handle.type, "as-stored").convert(raw, count) };
    }
    const converter = this.converterFor(handle);
    const whole = handle.shape.length === 0;
    const bytes = this.h5.readDataset(handle.path, handle.metadata, whole ? undefined : box, (data, heap) => converter.convert(data.slice(), count, heap));
    return { allocated: true, bytes };
  }

  /**
   * Datasets whose storage our reader cannot describe (external raw data files, virtual datasets) may still be
   * readable by HDF5: one element tells, so a dataset that cannot be copied is known before anything is written.
   */
  private async probeUnknownLayouts(tree: SourceTree): Promise<void> {
    for (const dataset of tree.objects) {
      if (dataset.kind !== "dataset" || dataset.layout.class !== "unknown" || dataset.unreadable || !this.handles.has(dataset.key)) continue;
      const shape = dataset.shape ?? [];
      if (shape.includes(0)) continue;
      try {
        await this.read(this.handles.get(dataset.key)!, { start: shape.map(() => 0), count: shape.map(() => 1) });
      } catch (err) {
        dataset.unreadable = reason(err);
      }
    }
  }

  async close(): Promise<void> {
    try {
      this.h5.close();
    } finally {
      await this.bytes.close();
    }
  }

  private converterFor(handle: DatasetHandle): ElementConverter {
    let converter = this.converters.get(handle.key);
    if (!converter) {
      converter = elementConverter(handle.metadata, handle.type, h5wasmNumberOrder(handle.metadata));
      this.converters.set(handle.key, converter);
    }
    return converter;
  }

  private async touchesAllocated(handle: DatasetHandle, box: Box): Promise<boolean> {
    const allocation = await this.allocationOf(handle.key);
    if (allocation.kind !== "chunks") return allocation.kind === "everything";
    for (const index of cellsTouched(box, allocation.chunks)) {
      if (allocation.allocated.has(linearIndex(index, allocation.grid))) return true;
    }
    return false;
  }

  private async allocationOf(key: ObjectKey): Promise<Allocation> {
    let allocation = this.allocations.get(key);
    if (allocation) return allocation;
    let storage: DatasetStorageInfo | undefined;
    try {
      storage = await this.storageReader.datasetStorage(key);
    } catch {
      storage = undefined; // layouts our reader does not know (virtual...): read every block
    }
    allocation = allocationFrom(storage);
    if (this.allocations.size >= ALLOCATION_CACHE_SIZE) this.allocations.delete(this.allocations.keys().next().value!);
    this.allocations.set(key, allocation);
    return allocation;
  }
}

function allocationFrom(storage: DatasetStorageInfo | undefined): Allocation {
  const s = storage?.storage;
  if (!s || s.layout === "compact") return { kind: "everything" };
  if (s.layout === "contiguous") return { kind: s.address === undefined ? "nothing" : "everything" };
  if (s.chunks.length === 0) return { kind: "nothing" };
  // Chunks past the current extent (after a shrink) still count: the grid covers the largest index seen.
  const grid = s.chunkShape.map((c, d) => Math.ceil(storage!.shape[d]! / c));
  for (const chunk of s.chunks) chunk.index.forEach((i, d) => (grid[d] = Math.max(grid[d]!, i + 1)));
  return { kind: "chunks", chunks: s.chunkShape, grid, allocated: new Set(s.chunks.map((c) => linearIndex(c.index, grid))) };
}

function linearIndex(index: readonly number[], grid: readonly number[]): number {
  let linear = 0;
  for (let d = 0; d < grid.length; d++) linear = linear * grid[d]! + index[d]!;
  return linear;
}

async function checkRegularFile(file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    throw new SourceFileError(file, describeFsError(err));
  }
  if (info.isDirectory()) throw new SourceFileError(file, "is a directory, not an HDF5 file");
  if (!info.isFile()) throw new SourceFileError(file, "is not a regular file");
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory, not an HDF5 file";
  return reason(err);
}

function reason(err: unknown): string {
  if (err instanceof Hdf5LibraryError) return err.reason;
  if (err instanceof Hdf5FormatError) return err.detail;
  return err instanceof Error ? err.message : String(err);
}

/*
 * Where a dataset's raw data lives in an HDF5 file: chunk addresses, sizes and filter masks, or the contiguous
 * extent, or the compact bytes. h5wasm cannot report chunk locations and no JavaScript library parses HDF5 chunk
 * indexes, so this module and everything under ./format/ are written by hand from the HDF5 File Format
 * Specification 3.0 (plus layout message version 5 of HDF5 2.0). Only metadata is read, never chunk data.
 */
import type { ByteSource } from "./byte-source.js";
import { readDatasetStorage } from "./format/dataset-storage.js";
import { MetadataFile } from "./format/metadata-file.js";

export { Hdf5FormatError } from "./format/errors.js";

/** One allocated chunk: where its stored (filtered) bytes sit in the file. */
export interface ChunkLocation {
  /** Chunk grid coordinates: logical element offset / chunk dims. */
  index: number[];
  /** Absolute byte offset in the file. */
  address: number;
  /** Stored (filtered) bytes. */
  size: number;
  /** Bit i set: filter i of the pipeline was skipped for this chunk. */
  filterMask: number;
}

export interface Hdf5Filter {
  id: number;
  name?: string;
  flags: number;
  cdValues: number[];
}

export type DatasetStorage =
  | { layout: "compact"; data: Uint8Array }
  /** `address` is undefined when the data was never written (not allocated). */
  | { layout: "contiguous"; address: number | undefined; size: number }
  | {
      layout: "chunked";
      chunkShape: number[];
      indexType: "btree-v1" | "single" | "implicit" | "fixed-array" | "extensible-array" | "btree-v2";
      /** Allocated chunks only, in row-major order of `index`. */
      chunks: ChunkLocation[];
    };

export interface DatasetStorageInfo {
  /** [] for a scalar (or null) dataspace. */
  shape: number[];
  /** null = unlimited. */
  maxShape: (number | null)[];
  elementSize: number;
  /** In pipeline order: the order they were applied when writing. */
  filters: Hdf5Filter[];
  /** When the file defines one: the raw bytes of one element. */
  fillValue?: Uint8Array;
  storage: DatasetStorage;
}

/** Reads the storage of datasets in one HDF5 file; metadata blocks are cached between calls. */
export class Hdf5StorageReader {
  private constructor(private readonly file: MetadataFile) {}

  /** Parses the superblock once; the caller keeps ownership of (and closes) the source. */
  static async open(source: ByteSource): Promise<Hdf5StorageReader> {
    return new Hdf5StorageReader(await MetadataFile.open(source));
  }

  /** `objectHeaderAddress`: the dataset's object header address as stored in the file (an hobj_ref_t). */
  datasetStorage(objectHeaderAddress: number): Promise<DatasetStorageInfo> {
    return readDatasetStorage(this.file, objectHeaderAddress);
  }
}

import type { ChunkData } from "./chunk-io.js";
import type { DatasetView } from "./dataset-view.js";

/**
 * Where reads of a dataset's chunks come from: its own chunk objects (DatasetChunks), or byte
 * ranges of HDF5 files for linked datasets. Value reads see no difference.
 */
export interface ChunkSource {
  readonly view: DatasetView;
  readOrFill(index: readonly number[]): Promise<ChunkData>;
  /** Release what reading needed (open source files). */
  close(): Promise<void>;
}

// The messages between Hdf5Source (main thread) and its worker.
import type { Box } from "./box.js";
import type { SerializedError } from "./source-errors.js";
import type { ObjectKey } from "./source-tree.js";

export type SourceRequestBody = { op: "tree" } | { op: "read"; key: ObjectKey; box: Box } | { op: "close" };

export type SourceRequest = SourceRequestBody & { id: number };

/** Id 0 answers the open that starts every worker. */
export type SourceResponse = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: SerializedError };

export interface SourceWorkerData {
  file: string;
}

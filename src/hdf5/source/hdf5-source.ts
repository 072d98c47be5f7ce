// An HDF5 file opened for loading: a worker thread per file runs h5wasm (see source-worker.ts); this side
// sends it requests and gets the tree and blocks of values back.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Box } from "./box.js";
import { deserializeError, SourceFileError } from "./source-errors.js";
import type { SourceRequest, SourceRequestBody, SourceResponse, SourceWorkerData } from "./source-protocol.js";
import type { BlockData } from "./source-reader.js";
import type { ObjectKey, SourceTree } from "./source-tree.js";

export type { BlockData } from "./source-reader.js";

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

export class Hdf5Source {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | undefined;

  private constructor(
    readonly file: string,
    private readonly worker: Worker,
  ) {
    worker.on("message", (response: SourceResponse) => {
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (response.ok) waiting.resolve(response.result);
      else waiting.reject(deserializeError(response.error, file));
    });
    worker.on("error", (err) => this.fail(new SourceFileError(file, `the HDF5 reader failed: ${err.message}`)));
    worker.on("exit", (code) => this.fail(new SourceFileError(file, `the HDF5 reader stopped (exit code ${code})`)));
  }

  /** Opens `file` in a new worker; fails with SourceFileError when it is not a readable HDF5 file. */
  static async open(file: string): Promise<Hdf5Source> {
    const worker = new Worker(workerScript(), { workerData: { file } satisfies SourceWorkerData });
    const source = new Hdf5Source(file, worker);
    const opened = new Promise((resolve, reject) => source.pending.set(0, { resolve, reject }));
    try {
      await opened;
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    return source;
  }

  /** The whole object graph, metadata and attribute values. */
  tree(): Promise<SourceTree> {
    return this.request({ op: "tree" }) as Promise<SourceTree>;
  }

  /** The values of `box` of a dataset of the tree, in HSDS binary form; unallocated blocks are not read. */
  readBlock(key: ObjectKey, box: Box): Promise<BlockData> {
    return this.request({ op: "read", key, box }) as Promise<BlockData>;
  }

  /** Closes the file and ends the worker (whatever state a failed call left h5wasm in). */
  async close(): Promise<void> {
    try {
      if (!this.failure) await this.request({ op: "close" });
    } catch {
      // ending the worker releases everything anyway
    } finally {
      this.failure ??= new SourceFileError(this.file, "closed");
      await this.worker.terminate();
    }
  }

  private request(body: SourceRequestBody): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id } satisfies SourceRequest);
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}

/** The compiled worker beside this module; from the TypeScript sources (tests), the one tsc wrote to dist/. */
function workerScript(): URL {
  const here = new URL("./source-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL(here.href.replace("/src/hdf5/source/", "/dist/src/hdf5/source/"));
}

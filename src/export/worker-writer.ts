// A FileWriter whose h5wasm runs in a worker thread: writes overlap with the network reads of the next
// blocks, and when something goes wrong the thread can be ended, taking h5wasm's state with it.

import { Worker } from "node:worker_threads";
import { type FileWriter, H5WriteError, type WriterMethod } from "./file-writer.js";

export interface WriterCall {
  seq: number;
  method: WriterMethod;
  args: unknown[];
}

/** Answer to a call; seq 0 answers the worker's start (the file is created). */
export interface WriterReply {
  seq: number;
  result?: unknown;
  error?: string;
}

/** How long close() may take in abort() before the thread is ended regardless. */
const CLOSE_ON_ABORT_MS = 5000;

export async function startWorkerWriter(path: string): Promise<FileWriter> {
  const worker = new Worker(new URL("./writer-worker.js", import.meta.url), { workerData: { path } });
  const writer = new WorkerWriter(worker);
  try {
    await writer.started;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return writer.api();
}

class WorkerWriter {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private stopped: Error | undefined;
  readonly started: Promise<unknown>;

  constructor(private readonly worker: Worker) {
    this.started = new Promise((resolve, reject) => this.pending.set(0, { resolve, reject }));
    worker.on("message", (reply: WriterReply) => {
      const waiting = this.pending.get(reply.seq);
      this.pending.delete(reply.seq);
      if (reply.error !== undefined) waiting?.reject(new H5WriteError(reply.error));
      else waiting?.resolve(reply.result);
    });
    worker.on("error", (err) => this.stop(new H5WriteError(`the HDF5 writer failed: ${err.message}`)));
    worker.on("exit", (code) => this.stop(new H5WriteError(`the HDF5 writer stopped (exit code ${code})`)));
  }

  private stop(reason: Error): void {
    this.stopped ??= reason;
    for (const { reject } of this.pending.values()) reject(this.stopped);
    this.pending.clear();
  }

  private call<T>(method: WriterMethod, args: unknown[]): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ seq, method, args } satisfies WriterCall);
    });
  }

  api(): FileWriter {
    const forward =
      <M extends WriterMethod>(method: M) =>
      (...args: Parameters<FileWriter[M]>) =>
        this.call(method, args) as ReturnType<FileWriter[M]>;
    return {
      createGroup: forward("createGroup"),
      createDataset: forward("createDataset"),
      // A view into a larger buffer would be cloned whole: send only its bytes.
      writeBlock: (path, start, count, data) =>
        this.call("writeBlock", [path, start, count, data.byteLength === data.buffer.byteLength ? data : data.slice()]),
      createAttribute: forward("createAttribute"),
      hardLink: forward("hardLink"),
      softLink: forward("softLink"),
      externalLink: forward("externalLink"),
      registerObject: forward("registerObject"),
      makeScale: forward("makeScale"),
      attachScale: forward("attachScale"),
      close: async () => {
        await this.call("close", []);
        await this.worker.terminate();
      },
      abort: async () => {
        // Closing releases the file descriptor, which ending the thread alone would not.
        const closing = this.call("close", []).catch(() => undefined);
        await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, CLOSE_ON_ABORT_MS).unref())]);
        await this.worker.terminate();
      },
    };
  }
}

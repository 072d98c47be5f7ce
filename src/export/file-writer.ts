// The asynchronous face of H5FileWriter that the export drives: in a worker thread for the CLI (writes
// overlap with network reads, and a wedged h5wasm can be ended), or in-process.

import type { AttributeSpec, DatasetSpec, H5FileWriter } from "./h5-file-writer.js";

/** An HDF5 call that failed, as one line: the operation, the HDF5 path and HDF5's innermost reason. */
export class H5WriteError extends Error {
  override name = "H5WriteError";
}

export interface FileWriter {
  createGroup(path: string, trackOrder: boolean): Promise<void>;
  createDataset(spec: DatasetSpec): Promise<void>;
  writeBlock(path: string, start: number[], count: number[], data: Uint8Array): Promise<number>;
  createAttribute(spec: AttributeSpec): Promise<number>;
  hardLink(path: string, target: string): Promise<void>;
  softLink(path: string, target: string): Promise<void>;
  externalLink(path: string, file: string, target: string): Promise<void>;
  registerObject(id: string, path: string): Promise<void>;
  makeScale(path: string, name: string | undefined): Promise<void>;
  attachScale(path: string, dim: number, scale: string): Promise<void>;
  /** Finish the file. */
  close(): Promise<void>;
  /** Give up: release the file as well as possible; the caller deletes it. */
  abort(): Promise<void>;
}

/** The methods of H5FileWriter a FileWriter forwards, for the worker protocol. */
export type WriterMethod = Exclude<keyof FileWriter, "abort">;

/** A FileWriter that runs h5wasm on the calling thread. */
export function inProcessWriter(writer: H5FileWriter): FileWriter {
  const call =
    <M extends WriterMethod>(method: M) =>
    (...args: Parameters<H5FileWriter[M]>) =>
      Promise.resolve().then(() => (writer[method] as (...a: unknown[]) => unknown)(...args)) as ReturnType<FileWriter[M]>;
  let closed = false;
  return {
    createGroup: call("createGroup"),
    createDataset: call("createDataset"),
    writeBlock: call("writeBlock"),
    createAttribute: call("createAttribute"),
    hardLink: call("hardLink"),
    softLink: call("softLink"),
    externalLink: call("externalLink"),
    registerObject: call("registerObject"),
    makeScale: call("makeScale"),
    attachScale: call("attachScale"),
    close: async () => {
      closed = true;
      writer.close();
    },
    abort: async () => {
      if (closed) return;
      closed = true;
      try {
        writer.close();
      } catch {
        // The file is deleted next; a close that fails leaves nothing worth keeping.
      }
    },
  };
}

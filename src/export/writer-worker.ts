// The writer thread: creates the HDF5 file named in workerData and answers calls in order.

import { parentPort, workerData } from "node:worker_threads";
import { H5FileWriter } from "./h5-file-writer.js";
import type { WriterCall, WriterReply } from "./worker-writer.js";

const port = parentPort!;
const reply = (message: WriterReply) => port.postMessage(message);
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

try {
  const writer = await H5FileWriter.create((workerData as { path: string }).path);
  port.on("message", ({ seq, method, args }: WriterCall) => {
    try {
      reply({ seq, result: (writer[method] as (...a: unknown[]) => unknown)(...args) });
    } catch (err) {
      reply({ seq, error: messageOf(err) });
    }
  });
  reply({ seq: 0, result: true });
} catch (err) {
  reply({ seq: 0, error: messageOf(err) });
}

// The worker thread behind one Hdf5Source: h5wasm is synchronous and may leak a handle when a call fails, so
// it lives here, where the main thread can end it, and its reads and decompression run beside the network I/O.
import { parentPort, workerData } from "node:worker_threads";
import { serializeError } from "./source-errors.js";
import type { SourceRequest, SourceResponse, SourceWorkerData } from "./source-protocol.js";
import { SourceReader } from "./source-reader.js";

const port = parentPort!;
const { file } = workerData as SourceWorkerData;

function answer(id: number, run: () => Promise<unknown>): Promise<void> {
  return run().then(
    (result) => {
      const transfer = result instanceof Object && "bytes" in result && result.bytes instanceof Uint8Array ? [result.bytes.buffer as ArrayBuffer] : [];
      port.postMessage({ id, ok: true, result } satisfies SourceResponse, transfer);
    },
    (err: unknown) => port.postMessage({ id, ok: false, error: serializeError(err) } satisfies SourceResponse),
  );
}

const opening = SourceReader.open(file);
// Requests run one at a time, in order: h5wasm has one heap and one error stack.
let queue = answer(0, () => opening.then(() => undefined));

port.on("message", (request: SourceRequest) => {
  queue = queue.then(() =>
    answer(request.id, async () => {
      const reader = await opening;
      switch (request.op) {
        case "tree":
          return reader.tree();
        case "read":
          return ownBuffer(await reader.readBlock(request.key, request.box));
        case "close":
          return reader.close();
      }
    }),
  );
});

/** Transferring a view would move (and detach) the whole buffer behind it; give the bytes a buffer of their own. */
function ownBuffer<T extends { allocated: boolean; bytes?: Uint8Array }>(block: T): T {
  const bytes = block.bytes;
  if (!bytes || (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)) return block;
  return { ...block, bytes: bytes.slice() };
}

// Values read from the file's bytes without h5wasm, for the types h5wasm cannot convert (big-endian enums):
// the dataset's storage as our chunk-index reader describes it, chunks decoded with our HDF5 filter codecs.
// The bytes keep the file's layout and byte order.
import { hdf5ChunkDecoder } from "../../codecs/hdf5-chunk.js";
import type { ByteSource } from "../byte-source.js";
import { type DatasetStorageInfo, Hdf5FormatError } from "../storage-info.js";
import { type Box, boxElements, cellsTouched, copyOverlap } from "./box.js";

/** The elements of `box` in C order, unallocated parts holding the fill value. */
export async function readRawBox(info: DatasetStorageInfo, file: ByteSource, box: Box): Promise<Uint8Array> {
  const { elementSize, storage, shape } = info;
  const out = filled(boxElements(box), elementSize, info.fillValue);
  const whole: Box = { start: shape.map(() => 0), count: shape };
  switch (storage.layout) {
    case "compact":
      copyOverlap(storage.data, whole, out, box, elementSize);
      return out;
    case "contiguous": {
      if (storage.address === undefined) return out;
      // Whole rows along the first dimension are one byte range of the file.
      const rows: Box = shape.length === 0 ? whole : { start: [box.start[0]!, ...shape.slice(1).map(() => 0)], count: [box.count[0]!, ...shape.slice(1)] };
      const rowBytes = (shape.length === 0 ? 1 : boxElements(rows) / box.count[0]!) * elementSize;
      const offset = storage.address + (shape.length === 0 ? 0 : box.start[0]! * rowBytes);
      copyOverlap(await exactly(file, offset, boxElements(rows) * elementSize), rows, out, box, elementSize);
      return out;
    }
    case "chunked": {
      const chunkShape = storage.chunkShape;
      const decoder = hdf5ChunkDecoder(info.filters, { itemSize: elementSize, chunkBytes: chunkShape.reduce((a, b) => a * b, elementSize) });
      const byIndex = new Map(storage.chunks.map((c) => [c.index.join(","), c]));
      for (const index of cellsTouched(box, chunkShape)) {
        const chunk = byIndex.get(index.join(","));
        if (!chunk) continue;
        const data = await decoder.decode(await exactly(file, chunk.address, chunk.size), chunk.filterMask);
        copyOverlap(data, { start: index.map((i, d) => i * chunkShape[d]!), count: chunkShape }, out, box, elementSize);
      }
      return out;
    }
  }
}

function filled(elements: number, elementSize: number, fill: Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array(elements * elementSize);
  if (fill && fill.some((b) => b !== 0)) for (let e = 0; e < elements; e++) out.set(fill, e * elementSize);
  return out;
}

async function exactly(file: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  const bytes = await file.read(offset, length);
  if (bytes.length !== length) throw new Hdf5FormatError(file.name, `${length} bytes of raw data at ${offset} reach past the end of the file`);
  return bytes;
}

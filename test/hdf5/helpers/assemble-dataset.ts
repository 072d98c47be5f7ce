import { inflateSync } from "node:zlib";
import type { DatasetStorageInfo, Hdf5Filter } from "../../../src/hdf5/storage-info.js";

const DEFLATE = 1;
const SHUFFLE = 2;
const FLETCHER32 = 3;

/** Filters this test helper can undo. */
export function canDecode(filters: Hdf5Filter[]): boolean {
  return filters.every((f) => [DEFLATE, SHUFFLE, FLETCHER32].includes(f.id));
}

/** Undoes the pipeline in reverse order, skipping the filters the chunk's mask says were not applied. */
export function decodeChunk(
  stored: Uint8Array,
  filters: Hdf5Filter[],
  filterMask: number,
  elementSize: number,
): Uint8Array {
  let bytes = stored;
  for (let i = filters.length - 1; i >= 0; i--) {
    if (filterMask & (1 << i)) continue;
    const filter = filters[i]!;
    if (filter.id === DEFLATE) bytes = new Uint8Array(inflateSync(bytes));
    else if (filter.id === SHUFFLE) bytes = unshuffle(bytes, elementSize);
    else if (filter.id === FLETCHER32) bytes = bytes.subarray(0, bytes.length - 4);
    else throw new Error(`test helper cannot undo filter ${filter.id}`);
  }
  return bytes;
}

/** HDF5 byte shuffle stores byte k of every element together; a tail that is not a whole element is left as is. */
function unshuffle(bytes: Uint8Array, elementSize: number): Uint8Array {
  const count = Math.floor(bytes.length / elementSize);
  const out = bytes.slice();
  for (let k = 0; k < elementSize; k++) {
    for (let e = 0; e < count; e++) out[e * elementSize + k] = bytes[k * count + e]!;
  }
  return out;
}

/**
 * The dataset's bytes in file order, built from what the storage reader reported: chunks (stored full size,
 * clipped at the edges), contiguous bytes or compact data; unallocated space holds the fill value or zeros.
 */
export function assembleDataset(
  info: DatasetStorageInfo,
  readBytes: (address: number, size: number) => Uint8Array,
): Uint8Array {
  const { shape, elementSize, storage } = info;
  // A contiguous dataset's size also covers a null dataspace, which has shape [] like a scalar but no element.
  const total = storage.layout === "contiguous" ? storage.size / elementSize : shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(total * elementSize);
  if (info.fillValue) for (let e = 0; e < total; e++) out.set(info.fillValue, e * elementSize);
  if (storage.layout === "compact") {
    out.set(storage.data.subarray(0, out.length));
  } else if (storage.layout === "contiguous") {
    if (storage.address !== undefined) out.set(readBytes(storage.address, out.length));
  } else {
    const { chunkShape } = storage;
    const chunkElements = chunkShape.reduce((a, b) => a * b, 1);
    for (const chunk of storage.chunks) {
      const data = decodeChunk(readBytes(chunk.address, chunk.size), info.filters, chunk.filterMask, elementSize);
      if (data.length !== chunkElements * elementSize) {
        throw new Error(`chunk ${chunk.index} decodes to ${data.length} bytes, not ${chunkElements * elementSize}`);
      }
      copyChunk(data, chunk.index, chunkShape, shape, elementSize, out);
    }
  }
  return out;
}

function copyChunk(
  data: Uint8Array,
  index: number[],
  chunkShape: number[],
  shape: number[],
  elementSize: number,
  out: Uint8Array,
): void {
  const last = shape.length - 1;
  const origin = index.map((c, d) => c * chunkShape[d]!);
  const runLength = Math.min(chunkShape[last]!, shape[last]! - origin[last]!);
  if (runLength <= 0) return;
  const rows = chunkShape.slice(0, last).reduce((a, b) => a * b, 1);
  const coords = new Array<number>(last);
  for (let row = 0; row < rows; row++) {
    // Coordinates of this row (all dimensions but the last), skipping rows past the dataset's edge.
    let rest = row;
    let inside = true;
    for (let d = last - 1; d >= 0; d--) {
      coords[d] = origin[d]! + (rest % chunkShape[d]!);
      rest = Math.floor(rest / chunkShape[d]!);
      if (coords[d]! >= shape[d]!) inside = false;
    }
    if (!inside) continue;
    let target = 0;
    for (let d = 0; d < last; d++) target = target * shape[d]! + coords[d]!;
    target = target * shape[last]! + origin[last]!;
    const from = row * chunkShape[last]! * elementSize;
    out.set(data.subarray(from, from + runLength * elementSize), target * elementSize);
  }
}

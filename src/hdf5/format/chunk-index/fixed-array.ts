import type { ChunkLocation } from "../../storage-info.js";
import type { ByteCursor } from "../byte-cursor.js";
import { chunkCounts, gridCoords } from "./chunk-grid.js";
import { chunkLocation, decodeChunkEntry, type ChunkIndexInput } from "./chunk-record.js";
import { pageInitialized } from "./page-bitmap.js";

/** Fixed array index (FAHD / FADB, optionally paged): one entry per chunk of the maximum extent. */
export async function readFixedArrayChunks(input: ChunkIndexInput): Promise<ChunkLocation[]> {
  const { file, chunkShape } = input;
  const { offsetSize, lengthSize } = file.sizes;
  const header = await file.cursor(input.address, 4 + 4 + lengthSize + offsetSize + 4, "fixed array header");
  header.signature("FAHD");
  const version = header.u8();
  if (version !== 0) header.fail(`unsupported fixed array header version ${version}`);
  const filtered = arrayClient(header);
  const entrySize = header.u8();
  const pageBits = header.u8();
  const entryCount = header.length();
  const dataBlockAddress = header.address();
  if (dataBlockAddress === undefined || entryCount === 0) return [];

  const maxShape = input.maxShape.map((d) => d ?? header.fail("fixed array index with an unlimited dimension"));
  const counts = chunkCounts(maxShape, chunkShape);
  const pageEntries = 2 ** pageBits;
  const paged = entryCount > pageEntries;
  const pageCount = paged ? Math.ceil(entryCount / pageEntries) : 0;
  const bitmapSize = Math.ceil(pageCount / 8);
  const prefixSize = 4 + 1 + 1 + offsetSize + bitmapSize;

  const chunks: ChunkLocation[] = [];
  const collect = (entries: ByteCursor, first: number, count: number) => {
    for (let i = 0; i < count; i++) {
      const entry = decodeChunkEntry(entries, filtered, entrySize, input.chunkBytes);
      if (!entry) continue;
      chunks.push(chunkLocation(file, gridCoords(first + i, counts), entry.address, entry.size, entry.filterMask));
    }
  };

  const blockSize = prefixSize + (paged ? 0 : entryCount * entrySize);
  const block = await file.cursor(dataBlockAddress, blockSize, "fixed array data block");
  block.signature("FADB");
  const blockVersion = block.u8();
  if (blockVersion !== 0) block.fail(`unsupported fixed array data block version ${blockVersion}`);
  block.skip(1 + offsetSize); // client id, header address
  if (!paged) {
    collect(block, 0, entryCount);
    return chunks;
  }
  const bitmap = block.take(bitmapSize);
  // Pages follow the block's own checksum; each page carries a checksum of its own.
  const pagesAt = dataBlockAddress + prefixSize + 4;
  const pageStride = pageEntries * entrySize + 4;
  const pages = [];
  for (let p = 0; p < pageCount; p++) {
    if (!pageInitialized(bitmap, p)) continue;
    const first = p * pageEntries;
    const count = Math.min(pageEntries, entryCount - first);
    const page = file.cursor(pagesAt + p * pageStride, count * entrySize, "fixed array data block page");
    pages.push(page.then((entries) => collect(entries, first, count)));
  }
  await Promise.all(pages);
  return chunks;
}

/** Client 0 indexes unfiltered chunks (address only), client 1 filtered ones (address, size, mask). */
export function arrayClient(header: ByteCursor): boolean {
  const client = header.u8();
  if (client !== 0 && client !== 1) header.fail(`unknown client id ${client}`);
  return client === 1;
}

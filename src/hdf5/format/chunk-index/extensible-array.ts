import type { ChunkLocation } from "../../storage-info.js";
import type { ByteCursor } from "../byte-cursor.js";
import type { MetadataFile } from "../metadata-file.js";
import { chunkCounts, gridCoords } from "./chunk-grid.js";
import { chunkLocation, decodeChunkEntry, type ChunkIndexInput } from "./chunk-record.js";
import { arrayClient } from "./fixed-array.js";
import { pageInitialized } from "./page-bitmap.js";

/** Creation parameters and derived geometry of one extensible array, from its header. */
interface ArrayGeometry {
  readonly filtered: boolean;
  readonly entrySize: number;
  readonly indexBlockEntries: number;
  readonly pageEntries: number;
  /** Width of the "block offset" field of super and data blocks. */
  readonly blockOffsetSize: number;
  /** One past the highest entry index ever set. */
  readonly entriesInUse: number;
  readonly superBlocks: SuperBlockInfo[];
  /** How many of the first super blocks have their data blocks addressed straight from the index block. */
  readonly superBlocksInIndexBlock: number;
  readonly dataBlocksInIndexBlock: number;
}

interface SuperBlockInfo {
  readonly dataBlocks: number;
  readonly entriesPerDataBlock: number;
  /** Entry index (after the index block's own entries) of the super block's first entry. */
  readonly firstEntry: number;
  /** Number of data blocks in all earlier super blocks. */
  readonly firstDataBlock: number;
}

/**
 * Extensible array index (EAHD / EAIB / EASB / EADB), used for datasets with one unlimited dimension. Entries
 * are numbered along the unlimited dimension first: the index block holds the first few, then come data blocks
 * that double in size every other super block, those of the later super blocks reached through secondary
 * blocks, and large data blocks are split into pages that exist only once written.
 */
export async function readExtensibleArrayChunks(input: ChunkIndexInput): Promise<ChunkLocation[]> {
  const { file } = input;
  const { offsetSize, lengthSize } = file.sizes;
  const header = await file.cursor(input.address, 12 + 6 * lengthSize + offsetSize + 4, "extensible array header");
  header.signature("EAHD");
  const version = header.u8();
  if (version !== 0) header.fail(`unsupported extensible array header version ${version}`);
  const filtered = arrayClient(header);
  const entrySize = header.u8();
  const maxEntryBits = header.u8();
  const indexBlockEntries = header.u8();
  const minDataBlockEntries = header.u8();
  const minDataBlockPointers = header.u8();
  const pageBits = header.u8();
  header.skip(4 * lengthSize); // super and data block counts and sizes
  const entriesInUse = header.length();
  header.length(); // number of elements realised
  const indexBlockAddress = header.address();
  if (indexBlockAddress === undefined || entriesInUse === 0) return [];

  const superBlockCount = 1 + maxEntryBits - Math.log2(minDataBlockEntries);
  const superBlocks: SuperBlockInfo[] = [];
  for (let u = 0, firstEntry = 0, firstDataBlock = 0; u < superBlockCount; u++) {
    const info = {
      dataBlocks: 2 ** Math.floor(u / 2),
      entriesPerDataBlock: 2 ** Math.floor((u + 1) / 2) * minDataBlockEntries,
      firstEntry,
      firstDataBlock,
    };
    superBlocks.push(info);
    firstEntry += info.dataBlocks * info.entriesPerDataBlock;
    firstDataBlock += info.dataBlocks;
  }
  const geometry: ArrayGeometry = {
    filtered,
    entrySize,
    indexBlockEntries,
    pageEntries: 2 ** pageBits,
    blockOffsetSize: Math.ceil(maxEntryBits / 8),
    entriesInUse,
    superBlocks,
    superBlocksInIndexBlock: 2 * Math.log2(minDataBlockPointers),
    dataBlocksInIndexBlock: 2 * (minDataBlockPointers - 1),
  };

  const chunks: ChunkLocation[] = [];
  const unlimited = input.maxShape.indexOf(null);
  if (unlimited < 0 || input.maxShape.lastIndexOf(null) !== unlimited) {
    header.fail("extensible array index needs exactly one unlimited dimension");
  }
  // Entries are numbered with the unlimited dimension moved to the front ("swizzled").
  const counts = chunkCounts(
    input.maxShape.map((d) => d ?? Infinity),
    input.chunkShape,
  );
  const swizzledCounts = [counts[unlimited]!, ...counts.filter((_, i) => i !== unlimited)];
  const collect = (entries: ByteCursor, firstEntry: number, count: number) => {
    for (let i = 0; i < count && firstEntry + i < entriesInUse; i++) {
      const entry = decodeChunkEntry(entries, filtered, entrySize, input.chunkBytes);
      if (!entry) continue;
      const swizzled = gridCoords(firstEntry + i, swizzledCounts);
      const index = swizzled.slice(1);
      index.splice(unlimited, 0, swizzled[0]!);
      chunks.push(chunkLocation(file, index, entry.address, entry.size, entry.filterMask));
    }
  };

  await readIndexBlock(file, indexBlockAddress, geometry, collect);
  return chunks;
}

type Collect = (entries: ByteCursor, firstEntry: number, count: number) => void;

async function readIndexBlock(file: MetadataFile, address: number, g: ArrayGeometry, collect: Collect): Promise<void> {
  const { offsetSize } = file.sizes;
  const secondaryBlocks = g.superBlocks.length - g.superBlocksInIndexBlock;
  const addresses = g.dataBlocksInIndexBlock + secondaryBlocks;
  const size = 6 + offsetSize + g.indexBlockEntries * g.entrySize + addresses * offsetSize;
  const block = await file.cursor(address, size, "extensible array index block");
  block.signature("EAIB");
  const version = block.u8();
  if (version !== 0) block.fail(`unsupported extensible array index block version ${version}`);
  block.skip(1 + offsetSize); // client id, header address
  collect(block, 0, g.indexBlockEntries);

  const reads: Promise<void>[] = [];
  const dataBlockAddresses: (number | undefined)[] = [];
  for (let i = 0; i < g.dataBlocksInIndexBlock; i++) dataBlockAddresses.push(block.address());
  for (let s = 0; s < g.superBlocksInIndexBlock; s++) {
    const info = g.superBlocks[s]!;
    for (let d = 0; d < info.dataBlocks; d++) {
      const dataBlock = dataBlockAddresses[info.firstDataBlock + d];
      const firstEntry = g.indexBlockEntries + info.firstEntry + d * info.entriesPerDataBlock;
      if (dataBlock === undefined || firstEntry >= g.entriesInUse) continue;
      if (info.entriesPerDataBlock > g.pageEntries) block.fail("paged data block addressed from the index block");
      reads.push(readDataBlock(file, dataBlock, g, info, firstEntry, undefined, collect));
    }
  }
  for (let s = g.superBlocksInIndexBlock; s < g.superBlocks.length; s++) {
    const secondary = block.address();
    const info = g.superBlocks[s]!;
    if (secondary === undefined || g.indexBlockEntries + info.firstEntry >= g.entriesInUse) continue;
    reads.push(readSecondaryBlock(file, secondary, g, info, collect));
  }
  await Promise.all(reads);
}

async function readSecondaryBlock(
  file: MetadataFile,
  address: number,
  g: ArrayGeometry,
  info: SuperBlockInfo,
  collect: Collect,
): Promise<void> {
  const { offsetSize } = file.sizes;
  const pagesPerDataBlock = info.entriesPerDataBlock > g.pageEntries ? info.entriesPerDataBlock / g.pageEntries : 0;
  const bitmapBytesPerDataBlock = Math.ceil(pagesPerDataBlock / 8);
  const size = 6 + offsetSize + g.blockOffsetSize + info.dataBlocks * (bitmapBytesPerDataBlock + offsetSize);
  const block = await file.cursor(address, size, "extensible array secondary block");
  block.signature("EASB");
  const version = block.u8();
  if (version !== 0) block.fail(`unsupported extensible array secondary block version ${version}`);
  block.skip(1 + offsetSize + g.blockOffsetSize); // client id, header address, block offset
  const pageBitmap = block.take(info.dataBlocks * bitmapBytesPerDataBlock);
  const reads: Promise<void>[] = [];
  for (let d = 0; d < info.dataBlocks; d++) {
    const dataBlock = block.address();
    const firstEntry = g.indexBlockEntries + info.firstEntry + d * info.entriesPerDataBlock;
    if (dataBlock === undefined || firstEntry >= g.entriesInUse) continue;
    // One bit string for all the data blocks: page p of data block d is bit d * pagesPerDataBlock + p.
    const pages = pagesPerDataBlock > 0 ? { bitmap: pageBitmap, firstBit: d * pagesPerDataBlock } : undefined;
    reads.push(readDataBlock(file, dataBlock, g, info, firstEntry, pages, collect));
  }
  await Promise.all(reads);
}

async function readDataBlock(
  file: MetadataFile,
  address: number,
  g: ArrayGeometry,
  info: SuperBlockInfo,
  firstEntry: number,
  pages: { bitmap: Uint8Array; firstBit: number } | undefined,
  collect: Collect,
): Promise<void> {
  const prefixSize = 6 + file.sizes.offsetSize + g.blockOffsetSize;
  const entries = Math.min(info.entriesPerDataBlock, g.entriesInUse - firstEntry);
  if (!pages) {
    const block = await file.cursor(address, prefixSize + entries * g.entrySize, "extensible array data block");
    checkDataBlockPrefix(block, file, g);
    collect(block, firstEntry, entries);
    return;
  }
  checkDataBlockPrefix(await file.cursor(address, prefixSize, "extensible array data block"), file, g);
  // Pages follow the block prefix and its checksum; each page ends with a checksum of its own.
  const pagesAt = address + prefixSize + 4;
  const pageStride = g.pageEntries * g.entrySize + 4;
  const reads: Promise<void>[] = [];
  for (let p = 0; p * g.pageEntries < entries; p++) {
    if (!pageInitialized(pages.bitmap, pages.firstBit + p)) continue;
    const count = Math.min(g.pageEntries, entries - p * g.pageEntries);
    const first = firstEntry + p * g.pageEntries;
    reads.push(
      file
        .cursor(pagesAt + p * pageStride, count * g.entrySize, "extensible array data block page")
        .then((page) => collect(page, first, count)),
    );
  }
  await Promise.all(reads);
}

function checkDataBlockPrefix(block: ByteCursor, file: MetadataFile, g: ArrayGeometry): void {
  block.signature("EADB");
  const version = block.u8();
  if (version !== 0) block.fail(`unsupported extensible array data block version ${version}`);
  block.skip(1 + file.sizes.offsetSize + g.blockOffsetSize); // client id, header address, block offset
}

import type { ChunkLocation } from "../../storage-info.js";
import type { ByteCursor } from "../byte-cursor.js";
import { chunkLocation, decodeChunkEntry, type ChunkIndexInput } from "./chunk-record.js";

const UNFILTERED_CHUNKS = 10;
const FILTERED_CHUNKS = 11;
/** Signature, version, type and checksum: the fixed part of every node. */
const NODE_OVERHEAD = 4 + 1 + 1 + 4;

/** Widths the library derives from the node and record sizes, per depth. */
interface TreeShape {
  readonly recordSize: number;
  /** Bytes of a child's record count inside an internal node. */
  readonly recordCountSize: number;
  /** Per depth d >= 1: bytes of a child's total record count (0 when children are leaves). */
  readonly totalCountSize: number[];
}

/** Version 2 B-tree of chunk records (types 10 and 11), used for datasets with several unlimited dimensions. */
export async function readBtreeV2Chunks(input: ChunkIndexInput): Promise<ChunkLocation[]> {
  const { file } = input;
  const { offsetSize, lengthSize } = file.sizes;
  const header = await file.cursor(input.address, 16 + offsetSize + 2 + lengthSize + 4, "v2 B-tree header");
  header.signature("BTHD");
  const version = header.u8();
  if (version !== 0) header.fail(`unsupported v2 B-tree header version ${version}`);
  const type = header.u8();
  if (type !== UNFILTERED_CHUNKS && type !== FILTERED_CHUNKS) header.fail(`record type ${type} is not a chunk record`);
  const nodeSize = header.u32();
  const recordSize = header.u16();
  const depth = header.u16();
  header.skip(2); // split and merge percent
  const root = header.address();
  const rootRecords = header.u16();
  if (root === undefined || rootRecords === 0) return [];

  const shape = treeShape(nodeSize, recordSize, depth, offsetSize);
  const chunks: ChunkLocation[] = [];
  const readRecord = (node: ByteCursor) => {
    // The scaled chunk offsets (8 bytes per dimension) follow the address, size and mask.
    const entrySize = recordSize - 8 * input.chunkShape.length;
    const entry = decodeChunkEntry(node, type === FILTERED_CHUNKS, entrySize, input.chunkBytes);
    const index: number[] = [];
    for (let d = 0; d < input.chunkShape.length; d++) index.push(node.uint(8));
    if (entry) chunks.push(chunkLocation(file, index, entry.address, entry.size, entry.filterMask));
  };
  await visitNode(input, shape, root, depth, rootRecords, readRecord);
  return chunks;
}

async function visitNode(
  input: ChunkIndexInput,
  shape: TreeShape,
  address: number,
  depth: number,
  records: number,
  readRecord: (node: ByteCursor) => void,
): Promise<void> {
  const { offsetSize } = input.file.sizes;
  const pointerSize = depth > 0 ? offsetSize + shape.recordCountSize + shape.totalCountSize[depth]! : 0;
  const signature = depth > 0 ? "BTIN" : "BTLF";
  const what = depth > 0 ? "v2 B-tree internal node" : "v2 B-tree leaf node";
  const pointersSize = depth > 0 ? (records + 1) * pointerSize : 0;
  const node = await input.file.cursor(address, 6 + records * shape.recordSize + pointersSize, what);
  node.signature(signature);
  const version = node.u8();
  if (version !== 0) node.fail(`unsupported version ${version}`);
  node.skip(1); // type
  for (let r = 0; r < records; r++) {
    const start = node.pos;
    readRecord(node);
    node.pos = start + shape.recordSize;
  }
  if (depth === 0) return;
  const children: Promise<void>[] = [];
  for (let c = 0; c <= records; c++) {
    const child = node.address() ?? node.fail(`undefined child address ${c}`);
    const childRecords = node.uint(shape.recordCountSize);
    node.skip(shape.totalCountSize[depth]!);
    children.push(visitNode(input, shape, child, depth - 1, childRecords, readRecord));
  }
  await Promise.all(children);
}

/**
 * The record-count widths depend on how many records a node of each depth can hold, which the library computes
 * from the node size; this repeats that arithmetic (H5B2 header initialisation in the format specification).
 */
function treeShape(nodeSize: number, recordSize: number, depth: number, offsetSize: number): TreeShape {
  const leafMax = Math.floor((nodeSize - NODE_OVERHEAD) / recordSize);
  const recordCountSize = bytesFor(BigInt(leafMax));
  const totalCountSize = [0];
  let cumulative = BigInt(leafMax);
  let previousTotalSize = 0;
  for (let d = 1; d <= depth; d++) {
    const pointerSize = offsetSize + recordCountSize + previousTotalSize;
    const max = Math.floor((nodeSize - (NODE_OVERHEAD + pointerSize)) / (recordSize + pointerSize));
    // Children of a depth-1 node are leaves, whose record count says it all.
    totalCountSize.push(previousTotalSize);
    cumulative = BigInt(max + 1) * cumulative + BigInt(max);
    previousTotalSize = bytesFor(cumulative);
  }
  return { recordSize, recordCountSize, totalCountSize };
}

/** Bytes needed to encode values up to n: floor(log2(n) / 8) + 1. */
function bytesFor(n: bigint): number {
  return Math.floor((n.toString(2).length - 1) / 8) + 1;
}

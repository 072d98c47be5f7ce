import type { ChunkLocation } from "../../storage-info.js";
import { chunkLocation, type ChunkIndexInput } from "./chunk-record.js";

/**
 * Entries a chunk B-tree node holds at most with the library's default K of 32: reading that much up front
 * fetches a whole node in one go. Larger nodes (a non-default K) take a second read.
 */
const TYPICAL_ENTRIES = 64;

/** Version 1 B-tree of raw data chunks (node type 1), the index of layout messages 1 to 3. */
export async function readBtreeV1Chunks(input: ChunkIndexInput): Promise<ChunkLocation[]> {
  const chunks: ChunkLocation[] = [];
  await visitNode(input, input.address, undefined, chunks);
  return chunks;
}

async function visitNode(
  input: ChunkIndexInput,
  address: number,
  expectedLevel: number | undefined,
  out: ChunkLocation[],
): Promise<void> {
  const { file, chunkShape } = input;
  const { offsetSize } = file.sizes;
  const rank = chunkShape.length;
  // Key: chunk size, filter mask, one 8-byte offset per dimension plus the element-size dimension.
  const keySize = 4 + 4 + 8 * (rank + 1);
  const headSize = 8 + 2 * offsetSize;
  const entrySize = keySize + offsetSize;
  let node = await file.cursorAtMost(address, headSize + TYPICAL_ENTRIES * entrySize + keySize, "v1 B-tree node");
  node.signature("TREE");
  const nodeType = node.u8();
  if (nodeType !== 1) node.fail(`node type ${nodeType} is not a chunk node`);
  const level = node.u8();
  if (expectedLevel !== undefined && level !== expectedLevel) node.fail(`level ${level}, expected ${expectedLevel}`);
  const entries = node.u16();
  const nodeSize = headSize + entries * entrySize + keySize;
  if (nodeSize > node.bytes.length) {
    node = await file.cursor(address, nodeSize, "v1 B-tree node");
  }
  node.pos = headSize;

  const children: { key: { size: number; filterMask: number; offsets: number[] }; address: number }[] = [];
  for (let i = 0; i < entries; i++) {
    const size = node.u32();
    const filterMask = node.u32();
    const offsets: number[] = [];
    for (let d = 0; d < rank; d++) offsets.push(node.uint(8));
    node.skip(8); // element-size dimension, always 0
    const child = node.address() ?? node.fail(`undefined child address in entry ${i}`);
    children.push({ key: { size, filterMask, offsets }, address: child });
  }

  if (level === 0) {
    for (const { key, address: chunkAddress } of children) {
      const index = key.offsets.map((offset, d) => {
        if (offset % chunkShape[d]! !== 0) node.fail(`chunk offset ${offset} is not a multiple of ${chunkShape[d]}`);
        return offset / chunkShape[d]!;
      });
      out.push(chunkLocation(file, index, chunkAddress, key.size, key.filterMask));
    }
    return;
  }
  const subtrees = children.map(() => [] as ChunkLocation[]);
  await Promise.all(children.map((c, i) => visitNode(input, c.address, level - 1, subtrees[i]!)));
  for (const s of subtrees) out.push(...s);
}

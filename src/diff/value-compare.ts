// A dataset's values compared block by block: blocks of whole domain chunks, grown as hsget grows its reads (up to
// a block size) and to whole file chunks where those are larger (as the loader reads them), each read from the
// file's worker and from the domain at once, several blocks in flight, bytes held bounded by a budget shared by
// every dataset being compared. Elements the file never wrote are its fill value. Reading stops at the first
// block that differs.
import type { Box } from "../hdf5/source/box.js";
import { boxElements, boxSelect } from "../hdf5/source/box.js";
import type { ObjectKey } from "../hdf5/source/source-tree.js";
import { readBlocks } from "../loader/block-plan.js";
import type { Semaphore } from "../loader/concurrency.js";
import { type ReferenceResolver, rewriteReferences } from "../loader/reference-rewrite.js";
import type { BlockSource } from "../loader/value-copy.js";
import { blockShape } from "../export/blocks.js";
import { type HsdsType, itemSize, VARIABLE } from "../model/datatype.js";
import { unravel } from "../model/shape.js";
import type { Difference } from "./difference.js";
import { type ElementComparer, elementComparer } from "./element-compare.js";
import { elementText } from "./element-text.js";

/** How values are read from the domain (DomainHandle). */
export interface DomainValueReader {
  readValue(id: string, options?: { select?: string }): Promise<Uint8Array>;
}

/** One dataset, on both sides. */
export interface ValueTarget {
  path: string;
  key: ObjectKey;
  id: string;
  type: HsdsType;
  /** [] for a scalar. */
  shape: number[];
  /** The domain's chunk shape. */
  chunks: number[];
  /** The file's chunk shape, when chunked. */
  sourceChunks?: number[];
  /** One element of the file's fill value (absent: zeros). */
  fill?: Uint8Array;
}

export interface ValueCompareContext {
  file: BlockSource;
  domain: DomainValueReader;
  resolve: ReferenceResolver;
  /** The path of a paired domain object, by id (references in messages). */
  pathOf: (id: string) => string | undefined;
  /** Blocks in flight (each a file read and a domain read), across datasets. */
  blocksInFlight: Semaphore;
  /** Bytes of values held (file and domain side of each block in flight), across datasets. */
  memory: Semaphore;
  maxBlockBytes: number;
}

export interface ValueComparison {
  /** Blocks compared. */
  blocks: number;
  difference?: Difference;
}

/** Variable-length elements are sized like this for block sizes and the memory budget, as the loader does. */
const VARIABLE_ITEM_ESTIMATE = 128;

export async function compareValues(target: ValueTarget, ctx: ValueCompareContext): Promise<ValueComparison> {
  const size = itemSize(target.type);
  const itemBytes = size === VARIABLE ? VARIABLE_ITEM_ESTIMATE : size;
  const compare = elementComparer(target.type);
  const boxes: Iterable<Box> =
    target.shape.length === 0
      ? [{ start: [], count: [] }]
      : readBlocks(target.shape, target.chunks, blockCover(target, ctx.maxBlockBytes), itemBytes, ctx.maxBlockBytes);
  let blocks = 0;
  let first: { block: number; difference: Difference } | undefined;
  let failure: unknown;
  const running = new Set<Promise<void>>();
  let block = 0;
  for (const box of boxes) {
    const index = block++;
    const weight = 2 * boxElements(box) * itemBytes;
    await ctx.blocksInFlight.acquire();
    await ctx.memory.acquire(weight);
    const release = () => {
      ctx.memory.release(weight);
      ctx.blocksInFlight.release();
    };
    // A later block cannot change which difference is reported first.
    if (failure !== undefined || (first && index > first.block)) {
      release();
      break;
    }
    const compared: Promise<void> = compareBlock(target, box, compare, ctx)
      .then((difference) => {
        blocks++;
        if (difference && (!first || index < first.block)) first = { block: index, difference };
      })
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => {
        release();
        running.delete(compared);
      });
    running.add(compared);
  }
  await Promise.all(running);
  if (failure !== undefined) throw failure;
  return first ? { blocks, difference: first.difference } : { blocks };
}

async function compareBlock(
  target: ValueTarget,
  box: Box,
  compare: ElementComparer,
  ctx: ValueCompareContext,
): Promise<Difference | undefined> {
  const count = boxElements(box);
  const select = box.start.length === 0 ? {} : { select: boxSelect(box) };
  const [fromFile, fromDomain] = await Promise.all([
    ctx.file.readBlock(target.key, box),
    ctx.domain.readValue(target.id, select),
  ]);
  const expected = fromFile.allocated ? fromFile.bytes : fillElements(target, count);
  rewriteReferences(expected, target.type, count, ctx.resolve);
  const index = compare(expected, fromDomain, count);
  if (index < 0) return undefined;
  const within = unravel(index, box.count);
  return {
    path: target.path,
    kind: "values",
    at: within.map((i, d) => box.start[d]! + i),
    file: elementText(expected, target.type, count, index, ctx.pathOf),
    domain: elementText(fromDomain, target.type, count, index, ctx.pathOf),
  };
}

/**
 * What a block should cover: several domain chunks up to the block size, and whole file chunks. Variable-length
 * blocks are one domain chunk each: their size is unknown until read.
 */
function blockCover(target: ValueTarget, maxBlockBytes: number): number[] | undefined {
  const size = itemSize(target.type);
  if (size === VARIABLE) return undefined;
  const grown = blockShape(target.chunks, target.shape, size, maxBlockBytes);
  return grown.map((extent, d) => Math.max(extent, target.sourceChunks?.[d] ?? 1));
}

/** `count` elements as the file reads where nothing was written: its fill value, or zeros (empty, if variable). */
function fillElements(target: ValueTarget, count: number): Uint8Array {
  const size = itemSize(target.type);
  // A variable-length element with nothing in it is its zero count (§3.5).
  if (size === VARIABLE) return new Uint8Array(4 * count);
  const out = new Uint8Array(size * count);
  if (target.fill) for (let i = 0; i < count; i++) out.set(target.fill, i * size);
  return out;
}

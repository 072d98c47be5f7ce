// Streaming dataset values from the source into the created datasets: blocks read in the source's worker,
// cut into the target's chunks, each non-fill chunk written with one binary PUT. Requests in flight are
// bounded by `parallel`, bytes held in memory by a budget, whatever the size of the file.
import type { DomainHandle } from "../client/hsds-client.js";
import { isAllZero } from "../model/bytes.js";
import { itemSize, VARIABLE } from "../model/datatype.js";
import { type Box, boxElements, boxSelect, copyOverlap } from "../hdf5/source/box.js";
import type { BlockData } from "../hdf5/source/hdf5-source.js";
import type { ObjectKey } from "../hdf5/source/source-tree.js";
import { readBlocks, targetPieces } from "./block-plan.js";
import { copyChunksAsStored, type StoredChunks } from "./chunk-passthrough.js";
import { forEachLimited, Semaphore } from "./concurrency.js";
import type { PlannedDataset } from "./load-plan.js";
import { type ReferenceResolver, rewriteReferences } from "./reference-rewrite.js";

/** Where values come from: Hdf5Source, or anything that reads blocks the same way. */
export interface BlockSource {
  readBlock(key: ObjectKey, box: Box): Promise<BlockData>;
}

export interface ValueCopyOptions {
  /** Requests in flight. */
  parallel: number;
  /** Bytes of values held in memory at once (blocks being read, cut or written). */
  memoryBudget: number;
  /** The largest block read from the source at once. */
  maxBlockBytes: number;
  signal?: AbortSignal;
  /** Called with the bytes of values done (written, or found to be fill) as they are done. */
  onBytes?: (bytes: number) => void;
  /** Called after each PUT. */
  onWrite?: (bytes: number) => void;
  /** Where a dataset's values go in its target when not in the same place (aggregation, aggregate-plan.ts). */
  placement?: (dataset: PlannedDataset) => Placement | undefined;
  /** The source's stored chunks, when the target takes chunks as stored (chunk-passthrough.ts). */
  storedChunks?: StoredChunks;
}

/** A source dataset's values placed in a target: shifted, or as one row of a leading dimension. */
export interface Placement {
  /** Added to the target coordinates: the target's rank, one more than the source's when `stacked`. */
  offset: number[];
  /** The source's values fill index offset[0] of a leading dimension the target has in addition. */
  stacked: boolean;
  /** The region may hold values already: blocks of fill values are written too. */
  overwrite: boolean;
  /** The source's fill value, when the target's differs: what goes where the source never wrote. */
  sourceFill?: Uint8Array;
}

/** Datasets up to this size are copied with one read and one write. */
const ONE_WRITE_BYTES = 1024 * 1024;

interface CopyContext {
  domain: DomainHandle;
  source: BlockSource;
  ids: ReadonlyMap<ObjectKey, string>;
  resolve: ReferenceResolver;
  options: ValueCopyOptions;
  writes: Semaphore;
  budget: Semaphore;
}

export async function copyValues(
  datasets: readonly PlannedDataset[],
  domain: DomainHandle,
  source: BlockSource,
  ids: ReadonlyMap<ObjectKey, string>,
  resolve: ReferenceResolver,
  options: ValueCopyOptions,
): Promise<void> {
  const ctx: CopyContext = {
    domain,
    source,
    ids,
    resolve,
    options,
    writes: new Semaphore(options.parallel),
    budget: new Semaphore(options.memoryBudget),
  };
  const withValues = datasets.filter((d) => d.values !== "none");
  await forEachLimited(withValues, options.parallel, (dataset) => copyDataset(ctx, dataset));
}

async function copyDataset(ctx: CopyContext, dataset: PlannedDataset): Promise<void> {
  const id = ctx.ids.get(dataset.key)!;
  const size = itemSize(dataset.type.type);
  const shape = dataset.values === "scalar" ? [] : (dataset.shape as number[]);
  const placement = ctx.options.placement?.(dataset);
  // Chunks that may go as stored need the target's layout, however small the dataset.
  const mayPassThrough = !placement && ctx.options.storedChunks?.has(dataset.key) === true;
  if (dataset.values === "scalar" || (dataset.bytes <= ONE_WRITE_BYTES && !mayPassThrough)) {
    // One request, whatever the chunk layout: no need to ask the server for it.
    const whole: Box = { start: shape.map(() => 0), count: shape };
    const bytes = valuesOf(await ctx.source.readBlock(dataset.key, whole), whole, dataset, placement);
    if (bytes) await writePiece(ctx, id, dataset, { box: whole, bytes }, placement);
    ctx.options.onBytes?.(dataset.bytes);
    return;
  }
  const info = await ctx.domain.getDataset(id);
  const layoutDims = info.layout?.dims ?? (dataset.creationProperties?.layout?.dims as number[] | undefined);
  // A stacked target's chunks have the extra leading dimension; the source's blocks are cut by the rest.
  const targetChunk = (placement?.stacked ? layoutDims?.slice(1) : layoutDims) ?? shape;
  const stored = mayPassThrough && layoutDims ? ctx.options.storedChunks!.usable(dataset, layoutDims) : undefined;
  if (stored) {
    const { parallel, signal, onBytes, onWrite } = ctx.options;
    return copyChunksAsStored(ctx.domain, id, dataset, stored, ctx.options.storedChunks!.file, { parallel, writes: ctx.writes, signal, onBytes, onWrite });
  }
  const bytesPerItem = size === VARIABLE ? dataset.bytes / boxElements({ start: [], count: shape }) : size;
  // Variable-length blocks cannot be cut without decoding every element: read them one target chunk at a time.
  const sourceChunks = size === VARIABLE ? undefined : dataset.sourceChunks;
  const pending: Promise<void>[] = [];
  let failure: unknown;
  for (const block of readBlocks(shape, targetChunk, sourceChunks, bytesPerItem, ctx.options.maxBlockBytes)) {
    if (failure !== undefined) break;
    ctx.options.signal?.throwIfAborted();
    const weight = boxElements(block) * bytesPerItem;
    await ctx.budget.acquire(weight);
    let data: BlockData;
    try {
      data = await ctx.source.readBlock(dataset.key, block);
    } catch (err) {
      ctx.budget.release(weight);
      throw err;
    }
    const bytes = valuesOf(data, block, dataset, placement);
    if (!bytes) {
      ctx.budget.release(weight);
      ctx.options.onBytes?.(weight);
      continue;
    }
    const pieces = size === VARIABLE ? [{ box: block, bytes }] : cut(bytes, block, shape, targetChunk, size);
    const written = Promise.all(pieces.map((piece) => writePiece(ctx, id, dataset, piece, placement)))
      .then(() => undefined)
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => {
        ctx.budget.release(weight);
        ctx.options.onBytes?.(weight);
      });
    pending.push(written);
  }
  await Promise.all(pending);
  if (failure !== undefined) throw failure;
}

async function writePiece(ctx: CopyContext, id: string, dataset: PlannedDataset, piece: { box: Box; bytes: Uint8Array }, placement?: Placement): Promise<void> {
  const type = dataset.type.type;
  const count = boxElements(piece.box);
  if (!placement?.overwrite && isFill(piece.bytes, dataset.fill, itemSize(type), count)) return;
  ctx.options.signal?.throwIfAborted();
  const bytes = rewriteReferences(piece.bytes, type, count, ctx.resolve);
  const box = placement ? placed(piece.box, placement) : piece.box;
  // A scalar takes no selection.
  const select = box.start.length === 0 ? undefined : boxSelect(box);
  await ctx.writes.run(() => ctx.domain.writeValue(id, bytes, { select }));
  ctx.options.onWrite?.(bytes.length);
}

/**
 * The bytes to write for a block: what the source holds; where it never wrote, nothing, unless its fill value
 * would not read back as such (the target's fill differs, or the region may hold values already).
 */
function valuesOf(data: BlockData, box: Box, dataset: PlannedDataset, placement: Placement | undefined): Uint8Array | undefined {
  if (data.allocated) return data.bytes;
  if (!placement?.overwrite && !placement?.sourceFill) return undefined;
  return fillBlock(placement.sourceFill ?? dataset.fill, itemSize(dataset.type.type), boxElements(box));
}

/** `count` elements of the fill value (zeros without one; empty elements for variable-length types). */
export function fillBlock(fill: Uint8Array | undefined, size: number | typeof VARIABLE, count: number): Uint8Array {
  if (size === VARIABLE) return new Uint8Array(4 * count);
  const out = new Uint8Array(size * count);
  if (fill) for (let at = 0; at < out.length; at += size) out.set(fill, at);
  return out;
}

function placed(box: Box, placement: Placement): Box {
  const start = placement.stacked ? [0, ...box.start] : box.start;
  const count = placement.stacked ? [1, ...box.count] : box.count;
  return { start: start.map((s, d) => s + placement.offset[d]!), count };
}

/** The target chunks of a block, each with its own copy of its bytes. */
function cut(bytes: Uint8Array, block: Box, shape: readonly number[], targetChunk: readonly number[], size: number): { box: Box; bytes: Uint8Array }[] {
  const pieces = targetPieces(block, shape, targetChunk);
  if (pieces.length === 1) return [{ box: block, bytes }];
  return pieces.map((box) => {
    const out = new Uint8Array(boxElements(box) * size);
    copyOverlap(bytes, block, out, box, size);
    return { box, bytes: out };
  });
}

/**
 * Whether the bytes hold nothing but the target's fill value (zeros when it has none): such chunks are not
 * written, as HSDS itself does not. Variable-length elements count as fill when all are empty.
 */
function isFill(bytes: Uint8Array, fill: Uint8Array | undefined, size: number | typeof VARIABLE, count: number): boolean {
  if (size === VARIABLE) return bytes.length === 4 * count && isAllZero(bytes);
  if (!fill) return isAllZero(bytes);
  for (let at = 0; at < bytes.length; at += size) {
    for (let b = 0; b < size; b++) if (bytes[at + b] !== fill[b]) return false;
  }
  return true;
}

// Reading and writing the chunk objects of one dataset: HSDS's chunk keys, its filter pipeline,
// fill values for chunks that do not exist, and no objects for chunks that hold only fill.
import { hsdsChunkPipeline, type HsdsChunkPipeline } from "../codecs/hsds-chunk.js";
import { isAllZero } from "../model/bytes.js";
import { emptyElement, joinElements, splitElements } from "../model/values.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { ChunkSource } from "./chunk-source.js";
import type { DatasetView } from "./dataset-view.js";
import { HttpError } from "./http-error.js";
import { chunkKey } from "./ids.js";
import { exclusive, type KeyedLock } from "./keyed-lock.js";

/** A decoded chunk: packed bytes for fixed-size types, one buffer per element otherwise. */
export type ChunkData = Uint8Array | Uint8Array[];

export class DatasetChunks implements ChunkSource {
  private readonly pipeline: HsdsChunkPipeline;
  /** What an element of a variable-length type holds before anything is written. */
  private readonly emptyElement: Uint8Array;

  constructor(
    readonly view: DatasetView,
    private readonly store: ObjectStore,
    private readonly locks: KeyedLock,
  ) {
    this.pipeline = hsdsChunkPipeline(view.filters, {
      itemSize: view.itemSize ?? 1,
      chunkBytes: view.chunkElements * (view.itemSize ?? 0),
      variableLength: view.itemSize === undefined,
    });
    this.emptyElement = view.fill ?? emptyElement(view.type);
  }

  key(index: readonly number[]): string {
    return chunkKey(this.view.id, index, this.view.partitionCount);
  }

  /** The stored chunk decoded, or undefined when there is no object for it. */
  async read(index: readonly number[]): Promise<ChunkData | undefined> {
    const key = this.key(index);
    const stored = await this.store.get(key);
    if (!stored) return undefined;
    let raw: Uint8Array;
    try {
      raw = await this.pipeline.decode(stored);
    } catch (err) {
      throw new HttpError(500, `chunk ${key} of dataset ${this.view.id} cannot be decoded: ${(err as Error).message}`);
    }
    return this.elements(key, raw);
  }

  /**
   * Store bytes that are already encoded as this dataset's chunks are: checked by decoding them,
   * then kept as they came (or no object at all when they hold only fill).
   */
  async putEncoded(index: readonly number[], stored: Uint8Array): Promise<void> {
    const key = this.key(index);
    let raw: Uint8Array;
    try {
      raw = await this.pipeline.decode(stored);
    } catch (err) {
      throw new HttpError(400, `chunk ${index.join("_")} does not decode with the filters of dataset ${this.view.id}: ${(err as Error).message}`);
    }
    if (this.isAllFill(this.elements(key, raw))) await this.store.delete(key);
    else await this.store.put(key, stored);
  }

  private elements(key: string, raw: Uint8Array): ChunkData {
    if (this.view.itemSize !== undefined) return raw;
    try {
      return splitElements(raw, this.view.type, this.view.chunkElements);
    } catch (err) {
      throw new HttpError(500, `chunk ${key} of dataset ${this.view.id} is malformed: ${(err as Error).message}`);
    }
  }

  /** A chunk holding only the fill value. */
  filled(): ChunkData {
    const { itemSize, fill, chunkElements } = this.view;
    if (itemSize === undefined) return new Array<Uint8Array>(chunkElements).fill(this.emptyElement);
    const bytes = new Uint8Array(chunkElements * itemSize);
    if (fill && fill.some((b) => b !== 0)) {
      bytes.set(fill, 0);
      // Doubling copies fill the chunk in log2(n) steps.
      for (let done = itemSize; done < bytes.length; done *= 2) bytes.copyWithin(done, 0, Math.min(done, bytes.length - done));
    }
    return bytes;
  }

  async readOrFill(index: readonly number[]): Promise<ChunkData> {
    return (await this.read(index)) ?? this.filled();
  }

  async close(): Promise<void> {}

  /** Store the chunk, or remove its object when it holds only fill (HSDS does not keep such chunks). */
  async write(index: readonly number[], data: ChunkData): Promise<void> {
    const key = this.key(index);
    if (this.isAllFill(data)) {
      await this.store.delete(key);
      return;
    }
    const raw = Array.isArray(data) ? joinElements(data) : data;
    await this.store.put(key, await this.pipeline.encode(raw));
  }

  /** Read-modify-write of one chunk, serialised with other writers of the same chunk. */
  update(index: readonly number[], change: (data: ChunkData) => void): Promise<void> {
    return exclusive(this.locks, this.store, this.key(index), async () => {
      const data = await this.readOrFill(index);
      change(data);
      await this.write(index, data);
    });
  }

  private isAllFill(data: ChunkData): boolean {
    const fill = this.view.fill;
    if (Array.isArray(data)) return data.every((element) => sameBytes(element, this.emptyElement));
    if (!fill || fill.every((b) => b === 0)) return isAllZero(data);
    const n = fill.length;
    for (let i = 0; i < data.length; i++) if (data[i] !== fill[i % n]) return false;
    return true;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

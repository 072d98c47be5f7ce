// HDF5 byte shuffle (filter 2), written by hand: no npm package implements it outside a Blosc frame.
// For n = floor(len / size) whole elements, output byte b*n + k is input byte k*size + b; the
// len % size trailing bytes are copied unchanged (HDF5's rule; whole chunks never have any).
import { CodecError, type ChunkContext, type Codec } from "./codec.js";

export class ShuffleCodec implements Codec {
  readonly id = "shuffle";

  /** `elementSize` comes from HDF5's cd_values[0]; without it the chunk's item size is used. */
  constructor(readonly elementSize?: number) {}

  async encode(bytes: Uint8Array, ctx: ChunkContext): Promise<Uint8Array> {
    return shuffleBytes(bytes, this.elementSizeFor(ctx));
  }

  async decode(bytes: Uint8Array, ctx: ChunkContext): Promise<Uint8Array> {
    return unshuffleBytes(bytes, this.elementSizeFor(ctx));
  }

  private elementSizeFor(ctx: ChunkContext): number {
    const size = this.elementSize ?? ctx.itemSize;
    if (!Number.isInteger(size) || size < 1) throw new CodecError(`shuffle element size ${size} is not a positive integer`);
    return size;
  }
}

export function shuffleBytes(bytes: Uint8Array, elementSize: number): Uint8Array {
  return transposeBytes(bytes, elementSize, true);
}

export function unshuffleBytes(bytes: Uint8Array, elementSize: number): Uint8Array {
  return transposeBytes(bytes, elementSize, false);
}

function transposeBytes(bytes: Uint8Array, elementSize: number, forward: boolean): Uint8Array {
  const count = Math.floor(bytes.length / elementSize);
  if (elementSize <= 1 || count <= 1) return bytes.slice();
  const out = new Uint8Array(bytes.length);
  for (let b = 0; b < elementSize; b++) {
    const plane = b * count;
    if (forward) {
      for (let k = 0, src = b; k < count; k++, src += elementSize) out[plane + k] = bytes[src]!;
    } else {
      for (let k = 0, dst = b; k < count; k++, dst += elementSize) out[dst] = bytes[plane + k]!;
    }
  }
  const whole = count * elementSize;
  out.set(bytes.subarray(whole), whole);
  return out;
}

import { describe, expect, it } from "vitest";
import { ShuffleCodec, shuffleBytes, unshuffleBytes } from "../../src/codecs/shuffle.js";
import { sampleChunks } from "./helpers.js";

describe("HDF5 byte shuffle", () => {
  it("groups byte b of every element together (output b*n + k = input k*size + b)", () => {
    const input = Uint8Array.from([0x10, 0x11, 0x12, 0x20, 0x21, 0x22, 0x30, 0x31, 0x32]);
    expect(Array.from(shuffleBytes(input, 3))).toEqual([0x10, 0x20, 0x30, 0x11, 0x21, 0x31, 0x12, 0x22, 0x32]);
  });

  it("copies the bytes after the last whole element unchanged", () => {
    const input = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(Array.from(shuffleBytes(input, 4))).toEqual([1, 5, 2, 6, 3, 7, 4, 8, 9, 10, 11]);
    expect(Array.from(unshuffleBytes(shuffleBytes(input, 4), 4))).toEqual(Array.from(input));
  });

  it("leaves one-byte elements and single elements as they are", () => {
    const input = Uint8Array.from([9, 8, 7]);
    expect(Array.from(shuffleBytes(input, 1))).toEqual([9, 8, 7]);
    expect(Array.from(shuffleBytes(input, 4))).toEqual([9, 8, 7]);
  });

  it.each(sampleChunks())("round-trips %s", async (_name, itemSize, bytes) => {
    const codec = new ShuffleCodec();
    const ctx = { itemSize, chunkBytes: bytes.length };
    const encoded = await codec.encode(bytes, ctx);
    expect(encoded).not.toBe(bytes);
    expect(await codec.decode(encoded, ctx)).toEqual(bytes);
  });

  it("uses the element size it was built with over the chunk's item size", async () => {
    const input = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const encoded = await new ShuffleCodec(2).encode(input, { itemSize: 4, chunkBytes: 8 });
    expect(Array.from(encoded)).toEqual([1, 3, 5, 7, 2, 4, 6, 8]);
  });
});

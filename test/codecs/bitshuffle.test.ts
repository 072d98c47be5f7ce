import { describe, expect, it } from "vitest";
import { BitshuffleCodec, defaultBitshuffleBlockSize } from "../../src/codecs/bitshuffle.js";
import { randomBytes, sampleChunks, structuredBytes } from "./helpers.js";

const none = (blockSize?: number) => new BitshuffleCodec({ compression: "none", blockSize });
const lz4 = (blockSize?: number) => new BitshuffleCodec({ compression: "lz4", blockSize });

describe("bitshuffle transpose", () => {
  it("puts bit k of element i at bit i % 8 of row k (worked by hand)", async () => {
    const ctx = { itemSize: 1, chunkBytes: 8 };
    expect(Array.from(await none().encode(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0]), ctx))).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(await none().encode(Uint8Array.from([0xff, 0, 0, 0, 0, 0, 0, 0]), ctx))).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(await none().encode(Uint8Array.from([0x80, 0x80, 0, 0, 0, 0, 0, 0x01]), ctx))).toEqual([0x80, 0, 0, 0, 0, 0, 0, 0x03]);
  });

  it("orders rows by byte, then bit, of the element", async () => {
    // 16 two-byte elements: element 3 has bit 0 of byte 1 set -> row 8, byte 0 (of 2 per row), bit 3.
    const input = new Uint8Array(32);
    input[3 * 2 + 1] = 0x01;
    const out = await none().encode(input, { itemSize: 2, chunkBytes: 32 });
    const expected = new Uint8Array(32);
    expected[8 * 2] = 0x08;
    expect(out).toEqual(expected);
  });

  it("copies the elements that do not fill a group of 8 untransposed, at the end", async () => {
    const input = Uint8Array.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0xa1, 0xb2, 0xc3]);
    const out = await none().encode(input, { itemSize: 1, chunkBytes: 11 });
    expect(Array.from(out)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0xa1, 0xb2, 0xc3]);
  });

  it("uses 8 KiB worth of elements per block by default, a multiple of 8, at least 128", () => {
    expect([1, 2, 3, 4, 8, 12, 64, 100].map(defaultBitshuffleBlockSize)).toEqual([8192, 4096, 2728, 2048, 1024, 680, 128, 128]);
  });
});

describe("bitshuffle codec", () => {
  for (const [label, make] of [["none", none], ["lz4", lz4]] as const) {
    it.each(sampleChunks())(`round-trips %s (${label})`, async (_name, itemSize, bytes) => {
      const ctx = { itemSize, chunkBytes: bytes.length };
      for (const blockSize of [undefined, 16, 64]) {
        const codec = make(blockSize);
        expect(await codec.decode(await codec.encode(bytes, ctx), ctx)).toEqual(bytes);
      }
    });
  }

  it("writes the 12-byte stream header: total bytes and block size in bytes, big-endian", async () => {
    const bytes = structuredBytes(5000, 4);
    const encoded = await lz4(2048).encode(bytes, { itemSize: 4, chunkBytes: bytes.length });
    const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.length);
    expect(view.getBigUint64(0)).toBe(20000n);
    expect(view.getUint32(8)).toBe(8192);
    expect(encoded.length).toBeLessThan(bytes.length / 2);
  });

  it("decodes with the block size in the stream header, whatever it was configured with", async () => {
    const bytes = structuredBytes(3001, 8);
    const ctx = { itemSize: 8, chunkBytes: bytes.length };
    expect(await lz4(128).decode(await lz4(48).encode(bytes, ctx), ctx)).toEqual(bytes);
  });

  it("rejects data that is not whole elements, bad block sizes and truncated streams", async () => {
    const ctx = { itemSize: 4, chunkBytes: 10 };
    await expect(none().encode(new Uint8Array(10), ctx)).rejects.toThrow(/10 bytes is not a whole number of 4-byte elements/);
    await expect(none(12).encode(new Uint8Array(16), ctx)).rejects.toThrow(/block size 12 is not a multiple of 8/);
    const encoded = await lz4().encode(randomBytes(4000, 1), { itemSize: 4, chunkBytes: 4000 });
    await expect(lz4().decode(encoded.subarray(0, encoded.length - 2), ctx)).rejects.toThrow(/bitshuffle stream/);
  });
});

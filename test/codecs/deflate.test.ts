import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DeflateCodec, inflateZlib } from "../../src/codecs/deflate.js";
import { sampleChunks, structuredBytes } from "./helpers.js";

describe("deflate (HDF5 filter 1, zlib stream)", () => {
  it.each(sampleChunks())("round-trips %s", async (_name, _itemSize, bytes) => {
    const codec = new DeflateCodec(6);
    expect(await codec.decode(await codec.encode(bytes))).toEqual(bytes);
  });

  it("writes a zlib stream with its header, as HDF5 does", async () => {
    const bytes = structuredBytes(5000, 4);
    const encoded = await new DeflateCodec(9).encode(bytes);
    expect(encoded[0]).toBe(0x78);
    expect((encoded[0]! * 256 + encoded[1]!) % 31).toBe(0);
    expect(new Uint8Array(inflateSync(encoded))).toEqual(bytes);
    expect(encoded.length).toBeLessThan(bytes.length / 2);
  });

  it("rejects corrupt streams and impossible levels", async () => {
    const encoded = await new DeflateCodec(1).encode(structuredBytes(100, 8));
    await expect(inflateZlib(encoded.subarray(0, 20))).rejects.toThrow(/zlib stream of 20 bytes is corrupt/);
    await expect(inflateZlib(Uint8Array.from([2, 1, 0x61, 1]))).rejects.toThrow(/corrupt/);
    expect(() => new DeflateCodec(10)).toThrow(/deflate level 10/);
  });
});

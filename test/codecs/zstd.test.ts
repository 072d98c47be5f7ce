import { decompress } from "fzstd";
import { describe, expect, it } from "vitest";
import { ZstdCodec } from "../../src/codecs/zstd.js";
import { sampleChunks, structuredBytes } from "./helpers.js";

describe("zstd (HDF5 filter 32015, one zstd frame)", () => {
  it.each(sampleChunks())("round-trips %s", async (_name, _itemSize, bytes) => {
    const codec = new ZstdCodec();
    expect(await codec.decode(await codec.encode(bytes))).toEqual(bytes);
  });

  it("writes a plain zstd frame that an independent decoder reads", async () => {
    const bytes = structuredBytes(3000, 8);
    const encoded = await new ZstdCodec(9).encode(bytes);
    expect(Array.from(encoded.subarray(0, 4))).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
    expect(decompress(encoded)).toEqual(bytes);
  });

  it("clamps levels as the HDF5 plugin does", () => {
    expect(new ZstdCodec(0).level).toBe(1);
    expect(new ZstdCodec(40).level).toBe(22);
  });

  it("rejects a corrupt frame with a one-line error", async () => {
    const encoded = await new ZstdCodec().encode(structuredBytes(3000, 4));
    await expect(new ZstdCodec().decode(encoded.subarray(0, encoded.length - 5))).rejects.toThrow(/^zstd frame of \d+ bytes is corrupt: [^\n]+$/);
    await expect(new ZstdCodec().decode(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]))).rejects.toThrow(/zstd frame of 8 bytes is corrupt/);
  });
});

import { describe, expect, it } from "vitest";
import { Lz4Codec } from "../../src/codecs/lz4.js";
import { randomBytes, sampleChunks, structuredBytes } from "./helpers.js";

function header(encoded: Uint8Array): { total: bigint; block: number; firstStored: number } {
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.length);
  return { total: view.getBigUint64(0), block: view.getUint32(8), firstStored: view.getUint32(12) };
}

describe("LZ4 (HDF5 filter 32004 framing)", () => {
  it.each(sampleChunks())("round-trips %s", async (_name, _itemSize, bytes) => {
    const codec = new Lz4Codec();
    expect(await codec.decode(await codec.encode(bytes))).toEqual(bytes);
  });

  it("writes one block by default: big-endian total and block size, then the block's stored size", async () => {
    const bytes = structuredBytes(4000, 4);
    const encoded = await new Lz4Codec().encode(bytes);
    const h = header(encoded);
    expect(h.total).toBe(16000n);
    expect(h.block).toBe(16000);
    expect(h.firstStored).toBe(encoded.length - 16);
    expect(h.firstStored).toBeLessThan(16000);
  });

  it("stores a block that LZ4 cannot shrink as it is", async () => {
    const bytes = randomBytes(3000, 5);
    const encoded = await new Lz4Codec().encode(bytes);
    expect(header(encoded).firstStored).toBe(3000);
    expect(encoded.subarray(16)).toEqual(bytes);
  });

  it.each([1000, 4096, 10007])("splits into %i-byte blocks, the last one shorter", async (blockBytes) => {
    const bytes = new Uint8Array([...structuredBytes(3001, 4), ...randomBytes(5003, 2)]);
    const encoded = await new Lz4Codec(blockBytes).encode(bytes);
    expect(header(encoded).block).toBe(Math.min(blockBytes, bytes.length));
    expect(await new Lz4Codec().decode(encoded)).toEqual(bytes);
  });

  it("rejects truncated or corrupt chunks", async () => {
    const encoded = await new Lz4Codec(2048).encode(structuredBytes(3000, 4));
    await expect(new Lz4Codec().decode(encoded.subarray(0, encoded.length - 1))).rejects.toThrow(/lz4 chunk is truncated/);
    await expect(new Lz4Codec().decode(encoded.subarray(0, 8))).rejects.toThrow(/shorter than its header/);
    const corrupt = encoded.slice();
    corrupt.fill(0xff, 20, 40);
    await expect(new Lz4Codec().decode(corrupt)).rejects.toThrow(/lz4 chunk/);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BLOSC_COMPRESSORS, BloscCodec, decodeBloscFrame, isBloscFrame, type BloscShuffle } from "../../src/codecs/blosc.js";
import { GOLDEN_DB, randomBytes, structuredBytes } from "./helpers.js";

/** Codec format c-blosc records in flag bits 5-7 for each compressor. */
const CODEC_FORMAT = { blosclz: 0, lz4: 1, lz4hc: 1, snappy: 2, zlib: 3, zstd: 4 } as const;
const SHUFFLE_FLAG = { 0: 0, 1: 0x01, 2: 0x04 } as const;

describe("Blosc-1 frames (numcodecs wasm c-blosc)", () => {
  const bytes = structuredBytes(20000, 4);
  const combinations = BLOSC_COMPRESSORS.flatMap((cname) => ([0, 1, 2] as BloscShuffle[]).map((shuffle) => [cname, shuffle] as const));

  it.each(combinations)("writes a standard frame with %s, shuffle %i, and reads it back", async (cname, shuffle) => {
    const encoded = await new BloscCodec({ cname, clevel: 5, shuffle }).encode(bytes);
    const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.length);
    expect(encoded[0]).toBe(2); // c-blosc 1.x format version
    expect(encoded[2]! >> 5).toBe(CODEC_FORMAT[cname]);
    expect(encoded[2]! & 0x05).toBe(SHUFFLE_FLAG[shuffle]);
    expect(view.getUint32(4, true)).toBe(bytes.length);
    expect(view.getUint32(12, true)).toBe(encoded.length);
    expect(encoded.length).toBeLessThan(bytes.length);
    expect(isBloscFrame(encoded)).toBe(true);
    expect(await decodeBloscFrame(encoded)).toEqual(bytes);
  });

  it.each([1, 15, 16, 1000, 100003])("round-trips %i random bytes (memcpyed when incompressible)", async (length) => {
    const data = randomBytes(length, length);
    const codec = new BloscCodec({ cname: "lz4", clevel: 9, shuffle: 1 });
    expect(await codec.decode(await codec.encode(data))).toEqual(data);
  });

  it("decodes the frames HSDS wrote (zlib inside, byte shuffle flag, typesize 1)", async () => {
    // h5ex_d_shuffle.h5 chunk 0_0 (32x64 int32); its values are checked in hsds-chunk.test.ts.
    const frame = new Uint8Array(readFileSync(join(GOLDEN_DB, "6a9be555-2a5dc0ba", "d", "0d80-a57a68-22c5e7", "0_0")));
    expect(Array.from(frame.subarray(0, 4))).toEqual([2, 1, 0x61, 1]);
    expect((await decodeBloscFrame(frame)).length).toBe(32 * 64 * 4);
  });

  it("tells Blosc frames from zlib streams as HSDS does", async () => {
    expect(isBloscFrame(new Uint8Array(deflateSync(structuredBytes(100, 4))))).toBe(false);
    expect(isBloscFrame(Uint8Array.from([2, 1, 0x21, 0, ...new Array(12).fill(0)]))).toBe(false);
    expect(isBloscFrame(Uint8Array.from([2, 1, 0x21, 4]))).toBe(false);
  });

  it("refuses frames whose header does not describe the bytes given", async () => {
    const encoded = await new BloscCodec({ cname: "zstd", clevel: 5, shuffle: 1 }).encode(bytes);
    await expect(decodeBloscFrame(encoded.subarray(0, encoded.length - 1))).rejects.toThrow(/blosc frame is invalid: header says \d+ bytes, got \d+/);
    await expect(decodeBloscFrame(encoded.subarray(0, 10))).rejects.toThrow(/shorter than its header/);
    const foreign = encoded.slice();
    foreign[0] = 7;
    await expect(decodeBloscFrame(foreign)).rejects.toThrow(/unknown format version 7/);
  });

  it("refuses unknown compressors and levels", () => {
    expect(() => new BloscCodec({ cname: "lzf" as never, clevel: 5, shuffle: 0 })).toThrow(/blosc compressor "lzf"/);
    expect(() => new BloscCodec({ cname: "lz4", clevel: 10, shuffle: 0 })).toThrow(/blosc level 10/);
  });
});

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, describe, expect, it } from "vitest";
import { Fletcher32Codec, fletcher32 } from "../../src/codecs/fletcher32.js";
import { randomBytes, structuredBytes } from "./helpers.js";

const workDir = mkdtempSync(join(tmpdir(), "codecs-fletcher32-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("HDF5 fletcher32", () => {
  it("sums big-endian 16-bit words (worked by hand)", () => {
    // words 0x0102, 0x0304: sum1 = 0x0406, sum2 = 0x0102 + 0x0406 = 0x0508
    expect(fletcher32(Uint8Array.from([1, 2, 3, 4]))).toBe(0x05080406);
    // an odd trailing byte is the high byte of a last word: 0x0102, 0x0300
    expect(fletcher32(Uint8Array.from([1, 2, 3]))).toBe(0x05040402);
  });

  it("matches the checksum HDF5 appends to a chunk (little-endian, after the data)", async () => {
    await h5wasm.ready;
    const raw = structuredBytes(1000, 4); // 2000 words: several 360-word folds
    const file = join(workDir, "fletcher32.h5");
    const out = new h5wasm.File(file, "w");
    out.create_dataset({ name: "d", data: new Float32Array(raw.buffer), shape: [1000], dtype: "<f4", chunks: [1000], compression: 3, compression_opts: [] });
    out.close();
    const bytes = readFileSync(file);
    const at = bytes.indexOf(raw);
    expect(at).toBeGreaterThan(0);
    const stored = bytes.subarray(at, at + raw.length + 4);
    expect(stored.readUInt32LE(raw.length)).toBe(fletcher32(raw));
    expect(await new Fletcher32Codec().encode(raw)).toEqual(new Uint8Array(stored));
    expect(await new Fletcher32Codec().decode(new Uint8Array(stored))).toEqual(raw);
  });

  it.each([0, 1, 2, 719, 720, 721, 5000])("round-trips %i random bytes", async (length) => {
    const codec = new Fletcher32Codec();
    const data = randomBytes(length, length + 3);
    const encoded = await codec.encode(data);
    expect(encoded.length).toBe(length + 4);
    expect(await codec.decode(encoded)).toEqual(data);
  });

  it("accepts the byte-swapped checksum of files from HDF5 before 1.6.3", async () => {
    const data = randomBytes(100, 7);
    const encoded = await new Fletcher32Codec().encode(data);
    const tail = encoded.subarray(100);
    [tail[0], tail[1], tail[2], tail[3]] = [tail[1]!, tail[0]!, tail[3]!, tail[2]!];
    expect(await new Fletcher32Codec().decode(encoded)).toEqual(data);
  });

  it("rejects a chunk whose data changed", async () => {
    const encoded = await new Fletcher32Codec().encode(randomBytes(64, 1));
    encoded[10] ^= 0x40;
    await expect(new Fletcher32Codec().decode(encoded)).rejects.toThrow(/fletcher32 checksum mismatch/);
    await expect(new Fletcher32Codec().decode(Uint8Array.from([1, 2]))).rejects.toThrow(/fletcher32 checksum mismatch/);
  });
});

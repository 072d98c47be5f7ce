// HDF5's Fletcher-32 checksum filter (id 3), written by hand: npm checksum packages implement other
// Fletcher variants. HDF5 sums the data as big-endian 16-bit words (a trailing odd byte is the high
// byte of a last word), folds the 32-bit sums every 360 words, and appends the result as a
// little-endian uint32. Files from HDF5 before 1.6.3 on little-endian machines hold the checksum with
// the bytes of each 16-bit half swapped; HDF5 accepts both forms on read, and so do we.
import { CodecError, type Codec } from "./codec.js";

const CHECKSUM_BYTES = 4;
/** Words summed before folding: the most that cannot overflow 32 bits. */
const WORDS_PER_FOLD = 360;

export class Fletcher32Codec implements Codec {
  readonly id = "fletcher32";

  async encode(bytes: Uint8Array): Promise<Uint8Array> {
    const out = new Uint8Array(bytes.length + CHECKSUM_BYTES);
    out.set(bytes);
    new DataView(out.buffer).setUint32(bytes.length, fletcher32(bytes), true);
    return out;
  }

  async decode(bytes: Uint8Array): Promise<Uint8Array> {
    if (bytes.length < CHECKSUM_BYTES) {
      throw new CodecError(`fletcher32 checksum mismatch: chunk of ${bytes.length} bytes has no room for a checksum`);
    }
    const dataLength = bytes.length - CHECKSUM_BYTES;
    const data = bytes.subarray(0, dataLength);
    const stored = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(dataLength, true);
    const computed = fletcher32(data);
    if (stored !== computed && stored !== swapHalfBytes(computed)) {
      throw new CodecError(
        `fletcher32 checksum mismatch: stored 0x${hex(stored)}, computed 0x${hex(computed)}`,
      );
    }
    return data.slice();
  }
}

export function fletcher32(data: Uint8Array): number {
  let sum1 = 0;
  let sum2 = 0;
  const wholeWords = data.length >> 1;
  let i = 0;
  for (let done = 0; done < wholeWords; ) {
    const end = Math.min(wholeWords, done + WORDS_PER_FOLD);
    for (; done < end; done++, i += 2) {
      sum1 += (data[i]! << 8) | data[i + 1]!;
      sum2 += sum1;
    }
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  if (data.length % 2 === 1) {
    sum1 += data[i]! << 8;
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  return ((sum2 << 16) | sum1) >>> 0;
}

/** The pre-1.6.3 form: the two bytes of each 16-bit half exchanged. */
function swapHalfBytes(value: number): number {
  return (((value & 0x00ff00ff) << 8) | ((value >>> 8) & 0x00ff00ff)) >>> 0;
}

function hex(value: number): string {
  return value.toString(16).padStart(8, "0");
}

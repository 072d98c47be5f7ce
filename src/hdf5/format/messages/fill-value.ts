import type { ByteCursor } from "../byte-cursor.js";

/**
 * Fill value message (0x0005), versions 1 to 3: the fill bytes when the file defines them, else undefined.
 * A "defined" value of size 0 is the library default (zeros), which the file does not spell out.
 */
export function decodeFillValue(body: ByteCursor): Uint8Array | undefined {
  const version = body.u8();
  let defined: boolean;
  if (version === 1 || version === 2) {
    body.skip(2); // space allocation time, fill value write time
    defined = body.u8() !== 0;
  } else if (version === 3) {
    defined = (body.u8() & 0x20) !== 0;
  } else {
    body.fail(`unsupported fill value message version ${version}`);
  }
  return defined ? sizedValue(body) : undefined;
}

/** Old fill value message (0x0004): a size and the bytes. */
export function decodeOldFillValue(body: ByteCursor): Uint8Array | undefined {
  return sizedValue(body);
}

function sizedValue(body: ByteCursor): Uint8Array | undefined {
  const size = body.u32();
  return size > 0 ? body.take(size).slice() : undefined;
}

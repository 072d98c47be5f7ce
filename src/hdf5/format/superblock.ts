import type { BlockCache } from "./block-cache.js";
import { ByteCursor } from "./byte-cursor.js";
import { Hdf5FormatError, hex } from "./errors.js";

export interface Superblock {
  readonly version: number;
  readonly offsetSize: number;
  readonly lengthSize: number;
  /** Absolute file offset that every stored address is relative to: where the signature was found. */
  readonly baseAddress: number;
  /** Relative address of the end of the file as the library last wrote it. */
  readonly endOfFileAddress: number | undefined;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** Enough for every superblock version up to and including the field we stop at (end-of-file address). */
const SUPERBLOCK_PREFIX = 8 + 16 + 4 * 8 + 8;

/** The signature sits at 0 or, after a user block, at 512, 1024, 2048, ... */
export async function readSuperblock(file: BlockCache): Promise<Superblock> {
  for (let at = 0; at + SIGNATURE.length <= file.fileSize; at = at === 0 ? 512 : at * 2) {
    const head = await file.read(at, SIGNATURE.length, "superblock signature");
    if (SIGNATURE.every((byte, i) => head[i] === byte)) return parseSuperblock(file, at);
  }
  throw new Hdf5FormatError(file.name, "not an HDF5 file (no superblock signature at 0, 512, 1024, ...)");
}

async function parseSuperblock(file: BlockCache, at: number): Promise<Superblock> {
  const length = Math.min(SUPERBLOCK_PREFIX, file.fileSize - at);
  const bytes = await file.read(at, length, "superblock");
  // The probe reads single bytes only, so its provisional field widths do not matter.
  const probe = new ByteCursor(bytes, at, "superblock", file.name, { offsetSize: 8, lengthSize: 8 });
  probe.skip(SIGNATURE.length);
  const version = probe.u8();
  let offsetSize: number;
  let lengthSize: number;
  let addressesAt: number;
  if (version === 0 || version === 1) {
    // free-space version, root group version, reserved, shared header version
    probe.skip(4);
    offsetSize = probe.u8();
    lengthSize = probe.u8();
    // reserved, group leaf K, group internal K, consistency flags; v1 adds indexed storage K and reserved
    probe.skip(1 + 2 + 2 + 4 + (version === 1 ? 4 : 0));
    addressesAt = probe.pos;
  } else if (version === 2 || version === 3) {
    offsetSize = probe.u8();
    lengthSize = probe.u8();
    probe.skip(1); // consistency flags
    addressesAt = probe.pos;
  } else {
    return probe.fail(`unsupported superblock version ${version}`);
  }
  if (![2, 4, 8].includes(offsetSize) || ![2, 4, 8].includes(lengthSize)) {
    probe.fail(`unsupported sizes of offsets/lengths ${offsetSize}/${lengthSize}`);
  }
  const fields = new ByteCursor(bytes, at, `superblock version ${version}`, file.name, { offsetSize, lengthSize });
  fields.pos = addressesAt;
  // Like the library, trust where the signature was found over the stored base address: a user block may have been
  // prepended (h5jam) after the file was written.
  fields.address();
  // v0/v1: free-space info address; v2/v3: superblock extension address. Then the end-of-file address.
  fields.address();
  const endOfFileAddress = fields.address();
  // Compared without the user block so a file whose stored end counts it is not refused; chunk extents are
  // checked against the real size anyway.
  if (endOfFileAddress !== undefined && endOfFileAddress > file.fileSize) {
    throw new Hdf5FormatError(
      file.name,
      `truncated file: superblock at ${hex(at)} says the file ends at ${endOfFileAddress} bytes, ` +
        `but it has ${file.fileSize}`,
    );
  }
  return { version, offsetSize, lengthSize, baseAddress: at, endOfFileAddress };
}

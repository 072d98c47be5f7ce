import type { ByteCursor } from "../byte-cursor.js";

export interface Dataspace {
  /** [] for a scalar or null dataspace. */
  readonly shape: number[];
  /** null = unlimited. */
  readonly maxShape: (number | null)[];
  /** H5S_NULL: no elements at all. */
  readonly isNull: boolean;
}

/** Dataspace message, versions 1 and 2. */
export function decodeDataspace(body: ByteCursor): Dataspace {
  const version = body.u8();
  if (version !== 1 && version !== 2) body.fail(`unsupported dataspace message version ${version}`);
  const rank = body.u8();
  const flags = body.u8();
  let isNull = false;
  if (version === 1) {
    body.skip(5);
  } else {
    isNull = body.u8() === 2;
  }
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(body.length());
  let maxShape: (number | null)[] = shape.slice();
  if (flags & 0x01) {
    maxShape = [];
    for (let i = 0; i < rank; i++) maxShape.push(body.lengthOrAllOnes() ?? null);
  }
  // Permutation indices (v1 flag 0x02) were never implemented by the library and do not matter here.
  return { shape, maxShape, isNull };
}

import type { Hdf5Filter } from "../../storage-info.js";
import type { ByteCursor } from "../byte-cursor.js";

/** Filter pipeline message, versions 1 and 2, in pipeline order (the order filters run when writing). */
export function decodeFilterPipeline(body: ByteCursor): Hdf5Filter[] {
  const version = body.u8();
  if (version !== 1 && version !== 2) body.fail(`unsupported filter pipeline message version ${version}`);
  const count = body.u8();
  if (version === 1) body.skip(6);
  const filters: Hdf5Filter[] = [];
  for (let i = 0; i < count; i++) {
    const id = body.u16();
    // Version 2 stores names only for filters outside the library's reserved range.
    const nameLength = version === 1 || id >= 256 ? body.u16() : 0;
    const flags = body.u16();
    const valueCount = body.u16();
    const name = nameLength > 0 ? nulTerminated(body.take(nameLength)) : undefined;
    const cdValues: number[] = [];
    for (let v = 0; v < valueCount; v++) cdValues.push(body.u32());
    if (version === 1 && valueCount % 2 === 1) body.skip(4);
    filters.push(name ? { id, name, flags, cdValues } : { id, flags, cdValues });
  }
  return filters;
}

function nulTerminated(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

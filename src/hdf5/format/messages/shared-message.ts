import type { ByteCursor } from "../byte-cursor.js";

/**
 * The body of a message whose "shared" flag is set: where the real message lives. Only the committed form (the
 * message sits in another object header, as for a named datatype) is followed; messages shared through the
 * shared-object-header-message heap are reported as unsupported.
 */
export function decodeSharedReference(body: ByteCursor): number {
  const version = body.u8();
  if (version < 1 || version > 3) body.fail(`unsupported shared message version ${version}`);
  const type = body.u8();
  if (version === 1) {
    body.skip(6); // reserved
    body.skip(body.sizes.lengthSize); // obsolete local heap offset of the symbol table entry
  } else if (version === 3 && type !== 2) {
    body.fail(`message shared through the shared message heap (type ${type}) is not supported`);
  }
  return body.address() ?? body.fail("undefined shared message address");
}

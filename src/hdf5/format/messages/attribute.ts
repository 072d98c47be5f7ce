import { ByteCursor } from "../byte-cursor.js";
import { decodeDataspace } from "./dataspace.js";
import { decodeSharedReference } from "./shared-message.js";

/** What the loader needs of an attribute message: the committed type it uses and its raw value bytes. */
export interface AttributeMessage {
  name: string;
  /** Header address of the committed datatype the attribute's type is, when its datatype is shared. */
  committedType?: number;
  /** Number of elements (0 for a null dataspace). */
  count: number;
  /**
   * The bytes after the dataspace: the stored value (count times the element size, in the file's byte order and
   * layout; heap references for variable-length types), possibly followed by message padding.
   */
  data: Uint8Array;
}

const DATATYPE_SHARED = 0x01;
const DATASPACE_SHARED = 0x02;

/** Attribute message (0x000C), versions 1 to 3. */
export function decodeAttribute(body: ByteCursor): AttributeMessage {
  const version = body.u8();
  if (version < 1 || version > 3) body.fail(`unsupported attribute message version ${version}`);
  const flags = body.u8(); // reserved (zero) in version 1
  const nameSize = body.u16();
  const datatypeSize = body.u16();
  const dataspaceSize = body.u16();
  if (version === 3) body.u8(); // name character set
  // Version 1 pads the name, datatype and dataspace to multiples of 8 bytes.
  const padded = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  const nameBytes = body.take(padded(nameSize)).subarray(0, nameSize);
  const end = nameBytes.indexOf(0);
  const name = new TextDecoder().decode(end < 0 ? nameBytes : nameBytes.subarray(0, end));
  const datatype = part(body, padded(datatypeSize), `datatype of attribute ${JSON.stringify(name)}`);
  const dataspace = part(body, padded(dataspaceSize), `dataspace of attribute ${JSON.stringify(name)}`);
  if (version > 1 && flags & DATASPACE_SHARED) body.fail(`attribute ${JSON.stringify(name)} has a shared dataspace, which is not supported`);
  const space = decodeDataspace(dataspace);
  const message: AttributeMessage = {
    name,
    count: space.isNull ? 0 : space.shape.reduce((a, b) => a * b, 1),
    data: body.take(body.remaining),
  };
  if (version > 1 && flags & DATATYPE_SHARED) message.committedType = decodeSharedReference(datatype);
  return message;
}

function part(body: ByteCursor, length: number, what: string): ByteCursor {
  const origin = body.origin + body.pos;
  return new ByteCursor(body.take(length), origin, what, body.file, body.sizes);
}

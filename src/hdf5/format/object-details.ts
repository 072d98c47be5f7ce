// What h5wasm does not tell about an object and its object header does: whether a dataset's datatype is a
// committed datatype (and which), whether a group tracks link creation order, and the raw bytes of the
// attributes stored in the header. Written from the HDF5 File Format Specification 3.0, like ./chunk-index.
import { type AttributeMessage, decodeAttribute } from "./messages/attribute.js";
import { decodeSharedReference } from "./messages/shared-message.js";
import type { MetadataFile } from "./metadata-file.js";
import { MESSAGE_SHARED, MessageType, readObjectHeader } from "./object-header.js";

const LINK_INFO = 0x0002;
const ATTRIBUTE = 0x000c;
const ATTRIBUTE_INFO = 0x0015;
const LINK_INFO_TRACKS_ORDER = 0x01;
const ATTRIBUTE_INFO_TRACKS_ORDER = 0x01;

export interface ObjectDetails {
  /** Header address of the committed datatype a dataset's (or committed type's own) datatype message points to. */
  committedType?: number;
  /** The group tracks the creation order of its links. */
  tracksLinkOrder: boolean;
  /** Attributes kept in the header itself, by name; attributes in dense storage (a fractal heap) are not here. */
  attributes: Map<string, AttributeMessage>;
  /** Some attributes live in dense storage. */
  denseAttributes: boolean;
}

export async function readObjectDetails(file: MetadataFile, address: number): Promise<ObjectDetails> {
  const details: ObjectDetails = { tracksLinkOrder: false, attributes: new Map(), denseAttributes: false };
  for (const message of await readObjectHeader(file, address)) {
    switch (message.type) {
      case MessageType.datatype:
        if (message.flags & MESSAGE_SHARED) details.committedType = decodeSharedReference(message.body());
        break;
      case LINK_INFO: {
        const body = message.body();
        body.u8(); // version
        details.tracksLinkOrder = (body.u8() & LINK_INFO_TRACKS_ORDER) !== 0;
        break;
      }
      case ATTRIBUTE: {
        const attribute = decodeAttribute(message.body());
        details.attributes.set(attribute.name, attribute);
        break;
      }
      case ATTRIBUTE_INFO: {
        const body = message.body();
        body.u8(); // version
        const flags = body.u8();
        if (flags & ATTRIBUTE_INFO_TRACKS_ORDER) body.u16(); // maximum creation index
        details.denseAttributes = body.address() !== undefined; // fractal heap address
        break;
      }
    }
  }
  return details;
}

import { ByteCursor } from "./byte-cursor.js";
import { hex } from "./errors.js";
import type { MetadataFile } from "./metadata-file.js";

/** Header message types this reader looks at. */
export const MessageType = {
  dataspace: 0x0001,
  datatype: 0x0003,
  fillValueOld: 0x0004,
  fillValue: 0x0005,
  externalFiles: 0x0007,
  dataLayout: 0x0008,
  filterPipeline: 0x000b,
  continuation: 0x0010,
} as const;

const MESSAGE_NAMES: Record<number, string> = {
  [MessageType.dataspace]: "dataspace message",
  [MessageType.datatype]: "datatype message",
  [MessageType.fillValueOld]: "fill value (old) message",
  [MessageType.fillValue]: "fill value message",
  [MessageType.externalFiles]: "external data files message",
  [MessageType.dataLayout]: "data layout message",
  [MessageType.filterPipeline]: "filter pipeline message",
  [MessageType.continuation]: "continuation message",
};

/** Message flag bit: the body is a reference to a shared message, not the message itself. */
export const MESSAGE_SHARED = 0x02;

export interface HeaderMessage {
  readonly type: number;
  readonly flags: number;
  /** A fresh cursor over the message body alone, named after the message type. */
  body(): ByteCursor;
}

// Far above anything the library writes; only stops a corrupt continuation chain from looping.
const MAX_CONTINUATIONS = 10_000;

/** What differs between version 1 and version 2 object headers once their prefix is read. */
interface HeaderFormat {
  /** Where the first chunk's messages are and how many bytes they span (with any trailing checksum). */
  readonly firstChunk: HeaderBlock;
  /** Signature that opens a continuation block ("OCHK" in v2, none in v1). */
  readonly continuationSignature: string | undefined;
  /** Bytes after the messages of every block (the v2 checksum). */
  readonly checksumSize: number;
  readonly messageHeaderSize: number;
  readMessageHeader(block: ByteCursor): { type: number; size: number; flags: number };
}

interface HeaderBlock {
  readonly address: number;
  readonly length: number;
}

/** Every message of the object header at stored address `address`, continuation blocks included, in file order. */
export async function readObjectHeader(file: MetadataFile, address: number): Promise<HeaderMessage[]> {
  const format = await readHeaderPrefix(file, address);
  const messages: HeaderMessage[] = [];
  const blocks: HeaderBlock[] = [format.firstChunk];
  for (let i = 0; i < blocks.length; i++) {
    const what = i === 0 ? `object header ${hex(file.absolute(address))}` : "object header continuation block";
    if (i > MAX_CONTINUATIONS) file.fail(`${what}: too many continuation blocks`);
    const block = await file.cursor(blocks[i]!.address, blocks[i]!.length, what);
    if (i > 0 && format.continuationSignature) block.signature(format.continuationSignature);
    const body = new ByteCursor(
      block.bytes.subarray(block.pos, block.bytes.length - format.checksumSize),
      block.origin + block.pos,
      what,
      file.name,
      file.sizes,
    );
    // A block may end in a gap too small for another message header.
    while (body.remaining >= format.messageHeaderSize) {
      const { type, size, flags } = format.readMessageHeader(body);
      const message = takeMessage(file, body, type, flags, size);
      if (type === MessageType.continuation) {
        const continuation = message.body();
        const next = continuation.address() ?? continuation.fail("undefined continuation address");
        blocks.push({ address: next, length: continuation.length() });
      }
      messages.push(message);
    }
  }
  return messages;
}

async function readHeaderPrefix(file: MetadataFile, address: number): Promise<HeaderFormat> {
  const first = await file.cursor(address, 1, "object header");
  if (first.bytes[0] === 1) {
    // Version 1: version, reserved, message count, reference count, chunk size, then padding to 8 bytes.
    const prefix = await file.cursor(address, 16, "object header version 1");
    prefix.skip(2 + 2 + 4);
    return {
      firstChunk: { address: address + 16, length: prefix.u32() },
      continuationSignature: undefined,
      checksumSize: 0,
      messageHeaderSize: 8,
      // Type (2 bytes), body size (2), flags (1), reserved (3); bodies are padded to 8 bytes.
      readMessageHeader: (block) => {
        const header = { type: block.u16(), size: block.u16(), flags: block.u8() };
        block.skip(3);
        return header;
      },
    };
  }
  if (first.bytes[0] !== 0x4f /* "O" of "OHDR" */) {
    return first.fail(`unsupported object header (first byte ${first.bytes[0]}): not a dataset address?`);
  }
  const prefix = await file.cursorAtMost(address, 4 + 2 + 16 + 4 + 8, "object header version 2");
  prefix.signature("OHDR");
  const version = prefix.u8();
  if (version !== 2) prefix.fail(`unsupported object header version ${version}`);
  const flags = prefix.u8();
  if (flags & 0x20) prefix.skip(16); // access, modification, change and birth times
  if (flags & 0x10) prefix.skip(4); // attribute storage phase change values
  const chunkSize = prefix.uint(1 << (flags & 0x03));
  const withCreationOrder = (flags & 0x04) !== 0;
  return {
    firstChunk: { address: address + prefix.pos, length: chunkSize + 4 },
    continuationSignature: "OCHK",
    checksumSize: 4,
    messageHeaderSize: withCreationOrder ? 6 : 4,
    // Type (1 byte), body size (2), flags (1), and the creation order (2) when the header tracks it.
    readMessageHeader: (block) => {
      const header = { type: block.u8(), size: block.u16(), flags: block.u8() };
      if (withCreationOrder) block.skip(2);
      return header;
    },
  };
}

function takeMessage(file: MetadataFile, block: ByteCursor, type: number, flags: number, size: number): HeaderMessage {
  const origin = block.origin + block.pos;
  const bytes = block.take(size);
  const what = MESSAGE_NAMES[type] ?? `message type ${type}`;
  return { type, flags, body: () => new ByteCursor(bytes, origin, what, file.name, file.sizes) };
}

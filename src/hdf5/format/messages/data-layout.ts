import type { ByteCursor } from "../byte-cursor.js";

/** How the chunks of a layout-v4 dataset are indexed, with the parameters stored in the layout message. */
export type ChunkIndexSpec =
  | { readonly type: "btree-v1"; readonly address: number | undefined }
  | {
      readonly type: "single";
      readonly address: number | undefined;
      /** Present when the single chunk is filtered. */
      readonly filtered?: { readonly size: number; readonly filterMask: number };
    }
  | { readonly type: "implicit"; readonly address: number | undefined }
  | { readonly type: "fixed-array"; readonly address: number | undefined }
  | { readonly type: "extensible-array"; readonly address: number | undefined }
  | { readonly type: "btree-v2"; readonly address: number | undefined };

export type DataLayout =
  | { readonly layout: "compact"; readonly data: Uint8Array }
  | {
      readonly layout: "contiguous";
      readonly address: number | undefined;
      /** Versions 1 and 2 do not store the size: it is the dataspace times the element size. */
      readonly size: number | undefined;
    }
  | {
      readonly layout: "chunked";
      /** Chunk dimensions without the trailing element-size dimension. */
      readonly chunkShape: number[];
      /** The trailing dimension: bytes per element as the chunk index sees them. */
      readonly elementSize: number;
      readonly index: ChunkIndexSpec;
    };

const COMPACT = 0;
const CONTIGUOUS = 1;
const CHUNKED = 2;
const VIRTUAL = 3;

/**
 * Data layout message, versions 1 to 5. Version 5 (HDF5 2.0) is laid out like version 4; it only tells the
 * library that filtered chunk sizes in the index use a fixed width, which the index headers state anyway.
 */
export function decodeDataLayout(body: ByteCursor): DataLayout {
  const version = body.u8();
  if (version === 1 || version === 2) return decodeV1V2(body);
  if (version < 3 || version > 5) body.fail(`unsupported data layout message version ${version}`);
  const layoutClass = body.u8();
  switch (layoutClass) {
    case COMPACT:
      return { layout: "compact", data: body.take(body.u16()).slice() };
    case CONTIGUOUS:
      return { layout: "contiguous", address: body.address(), size: body.length() };
    case CHUNKED:
      return version === 3 ? decodeChunkedV3(body) : decodeChunkedV4(body, version);
    case VIRTUAL:
      return body.fail("virtual dataset layout is not supported");
    default:
      return body.fail(`unknown layout class ${layoutClass} in data layout message version ${version}`);
  }
}

function decodeV1V2(body: ByteCursor): DataLayout {
  const dimensionality = body.u8();
  const layoutClass = body.u8();
  body.skip(5);
  if (layoutClass === COMPACT) {
    body.skip(4 * dimensionality);
    return { layout: "compact", data: body.take(body.u32()).slice() };
  }
  const address = body.address();
  const dims: number[] = [];
  for (let i = 0; i < dimensionality; i++) dims.push(body.u32());
  if (layoutClass === CONTIGUOUS) return { layout: "contiguous", address, size: undefined };
  if (layoutClass === CHUNKED) return chunked(body, dims, { type: "btree-v1", address });
  return body.fail(`unknown layout class ${layoutClass} in data layout message version 1/2`);
}

function decodeChunkedV3(body: ByteCursor): DataLayout {
  const dimensionality = body.u8();
  const address = body.address();
  const dims: number[] = [];
  for (let i = 0; i < dimensionality; i++) dims.push(body.u32());
  return chunked(body, dims, { type: "btree-v1", address });
}

function decodeChunkedV4(body: ByteCursor, version: number): DataLayout {
  const flags = body.u8();
  const dimensionality = body.u8();
  const dimWidth = body.u8();
  const dims: number[] = [];
  for (let i = 0; i < dimensionality; i++) dims.push(body.uint(dimWidth));
  const indexType = body.u8();
  switch (indexType) {
    case 1: {
      // Bit 1: the single chunk is filtered, so its stored size and filter mask live here.
      const filtered = flags & 0x02 ? { size: body.length(), filterMask: body.u32() } : undefined;
      const address = body.address();
      return chunked(body, dims, filtered ? { type: "single", address, filtered } : { type: "single", address });
    }
    case 2:
      return chunked(body, dims, { type: "implicit", address: body.address() });
    case 3:
      body.skip(1); // page bits: also in the fixed array header
      return chunked(body, dims, { type: "fixed-array", address: body.address() });
    case 4:
      body.skip(5); // max bits, index elements, min pointers, min elements, page bits: also in the array header
      return chunked(body, dims, { type: "extensible-array", address: body.address() });
    case 5:
      body.skip(6); // node size, split and merge percent: also in the B-tree header
      return chunked(body, dims, { type: "btree-v2", address: body.address() });
    default:
      return body.fail(`unknown chunk index type ${indexType} in data layout message version ${version}`);
  }
}

function chunked(body: ByteCursor, dims: number[], index: ChunkIndexSpec): DataLayout {
  if (dims.length < 2) body.fail(`chunked layout with ${dims.length} dimensions`);
  if (dims.some((d) => d === 0)) body.fail(`chunk dimension of 0 in ${JSON.stringify(dims)}`);
  return { layout: "chunked", chunkShape: dims.slice(0, -1), elementSize: dims[dims.length - 1]!, index };
}

// PUT /datasets/{id}/chunks/{i_j_...}: store one chunk as already-encoded bytes (an extension of
// ours, not part of HSDS's API; /about lists it under hsds_tools_features). hsload uses it when a
// source chunk is byte for byte what HSDS stores — a deflate (± shuffle) chunk of an HDF5 file, on
// the same chunk grid — so the chunk is neither decompressed in the loader nor compressed again here.
// The bytes are decoded once to check them, and are then stored as they came.
import type { HsResponse } from "../../client/transport.js";
import { DatasetChunks } from "../chunk-io.js";
import type { OpenDomain, RequestContext } from "../context.js";
import { badRequest } from "../http-error.js";
import { json } from "../responses.js";

export async function putChunk(ctx: RequestContext, dom: OpenDomain, pathId: string, coords: string, chunks: (id: string) => Promise<DatasetChunks>): Promise<HsResponse> {
  const id = ctx.objectId(pathId, "datasets", dom);
  if (!ctx.isBinaryBody()) throw badRequest("a chunk is sent as application/octet-stream");
  const target = await chunks(id);
  const { view } = target;
  if (view.linkedLayout) throw badRequest(`dataset ${id} is linked to an HDF5 file: its values are read-only`);
  if (view.isNull || view.itemSize === undefined) throw badRequest("chunks can be put only for fixed-size types");
  if (!/^\d+(_\d+)*$/.test(coords)) throw badRequest(`Invalid chunk index: ${coords}`);
  const index = coords.split("_").map(Number);
  const grid = view.dims.map((d, i) => Math.max(1, Math.ceil(d / view.chunkDims[i]!)));
  if (index.length !== grid.length || index.some((c, i) => c >= grid[i]!)) throw badRequest(`chunk index ${coords} is outside the dataset`);
  await target.putEncoded(index, ctx.req.body ?? new Uint8Array(0));
  return json(201, {});
}

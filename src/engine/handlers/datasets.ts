// /datasets: create (with HSDS's layout rules and reference layouts), get, shape/type, resize, delete.
import type { HsResponse } from "../../client/transport.js";
import { FilterError } from "../../codecs/codec.js";
import { normalizeFilters } from "../../codecs/filters.js";
import { isVariableLength, itemSize, normalizeType, TypeJsonError, type HsdsType } from "../../model/datatype.js";
import { chunkLayoutFor, contiguousChunkDims, LayoutError } from "../../model/layout.js";
import { selectionToString, type Selection } from "../../model/selection.js";
import { unravel } from "../../model/shape.js";
import { fillValueBytes, ValueError, type FillValueProperties } from "../../model/values.js";
import { DatasetChunks } from "../chunk-io.js";
import type { OpenDomain, RequestContext } from "../context.js";
import { datasetView, type DatasetView } from "../dataset-view.js";
import { now, type DatasetDoc, type DatatypeDoc, type LayoutJson, type ShapeJson } from "../documents.js";
import { Hrefs } from "../hrefs.js";
import { badRequest, conflict } from "../http-error.js";
import { datasetDir, isValidId } from "../ids.js";
import { json } from "../responses.js";
import { parseMaxdims, parseShape } from "../shape.js";
import { createFromRequest } from "./new-object.js";
import { createdJson, objectJson } from "./objects.js";

/** A type from a request body: type JSON, a predefined name, or the id of a committed type of the domain. */
export async function typeFromBody(ctx: RequestContext, dom: OpenDomain, raw: unknown): Promise<HsdsType> {
  if (typeof raw === "string" && raw.startsWith("t-")) {
    const id = ctx.objectId(raw, "datatypes", dom);
    const committed = await dom.meta.object<DatatypeDoc>(id);
    if (!committed) throw badRequest(`datatype ${raw} not found`);
    return { ...normalizeType(committed.type), id } as HsdsType;
  }
  try {
    return normalizeType(raw);
  } catch (err) {
    if (err instanceof TypeJsonError) throw badRequest(err.message);
    throw err;
  }
}

const REFERENCE_LAYOUTS = new Set(["H5D_CONTIGUOUS_REF", "H5D_CHUNKED_REF", "H5D_CHUNKED_REF_INDIRECT"]);

interface CreationResult {
  creationProperties?: Record<string, unknown>;
  layout?: LayoutJson;
}

async function creationProperties(
  ctx: RequestContext,
  dom: OpenDomain,
  raw: unknown,
  type: HsdsType,
  shape: ShapeJson,
): Promise<CreationResult> {
  if (raw !== undefined && (raw === null || typeof raw !== "object" || Array.isArray(raw))) throw badRequest("Invalid creationProperties");
  const props = { ...((raw ?? {}) as Record<string, unknown>) };
  const isNull = shape.class === "H5S_NULL";
  const dims = shape.class === "H5S_SIMPLE" ? shape.dims : [];
  const maxdims = shape.class === "H5S_SIMPLE" && shape.maxdims ? (shape.maxdims as number[]) : undefined;
  const size = itemSize(type);
  const requested = props.layout as LayoutJson | undefined;
  const referenced = requested !== undefined && REFERENCE_LAYOUTS.has(requested.class);

  if (props.filters !== undefined) {
    if (isNull) throw badRequest("filters are not allowed for a null-space dataset");
    try {
      props.filters = normalizeFilters(props.filters, { allowBitshuffle: referenced });
    } catch (err) {
      if (err instanceof FilterError) throw badRequest(err.message);
      throw err;
    }
  }
  if (props.fillValue !== undefined) {
    try {
      fillValueBytes(type, props as FillValueProperties);
    } catch (err) {
      if (err instanceof ValueError) throw badRequest(`Invalid fillValue: ${err.message}`);
      throw err;
    }
  }
  if (isNull) {
    if (requested !== undefined) throw badRequest("a null-space dataset has no layout");
    return Object.keys(props).length > 0 ? { creationProperties: props } : {};
  }
  let layoutDims: number[];
  try {
    if (requested === undefined) {
      layoutDims = chunkLayoutFor(dims, maxdims, size);
    } else if (typeof requested !== "object" || typeof requested.class !== "string") {
      throw badRequest("Invalid layout");
    } else if (referenced) {
      layoutDims = await referenceLayoutDims(ctx, dom, requested, type, dims);
    } else if (requested.class === "H5D_CHUNKED") {
      layoutDims = chunkLayoutFor(dims, maxdims, size, requested.dims);
    } else if (requested.class === "H5D_CONTIGUOUS" || requested.class === "H5D_COMPACT") {
      // HSDS stores both as chunked data; the requested class stays in creationProperties.
      layoutDims = chunkLayoutFor(dims, maxdims, size);
    } else {
      throw badRequest(`Unsupported layout class: ${requested.class}`);
    }
  } catch (err) {
    if (err instanceof LayoutError) throw badRequest(err.message);
    throw err;
  }
  const result: CreationResult = { layout: { class: "H5D_CHUNKED", dims: shape.class === "H5S_SCALAR" ? [1] : layoutDims } };
  if (Object.keys(props).length > 0) result.creationProperties = props;
  return result;
}

async function referenceLayoutDims(ctx: RequestContext, dom: OpenDomain, layout: LayoutJson, type: HsdsType, dims: number[]): Promise<number[]> {
  if (isVariableLength(type)) throw badRequest(`${layout.class} layout is not allowed for variable-length types`);
  const size = itemSize(type) as number;
  const intDims = (value: unknown, what: string) => {
    if (!Array.isArray(value) || value.length !== dims.length || !value.every((d) => Number.isSafeInteger(d) && d > 0)) {
      throw badRequest(`Invalid ${what} for ${layout.class}`);
    }
    return value as number[];
  };
  switch (layout.class) {
    case "H5D_CONTIGUOUS_REF":
      if (typeof layout.file_uri !== "string" || !Number.isSafeInteger(layout.offset) || !Number.isSafeInteger(layout.size)) {
        throw badRequest("H5D_CONTIGUOUS_REF needs file_uri, offset and size");
      }
      if (layout.dims !== undefined) throw badRequest("H5D_CONTIGUOUS_REF takes no dims");
      return contiguousChunkDims(dims, size);
    case "H5D_CHUNKED_REF":
      if (typeof layout.file_uri !== "string" || typeof layout.chunks !== "object" || layout.chunks === null) {
        throw badRequest("H5D_CHUNKED_REF needs file_uri, dims and chunks");
      }
      return intDims(layout.dims, "dims");
    default: {
      const chunkDims = intDims(layout.dims, "dims");
      if (layout.hyper_dims !== undefined) {
        const hyper = intDims(layout.hyper_dims, "hyper_dims");
        if (hyper.some((h, i) => chunkDims[i]! % h !== 0)) throw badRequest("layout dims must be a multiple of hyper_dims");
      }
      const tableId = layout.chunk_table;
      if (typeof tableId !== "string" || !isValidId(tableId, "datasets")) throw badRequest("Invalid chunk_table");
      const table = await dom.meta.object<DatasetDoc>(ctx.objectId(tableId, "datasets", dom));
      if (!table) throw badRequest(`chunk_table ${tableId} not found`);
      if (table.shape.class !== "H5S_SIMPLE" || table.shape.dims.length < dims.length) throw badRequest("chunk_table has the wrong rank");
      if (table.creationProperties?.layout?.class === "H5D_CHUNKED_REF_INDIRECT") throw badRequest("chunk_table cannot itself be indirect");
      return chunkDims;
    }
  }
}

export async function createDataset(ctx: RequestContext, dom: OpenDomain): Promise<HsResponse> {
  const body = ctx.body();
  const type = await typeFromBody(ctx, dom, body.type ?? "H5T_IEEE_F32LE");
  const shape = parseShape(body.shape);
  if (body.maxdims !== undefined) {
    if (shape.class !== "H5S_SIMPLE") throw badRequest("maxdims given for a dataset without dimensions");
    shape.maxdims = parseMaxdims(body.maxdims, shape.dims);
  }
  const created = await creationProperties(ctx, dom, body.creationProperties, type, shape);
  const fields: Record<string, unknown> = { type, shape };
  if (created.creationProperties) fields.creationProperties = created.creationProperties;
  if (created.layout) fields.layout = created.layout;
  const id = await createFromRequest(ctx, dom, "datasets", body, fields);
  return json(201, createdJson(ctx, dom, "datasets", await dom.meta.dataset(id)));
}

export async function getDatasetPart(ctx: RequestContext, dom: OpenDomain, pathId: string, part: "shape" | "type"): Promise<HsResponse> {
  const id = ctx.objectId(pathId, "datasets", dom);
  const doc = await dom.meta.dataset(id);
  const hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path);
  const links = hrefs.of(["self", `/datasets/${id}/${part}`], ["owner", `/datasets/${id}`], ["root", `/groups/${dom.rootId}`]);
  if (part === "type") return json(200, { type: doc.type, hrefs: links });
  return json(200, { shape: doc.shape, hrefs: links, created: doc.created, lastModified: doc.lastModified });
}

/** GET /datasets/{id}: objectJson plus, with verbose, the scan numbers HSDS adds. */
export async function getDataset(
  ctx: RequestContext,
  dom: OpenDomain,
  pathId: string,
  verboseStats: (id: string) => Promise<{ num_chunks: number; allocated_size: number; lastModified?: number }>,
): Promise<HsResponse> {
  const id = ctx.objectId(pathId, "datasets", dom);
  const doc = await dom.meta.dataset(id);
  const body = objectJson(ctx, dom, "datasets", doc, { includeAttrs: ctx.flag("include_attrs") });
  if (ctx.flag("verbose")) {
    const { lastModified, ...numbers } = await verboseStats(id);
    Object.assign(body, numbers, { lastModified: Math.max(doc.lastModified, lastModified ?? 0) });
  }
  return json(200, body);
}

/** PUT /datasets/{id}/shape: {"shape": dims} or {"extend": n, "extend_dim": k}. */
export async function resizeDataset(ctx: RequestContext, dom: OpenDomain, pathId: string, chunksOf: (view: DatasetView) => DatasetChunks): Promise<HsResponse> {
  const id = ctx.objectId(pathId, "datasets", dom);
  const body = ctx.body();
  let grown: Selection | undefined;
  let shrunk: { before: number[]; view: DatasetView } | undefined;
  await dom.meta.updateObject<DatasetDoc>(id, (doc) => {
    if (doc.shape.class !== "H5S_SIMPLE" || !doc.shape.maxdims) throw badRequest("dataset is not extensible");
    const dims = doc.shape.dims;
    const maxdims = doc.shape.maxdims.map((m) => (m === "H5S_UNLIMITED" ? 0 : m));
    let next: number[];
    if (body.shape !== undefined) {
      if (body.extend !== undefined) throw badRequest("shape and extend are exclusive");
      const asked = typeof body.shape === "number" ? [body.shape] : body.shape;
      if (!Array.isArray(asked) || asked.length !== dims.length || !asked.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw badRequest("Invalid shape");
      }
      next = asked as number[];
    } else {
      const extend = body.extend;
      const dim = body.extend_dim ?? 0;
      if (!Number.isSafeInteger(extend) || (extend as number) < 0 || !Number.isSafeInteger(dim) || (dim as number) < 0 || (dim as number) >= dims.length) {
        throw badRequest("Invalid extend");
      }
      next = dims.map((d, i) => (i === dim ? d + (extend as number) : d));
    }
    next.forEach((d, i) => {
      if (maxdims[i] !== 0 && d > maxdims[i]!) throw conflict("Extent can not be increased beyond maxdims");
    });
    const growing = next.map((d, i) => d > dims[i]!);
    if (growing.filter(Boolean).length === 1) {
      const k = growing.indexOf(true);
      grown = next.map((d, i) => (i === k ? { kind: "slice", start: dims[i]!, stop: d, step: 1 } : { kind: "slice", start: 0, stop: d, step: 1 }));
    }
    if (next.some((d, i) => d < dims[i]!)) shrunk = { before: dims, view: datasetView(doc) };
    doc.shape = { ...doc.shape, dims: next };
    doc.lastModified = now();
    return doc;
  });
  if (shrunk) await dropOutside(chunksOf(shrunk.view), shrunk.before, (await dom.meta.dataset(id)).shape);
  return json(201, grown ? { selection: selectionToString(grown) } : {});
}

/** After a shrink: chunks wholly outside go, chunks cut by the new edge get fill beyond it. */
async function dropOutside(chunks: DatasetChunks, before: number[], shape: ShapeJson): Promise<void> {
  const after = (shape as { dims: number[] }).dims;
  const { chunkDims } = chunks.view;
  const grid = before.map((d, i) => Math.ceil(d / chunkDims[i]!));
  const index = grid.map(() => 0);
  const total = grid.reduce((a, b) => a * b, 1);
  for (let n = 0; n < total; n++) {
    unravel(n, grid, index);
    const starts = index.map((c, d) => c * chunkDims[d]!);
    if (starts.some((s, d) => s >= after[d]!)) {
      await chunks.write(index, chunks.filled());
    } else if (starts.some((s, d) => s + chunkDims[d]! > after[d]!)) {
      await chunks.update(index, (data) => clearBeyond(data, chunks, starts, after));
    }
  }
}

function clearBeyond(data: Uint8Array | Uint8Array[], chunks: DatasetChunks, starts: number[], after: number[]): void {
  const { chunkDims, chunkElements, itemSize } = chunks.view;
  const fill = chunks.filled();
  const coord = chunkDims.map(() => 0);
  for (let e = 0; e < chunkElements; e++) {
    unravel(e, chunkDims, coord);
    if (!coord.some((c, d) => starts[d]! + c >= after[d]!)) continue;
    if (Array.isArray(data)) data[e] = (fill as Uint8Array[])[e]!;
    else data.set((fill as Uint8Array).subarray(e * itemSize!, (e + 1) * itemSize!), e * itemSize!);
  }
}

/** Remove every chunk object of a dataset (before its document goes). */
export async function deleteChunks(dom: OpenDomain, id: string): Promise<void> {
  const keys: string[] = [];
  for await (const info of dom.meta.store.list(datasetDir(id))) {
    if (!info.key.endsWith("/.dataset.json")) keys.push(info.key);
  }
  for (const key of keys) await dom.meta.store.delete(key);
}

// /datasets/{id}/value: GET (hyperslab reads), PUT (writes, points, append), POST (point reads).
import type { HsResponse } from "../../client/transport.js";
import { fieldLayout, type CompoundType, type HsdsType } from "../../model/datatype.js";
import { nonFiniteToNull, type JsonValue } from "../../model/json.js";
import {
  parsePoints,
  parseSelection,
  selectAll,
  selectionCount,
  selectionFromBody,
  selectionShape,
  SelectionError,
  type Selection,
} from "../../model/selection.js";
import { decodeBase64, decodeValues, encodeValues, joinElements, splitElements, ValueError } from "../../model/values.js";
import type { ChunkData, DatasetChunks } from "../chunk-io.js";
import type { OpenDomain, RequestContext } from "../context.js";
import type { DatasetView } from "../dataset-view.js";
import type { DatasetDoc } from "../documents.js";
import { Hrefs } from "../hrefs.js";
import { badRequest, conflict, HttpError } from "../http-error.js";
import { binary, json } from "../responses.js";
import type { ChunkSource } from "../chunk-source.js";
import { readSelection, writeSelection } from "../value-io.js";

/** HSDS estimates variable-length elements at this many bytes when sizing JSON responses. */
const VARIABLE_ELEMENT_ESTIMATE = 512;

export interface ValueDeps {
  /** Chunk reads for a dataset: its own chunks, or its linked HDF5 sources. */
  source(dom: OpenDomain, id: string): Promise<ChunkSource>;
  /** Chunk writes for a dataset of this domain. */
  chunks(dom: OpenDomain, id: string): Promise<DatasetChunks>;
}

function selectionOrBadRequest<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof SelectionError) throw badRequest(err.reason);
    throw err;
  }
}

function requestSelection(ctx: RequestContext, view: DatasetView, body: Record<string, unknown> = {}): Selection {
  const select = ctx.param("select") ?? (typeof body.select === "string" ? body.select : undefined);
  if (view.isScalar) {
    if (select !== undefined && select !== "") throw badRequest("Invalid selection");
    return selectAll([1]);
  }
  if (select === undefined && body.start !== undefined) return selectionOrBadRequest(() => selectionFromBody(body, view.dims));
  return selectionOrBadRequest(() => parseSelection(select, view.dims));
}

/** The JSON shape of a selection (scalar datasets answer a bare value). */
function responseShape(view: DatasetView, sel: Selection, reduce: boolean): number[] {
  if (view.isScalar) return [];
  const shape = selectionShape(sel);
  return reduce ? shape.filter((d) => d !== 1) : shape;
}

function packed(data: ChunkData): Uint8Array {
  return Array.isArray(data) ? joinElements(data) : data;
}

/** A compound subset (`fields=a:b`): the same elements with only the named fields, packed. */
function selectFields(view: DatasetView, data: ChunkData, fields: string): { type: HsdsType; data: Uint8Array } {
  if (view.type.class !== "H5T_COMPOUND" || view.itemSize === undefined) throw badRequest("fields is only valid for fixed-size compound types");
  const layout = fieldLayout(view.type as CompoundType);
  const wanted = fields.split(":").map((name) => {
    const field = layout.find((f) => f.name === name);
    if (!field) throw badRequest(`field ${name} not found`);
    return field;
  });
  const size = wanted.reduce((sum, f) => sum + f.size, 0);
  const src = data as Uint8Array;
  const count = src.length / view.itemSize;
  const out = new Uint8Array(count * size);
  for (let e = 0; e < count; e++) {
    let at = e * size;
    for (const f of wanted) {
      out.set(src.subarray(e * view.itemSize + f.offset, e * view.itemSize + f.offset + f.size), at);
      at += f.size;
    }
  }
  const type: HsdsType = { class: "H5T_COMPOUND", fields: wanted.map((f) => ({ name: f.name, type: f.type })) };
  return { type, data: out };
}

function valueResponse(ctx: RequestContext, dom: OpenDomain, view: DatasetView, sel: Selection, data: ChunkData): HsResponse {
  let type = view.type;
  let bytes = packed(data);
  const fields = ctx.param("fields");
  if (fields) ({ type, data: bytes } = selectFields(view, data, fields));
  if (ctx.wantsBinary()) return binary(bytes);
  const count = selectionCount(sel);
  const estimate = count * (view.itemSize ?? VARIABLE_ELEMENT_ESTIMATE);
  if (estimate > ctx.settings.limits.max_request_size) throw new HttpError(413);
  let value: JsonValue;
  try {
    value = decodeValues(bytes, type, responseShape(view, sel, ctx.flag("reduce_dim")));
  } catch (err) {
    if (err instanceof ValueError) throw badRequest(`values cannot be returned as JSON: ${err.message}`);
    throw err;
  }
  if (ctx.flag("ignore_nan")) value = nonFiniteToNull(value);
  const hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path);
  const id = view.id;
  return json(200, {
    status: 200,
    value,
    hrefs: hrefs.of(["self", `/datasets/${id}/value`], ["root", `/groups/${dom.rootId}`], ["home", "/"], ["owner", `/datasets/${id}`]),
  });
}

export async function getValue(ctx: RequestContext, dom: OpenDomain, pathId: string, deps: ValueDeps): Promise<HsResponse> {
  const source = await deps.source(dom, ctx.objectId(pathId, "datasets", dom));
  const view = source.view;
  if (view.isNull) throw badRequest("Null space datasets have no values");
  if (ctx.param("query") !== undefined) throw badRequest("query selections are not supported by this server");
  try {
    const sel = requestSelection(ctx, view);
    return valueResponse(ctx, dom, view, sel, await readSelection(source, sel));
  } finally {
    await source.close();
  }
}

/** POST .../value: a read of points (JSON or binary uint64) or of a long selection string. */
export async function postValue(ctx: RequestContext, dom: OpenDomain, pathId: string, deps: ValueDeps): Promise<HsResponse> {
  const source = await deps.source(dom, ctx.objectId(pathId, "datasets", dom));
  const view = source.view;
  if (view.isNull || view.isScalar) throw badRequest("point selections need a dataset with dimensions");
  let sel: Selection;
  if (ctx.isBinaryBody()) {
    sel = selectionOrBadRequest(() => parsePoints(ctx.req.body ?? new Uint8Array(0), view.dims));
  } else {
    const body = ctx.body();
    if (body.points !== undefined) sel = selectionOrBadRequest(() => parsePoints(body.points, view.dims));
    else sel = requestSelection(ctx, view, body);
  }
  const count = selectionCount(sel);
  if (count * (view.itemSize ?? VARIABLE_ELEMENT_ESTIMATE) > ctx.settings.limits.max_request_size) throw new HttpError(413);
  try {
    return valueResponse(ctx, dom, view, sel, await readSelection(source, sel));
  } finally {
    await source.close();
  }
}

/** Element data for `count` elements from a request value: packed bytes or element buffers. */
function elementData(view: DatasetView, bytes: Uint8Array, count: number, broadcast: number | undefined): ChunkData {
  const given = broadcast ?? count;
  if (view.itemSize !== undefined) {
    if (bytes.length !== given * view.itemSize) {
      throw badRequest(`Expected ${given * view.itemSize} bytes for ${given} elements, got ${bytes.length}`);
    }
    if (given === count) return bytes;
    if (given !== 1) throw badRequest("element_count must be 1 or the selection size");
    const out = new Uint8Array(count * view.itemSize);
    for (let i = 0; i < count; i++) out.set(bytes, i * view.itemSize);
    return out;
  }
  let parts: Uint8Array[];
  try {
    parts = splitElements(bytes, view.type, given);
  } catch (err) {
    if (err instanceof ValueError) throw badRequest(err.message);
    throw err;
  }
  if (given === count) return parts;
  if (given !== 1) throw badRequest("element_count must be 1 or the selection size");
  return new Array<Uint8Array>(count).fill(parts[0]!);
}

function jsonValueBytes(view: DatasetView, body: Record<string, unknown>, shape: number[]): Uint8Array {
  if (body.value_base64 !== undefined) {
    if (typeof body.value_base64 !== "string") throw badRequest("value_base64 must be a string");
    try {
      return decodeBase64(body.value_base64);
    } catch (err) {
      throw badRequest((err as Error).message);
    }
  }
  if (body.value === undefined) throw badRequest("request has no value");
  try {
    return encodeValues(body.value, view.type, shape);
  } catch (err) {
    if (err instanceof ValueError) throw badRequest(`Invalid value: ${err.message}`);
    throw err;
  }
}

export async function putValue(ctx: RequestContext, dom: OpenDomain, pathId: string, deps: ValueDeps): Promise<HsResponse> {
  const id = ctx.objectId(pathId, "datasets", dom);
  let source = await deps.chunks(dom, id);
  if (source.view.linkedLayout) throw badRequest(`dataset ${id} is linked to an HDF5 file: its values are read-only`);
  if (source.view.isNull) throw badRequest("Null space datasets have no values");
  const binaryBody = ctx.isBinaryBody();
  const body = binaryBody ? {} : ctx.body();
  if (body.fields !== undefined || ctx.param("fields") !== undefined) throw badRequest("writes to compound fields are not supported");
  if (ctx.param("query") !== undefined) throw badRequest("query updates are not supported by this server");

  const appendRaw = ctx.param("append") ?? body.append;
  if (appendRaw !== undefined) {
    const appendDim = Number(ctx.param("append_dim") ?? body.append_dim ?? 0);
    source = await deps.chunks(dom, await appendRows(dom, id, Number(appendRaw), appendDim));
  }
  const view = source.view;
  let sel: Selection;
  let valueShape: number[];
  if (body.points !== undefined) {
    sel = selectionOrBadRequest(() => parsePoints(body.points, view.dims));
    valueShape = [selectionCount(sel)];
  } else if (appendRaw !== undefined) {
    const appendDim = Number(ctx.param("append_dim") ?? body.append_dim ?? 0);
    const n = Number(appendRaw);
    sel = view.dims.map((d, i) => (i === appendDim ? { kind: "slice", start: d - n, stop: d, step: 1 } : { kind: "slice", start: 0, stop: d, step: 1 }));
    valueShape = selectionShape(sel);
  } else {
    sel = requestSelection(ctx, view, body);
    valueShape = view.isScalar ? [] : selectionShape(sel);
  }
  const count = selectionCount(sel);
  if (count === 0) throw badRequest("Empty selection");
  const elementCountRaw = ctx.param("element_count") ?? body.element_count;
  const broadcast = elementCountRaw === undefined ? undefined : Number(elementCountRaw);
  if (broadcast !== undefined && (!Number.isSafeInteger(broadcast) || broadcast < 1)) throw badRequest("Invalid element_count");
  const bytes = binaryBody
    ? (ctx.req.body ?? new Uint8Array(0))
    : jsonValueBytes(view, body, broadcast !== undefined && broadcast !== count ? [broadcast] : valueShape);
  await writeSelection(source, sel, elementData(view, bytes, count, broadcast));
  return json(200, {});
}

/** Grow dimension `dim` of an extensible dataset by n (PUT value?append=n). */
async function appendRows(dom: OpenDomain, id: string, n: number, dim: number): Promise<string> {
  if (!Number.isSafeInteger(n) || n <= 0) throw badRequest("Invalid append value");
  await dom.meta.updateObject<DatasetDoc>(id, (doc) => {
    if (doc.shape.class !== "H5S_SIMPLE" || !doc.shape.maxdims) throw badRequest("dataset is not extensible");
    const dims = doc.shape.dims;
    if (!Number.isSafeInteger(dim) || dim < 0 || dim >= dims.length) throw badRequest("Invalid append_dim");
    const max = doc.shape.maxdims[dim];
    const next = dims[dim]! + n;
    if (max !== 0 && max !== "H5S_UNLIMITED" && next > max!) throw conflict("Extent can not be increased beyond maxdims");
    doc.shape = { ...doc.shape, dims: dims.map((d, i) => (i === dim ? next : d)) };
    return doc;
  });
  return id;
}


// Attributes of groups, datasets and committed datatypes: list, get, put (single and batch),
// batch read, delete, and the .../value sub-resource.
import type { HsResponse } from "../../client/transport.js";
import { isVariableLength, itemSize, type HsdsType } from "../../model/datatype.js";
import { nonFiniteToNull, stringifyJson, type JsonValue } from "../../model/json.js";
import { decodeBase64, decodeValues, encodeBase64, encodeValues, ValueError } from "../../model/values.js";
import type { OpenDomain, RequestContext } from "../context.js";
import { now, type AttributeItem, type ObjectDoc, type ShapeJson } from "../documents.js";
import { globMatcher } from "../glob.js";
import { Hrefs } from "../hrefs.js";
import { badRequest, conflict, notFound } from "../http-error.js";
import type { ObjectClass } from "../ids.js";
import { binary, json } from "../responses.js";
import { dimsOf, parseShape } from "../shape.js";
import { typeFromBody } from "./datasets.js";

function valueShape(shape: ShapeJson): number[] {
  return dimsOf(shape);
}

type StoredValue = Pick<AttributeItem, "value" | "encoding">;

/**
 * Check a value against its type and shape and return it as HSDS stores it: JSON after numpy's
 * round trip, or — when the bytes cannot be JSON (text that is not UTF-8) — base64 with
 * `encoding: "base64"`, as HSDS keeps such attributes.
 */
function storedValue(type: HsdsType, shape: ShapeJson, raw: unknown, encoding: unknown): StoredValue {
  if (shape.class === "H5S_NULL" || raw === undefined || raw === null) return { value: null };
  let bytes: Uint8Array;
  try {
    bytes = encoding === "base64" ? decodeBase64(String(raw)) : encodeValues(raw, type, valueShape(shape));
    // Decoding checks the byte count against type and shape, also for base64 input.
    return { value: decodeValues(bytes, type, valueShape(shape)) };
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    if (encoding === "base64" && !isVariableLength(type) && decodeBase64(String(raw)).length === itemBytes(type, shape)) {
      return { value: String(raw), encoding: "base64" };
    }
    throw badRequest(`Invalid attribute value: ${err.message}`);
  }
}

function itemBytes(type: HsdsType, shape: ShapeJson): number {
  return (itemSize(type) as number) * valueShape(shape).reduce((n, d) => n * d, 1);
}

/** The attribute's value in binary form, whichever way it is stored. */
function valueBytes(item: AttributeItem): Uint8Array {
  if (item.encoding === "base64") return decodeBase64(String(item.value));
  return encodeValues(item.value, item.type as unknown as HsdsType, valueShape(item.shape));
}

async function attributeFromBody(ctx: RequestContext, dom: OpenDomain, body: Record<string, unknown>): Promise<Omit<AttributeItem, "created">> {
  if (body.type === undefined) throw badRequest("attribute type not specified");
  const type = await typeFromBody(ctx, dom, body.type);
  const shape = parseShape(body.shape);
  if (shape.class === "H5S_SIMPLE") delete shape.maxdims;
  return { type: type as unknown as Record<string, unknown>, shape, ...storedValue(type, shape, body.value, body.encoding) };
}

function sameAttribute(a: Omit<AttributeItem, "created">, b: Omit<AttributeItem, "created">): boolean {
  return stringifyJson([a.type, a.shape, a.value ?? null, a.encoding ?? null]) === stringifyJson([b.type, b.shape, b.value ?? null, b.encoding ?? null]);
}

interface AttrOptions {
  includeData: boolean;
  maxDataSize?: number;
  base64: boolean;
  ignoreNaN: boolean;
}

function attrOptions(ctx: RequestContext, includeDefault: boolean): AttrOptions {
  const raw = ctx.param("IncludeData");
  return {
    includeData: raw === undefined ? includeDefault : ctx.flag("IncludeData"),
    maxDataSize: ctx.intParam("max_data_size"),
    base64: ctx.param("encoding") === "base64",
    ignoreNaN: ctx.flag("ignore_nan"),
  };
}

function present(name: string, item: AttributeItem, opts: AttrOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { name, type: item.type, shape: item.shape };
  if (opts.includeData && item.shape.class !== "H5S_NULL") {
    const type = item.type as unknown as HsdsType;
    const bytes = () => valueBytes(item);
    if (opts.maxDataSize !== undefined && !isVariableLength(type) && bytes().length > opts.maxDataSize) {
      // Too big for this listing: the client fetches it on its own.
    } else if ((opts.base64 || item.encoding === "base64") && !isVariableLength(type)) {
      out.value = encodeBase64(bytes());
      out.encoding = "base64";
    } else {
      out.value = opts.ignoreNaN ? nonFiniteToNull((item.value ?? null) as JsonValue) : (item.value ?? null);
    }
  } else if (opts.includeData) {
    out.value = null;
  }
  out.created = item.created;
  return out;
}

async function objectOf(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass, pathId: string): Promise<{ id: string; doc: ObjectDoc }> {
  const id = ctx.objectId(pathId, cls, dom);
  const doc = await dom.meta.object(id);
  if (!doc) throw notFound();
  return { id, doc };
}

function sortedNames(ctx: RequestContext, attrs: Record<string, AttributeItem>): string[] {
  const names = Object.keys(attrs);
  if (ctx.flag("CreateOrder")) return names.sort((a, b) => attrs[a]!.created - attrs[b]!.created);
  return names.sort();
}

function pageNames(ctx: RequestContext, attrs: Record<string, AttributeItem>): string[] {
  let names = sortedNames(ctx, attrs);
  const pattern = ctx.param("pattern");
  if (pattern) names = names.filter(globMatcher(pattern));
  const marker = ctx.param("Marker");
  if (marker !== undefined) names = names.slice(names.indexOf(marker) + 1);
  const limit = ctx.intParam("Limit");
  return limit === undefined ? names : names.slice(0, limit);
}

export async function listAttributes(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass, pathId: string): Promise<HsResponse> {
  const { id, doc } = await objectOf(ctx, dom, cls, pathId);
  const opts = attrOptions(ctx, false);
  const hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path);
  const attributes = pageNames(ctx, doc.attributes).map((name) => {
    const { name: _n, ...rest } = present(name, doc.attributes[name]!, opts);
    return { ...rest, name, href: hrefs.url(`/${cls}/${id}/attributes/${encodeURIComponent(name)}`) };
  });
  return json(200, { attributes, hrefs: hrefs.of(["self", `/${cls}/${id}/attributes`], ["home", "/"], ["owner", `/${cls}/${id}`]) });
}

export async function getAttribute(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass, pathId: string, name: string): Promise<HsResponse> {
  const { id, doc } = await objectOf(ctx, dom, cls, pathId);
  const item = doc.attributes[name];
  if (!item) throw notFound();
  const hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path);
  const body = present(name, item, attrOptions(ctx, true));
  return json(200, {
    ...body,
    lastModified: item.created,
    hrefs: hrefs.of(["self", `/${cls}/${id}/attributes/${encodeURIComponent(name)}`], ["home", "/"], ["owner", `/${cls}/${id}`]),
  });
}

/** Apply attribute puts to one object: 201 if anything was written, 200 if all were identical. */
async function putInto(ctx: RequestContext, dom: OpenDomain, id: string, items: Record<string, Omit<AttributeItem, "created">>): Promise<201 | 200> {
  const replace = ctx.flag("replace");
  let status: 201 | 200 = 200;
  await dom.meta.updateObject<ObjectDoc>(id, (doc) => {
    for (const [name, item] of Object.entries(items)) {
      const existing = doc.attributes[name];
      if (existing && sameAttribute(existing, item)) continue;
      if (existing && !replace) throw conflict(`attribute ${name} already exists`);
      const timestamp = now();
      doc.attributes[name] = { ...item, created: existing?.created ?? timestamp };
      doc.lastModified = timestamp;
      status = 201;
    }
    return doc;
  });
  return status;
}

export async function putAttribute(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass, pathId: string, name: string): Promise<HsResponse> {
  const id = ctx.objectId(pathId, cls, dom);
  if (name === "") throw badRequest("Invalid attribute name");
  const item = await attributeFromBody(ctx, dom, ctx.body());
  return json(await putInto(ctx, dom, id, { [name]: item }), {});
}

export async function putAttributesBatch(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass, pathId: string | undefined): Promise<HsResponse> {
  const body = ctx.body();
  const parseAll = async (raw: unknown) => {
    if (!raw || typeof raw !== "object") throw badRequest("Invalid attributes");
    const out: Record<string, Omit<AttributeItem, "created">> = {};
    for (const [name, item] of Object.entries(raw as Record<string, unknown>)) {
      out[name] = await attributeFromBody(ctx, dom, item as Record<string, unknown>);
    }
    return out;
  };
  const perObject = new Map<string, Record<string, Omit<AttributeItem, "created">>>();
  if (Array.isArray(body.obj_ids)) {
    const items = await parseAll(body.attributes);
    for (const id of body.obj_ids) perObject.set(ctx.anyObjectId(String(id), dom).id, items);
  } else if (body.obj_ids && typeof body.obj_ids === "object") {
    for (const [id, spec] of Object.entries(body.obj_ids as Record<string, { attributes?: unknown }>)) {
      perObject.set(ctx.anyObjectId(id, dom).id, await parseAll(spec?.attributes));
    }
  } else {
    if (!pathId) throw badRequest("object id not specified");
    perObject.set(ctx.objectId(pathId, cls, dom), await parseAll(body.attributes));
  }
  let status: 201 | 200 = 200;
  for (const [id, items] of perObject) if ((await putInto(ctx, dom, id, items)) === 201) status = 201;
  return json(status, {});
}

export async function readAttributesBatch(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass, pathId: string | undefined): Promise<HsResponse> {
  const body = ctx.body();
  const opts = attrOptions(ctx, true);
  const pick = (doc: ObjectDoc, names: unknown) => {
    const wanted = names === undefined ? sortedNames(ctx, doc.attributes) : (names as unknown[]).map(String);
    if (!Array.isArray(wanted)) throw badRequest("Invalid attr_names");
    return wanted.map((name) => {
      const item = doc.attributes[name];
      if (!item) throw notFound(`attribute ${name} not found`);
      return present(name, item, opts);
    });
  };
  if (body.obj_ids !== undefined) {
    const entries: [string, unknown][] = Array.isArray(body.obj_ids)
      ? body.obj_ids.map((id) => [String(id), body.attr_names])
      : Object.entries(body.obj_ids as Record<string, unknown>);
    const out: Record<string, unknown[]> = {};
    for (const [rawId, names] of entries) {
      const { id } = ctx.anyObjectId(rawId, dom);
      const doc = await dom.meta.object(id);
      if (!doc) throw notFound();
      out[id] = pick(doc, names);
    }
    return json(200, { attributes: out });
  }
  if (!pathId) throw badRequest("object id not specified");
  const { doc } = await objectOf(ctx, dom, cls, pathId);
  return json(200, { attributes: pick(doc, body.attr_names) });
}

export async function deleteAttributes(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass, pathId: string, name: string | undefined): Promise<HsResponse> {
  const id = ctx.objectId(pathId, cls, dom);
  let names: string[];
  if (name !== undefined) names = [name];
  else {
    let raw = ctx.param("attr_names") ?? "";
    if (ctx.param("encoding") === "base64") raw = Buffer.from(raw, "base64").toString("utf8");
    names = raw.split(ctx.param("separator") ?? "/").filter((n) => n !== "");
    if (names.length === 0) throw badRequest("no attribute names given");
  }
  await dom.meta.updateObject<ObjectDoc>(id, (doc) => {
    if (name !== undefined && !doc.attributes[name]) throw notFound();
    for (const n of names) delete doc.attributes[n];
    doc.lastModified = now();
    return doc;
  });
  return json(200, {});
}

export async function getAttributeValue(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass, pathId: string, name: string): Promise<HsResponse> {
  const { id, doc } = await objectOf(ctx, dom, cls, pathId);
  const item = doc.attributes[name];
  if (!item) throw notFound();
  if (item.shape.class === "H5S_NULL") throw badRequest("Null space attributes have no value");
  const type = item.type as unknown as HsdsType;
  if (ctx.wantsBinary() && !isVariableLength(type)) return binary(valueBytes(item));
  const hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path);
  return json(200, { value: item.value ?? null, ...(item.encoding ? { encoding: item.encoding } : {}), hrefs: hrefs.of(["self", `/${cls}/${id}/attributes/${encodeURIComponent(name)}/value`], ["home", "/"], ["owner", `/${cls}/${id}`]) });
}

export async function putAttributeValue(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass, pathId: string, name: string): Promise<HsResponse> {
  const id = ctx.objectId(pathId, cls, dom);
  const binaryBody = ctx.isBinaryBody();
  const body = binaryBody ? {} : ctx.body();
  await dom.meta.updateObject<ObjectDoc>(id, (doc) => {
    const item = doc.attributes[name];
    if (!item) throw notFound();
    const type = item.type as unknown as HsdsType;
    const { encoding: _old, ...rest } = item;
    const value = binaryBody
      ? storedValue(type, item.shape, encodeBase64(ctx.req.body ?? new Uint8Array(0)), "base64")
      : storedValue(type, item.shape, body.value, body.encoding);
    doc.attributes[name] = { ...rest, ...value };
    doc.lastModified = now();
    return doc;
  });
  return json(200, {});
}

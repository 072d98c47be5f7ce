// The JSON HSDS answers for a group, dataset or committed datatype.
import type { OpenDomain, RequestContext } from "../context.js";
import type { DatasetDoc, DatatypeDoc, GroupDoc, ObjectDoc, ShapeJson } from "../documents.js";
import { Hrefs } from "../hrefs.js";
import type { ObjectClass } from "../ids.js";

export interface ObjectJsonOptions {
  includeLinks?: boolean;
  includeAttrs?: boolean;
  /** As in getobjs' domain_objs: no domain, bucket or hrefs. */
  bare?: boolean;
}

export function objectJson(
  ctx: RequestContext,
  dom: OpenDomain,
  cls: ObjectClass,
  doc: ObjectDoc,
  opts: ObjectJsonOptions = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: doc.id, root: doc.root };
  if (cls === "groups") {
    const group = doc as GroupDoc;
    out.created = doc.created;
    out.lastModified = doc.lastModified;
    out.linkCount = Object.keys(group.links).length;
    out.attributeCount = Object.keys(doc.attributes).length;
    if (group.creationProperties) out.creationProperties = group.creationProperties;
    if (opts.includeLinks) out.links = group.links;
  } else if (cls === "datasets") {
    const dset = doc as DatasetDoc;
    out.shape = dset.shape;
    out.type = dset.type;
    out.creationProperties = dset.creationProperties ?? {};
    if (dset.layout) out.layout = dset.layout;
    out.attributeCount = Object.keys(doc.attributes).length;
    out.created = doc.created;
    out.lastModified = doc.lastModified;
  } else {
    out.type = (doc as DatatypeDoc).type;
    out.attributeCount = Object.keys(doc.attributes).length;
    out.created = doc.created;
    out.lastModified = doc.lastModified;
  }
  if (opts.includeAttrs) out.attributes = doc.attributes;
  if (opts.bare) return out;
  out.domain = dom.name.path;
  if (cls === "groups") out.bucket = dom.name.bucket;
  const hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path);
  out.hrefs = hrefs.forObject(cls, doc.id, dom.rootId);
  if (cls === "datasets") {
    const valueLink = datasetValueHref((doc as DatasetDoc).shape, hrefs, `/datasets/${doc.id}/value`);
    if (valueLink) (out.hrefs as unknown[]).push(valueLink);
  }
  return out;
}

const PREVIEW_ELEMENTS = 100;

/** HSDS links small datasets' whole value ("data") and a ~100-element corner of larger ones ("preview"). */
function datasetValueHref(shape: ShapeJson, hrefs: Hrefs, path: string) {
  if (shape.class === "H5S_NULL") return undefined;
  const dims = shape.class === "H5S_SIMPLE" ? shape.dims : [];
  if (dims.reduce((n, d) => n * d, 1) <= PREVIEW_ELEMENTS) return { rel: "data", href: hrefs.url(path) };
  const rank = dims.length;
  let cols = Math.min(dims[rank - 1]!, PREVIEW_ELEMENTS);
  let rows = Math.min(rank > 1 ? dims[rank - 2]! : 1, PREVIEW_ELEMENTS);
  if (rows * cols > PREVIEW_ELEMENTS) {
    if (rows > cols) rows = Math.floor(PREVIEW_ELEMENTS / cols);
    else cols = Math.floor(PREVIEW_ELEMENTS / rows);
  }
  const extents = dims.map((_, i) => (i === rank - 1 ? cols : i === rank - 2 ? rows : 1));
  return { rel: "preview", href: hrefs.url(path, undefined, `&select=[${extents.map((e) => `0:${e}`).join(",")}]`) };
}

/** The 201 answer to POST /datasets and POST /datatypes: the new object's essentials. */
export function createdJson(ctx: RequestContext, dom: OpenDomain, cls: "datasets" | "datatypes", doc: DatasetDoc | DatatypeDoc): Record<string, unknown> {
  const out: Record<string, unknown> = { id: doc.id, root: dom.rootId, created: doc.created, lastModified: doc.lastModified, type: doc.type };
  if (cls === "datasets") out.shape = (doc as DatasetDoc).shape;
  out.attributeCount = 0;
  out.hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path).forObject(cls, doc.id, dom.rootId);
  return out;
}

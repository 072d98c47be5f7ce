// /groups: create, get (by id or h5path), list and delete groups.
import type { HsResponse } from "../../client/transport.js";
import type { OpenDomain, RequestContext } from "../context.js";
import { Hrefs } from "../hrefs.js";
import { badRequest, forbidden, notFound } from "../http-error.js";
import { objectKey, type ObjectClass } from "../ids.js";
import { resolvePath, walkDomain } from "../paths.js";
import { json } from "../responses.js";
import { createFromRequest } from "./new-object.js";
import { objectJson } from "./objects.js";

export async function createGroup(ctx: RequestContext, dom: OpenDomain): Promise<HsResponse> {
  const body = ctx.body();
  const fields: Record<string, unknown> = { links: {} };
  if (body.creationProperties !== undefined) {
    if (typeof body.creationProperties !== "object" || body.creationProperties === null) throw badRequest("Invalid creationProperties");
    fields.creationProperties = body.creationProperties;
  }
  const id = await createFromRequest(ctx, dom, "groups", body, fields);
  const doc = await dom.meta.group(id);
  const { domain: _d, bucket: _b, ...created } = objectJson(ctx, dom, "groups", doc);
  return json(201, created);
}

/** GET /{collection}/{id} and GET /{collection}/?h5path=...: one object's JSON. */
export async function getObject(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass, pathId: string | undefined): Promise<HsResponse> {
  const h5path = ctx.param("h5path");
  let id: string;
  let doc;
  if (h5path !== undefined) {
    const start = pathId ? ctx.objectId(pathId, "groups", dom) : (ctx.param("grpid") ?? dom.rootId);
    const found = await resolvePath(dom.meta, dom.rootId, start, h5path, { followSoftLinks: true });
    if (found.cls !== cls) throw badRequest(`${h5path} is not a ${cls.slice(0, -1)}`);
    ({ id, doc } = found);
  } else {
    if (!pathId) throw badRequest("object id not specified");
    id = ctx.objectId(pathId, cls, dom);
    doc = await dom.meta.object(id);
    if (!doc) throw notFound();
  }
  const body = objectJson(ctx, dom, cls, doc, { includeLinks: ctx.flag("include_links"), includeAttrs: ctx.flag("include_attrs") });
  if (ctx.flag("getalias")) {
    const objects = await walkDomain(dom.meta, dom.rootId);
    body.alias = objects.paths.get(id) ?? [];
  }
  return json(200, body);
}

/** GET /groups, /datasets, /datatypes: ids of the objects reachable from the root. */
export async function listObjects(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass): Promise<HsResponse> {
  const objects = await walkDomain(dom.meta, dom.rootId);
  let ids = [...objects[cls].keys()].filter((id) => id !== dom.rootId);
  const marker = ctx.param("Marker");
  if (marker) ids = ids.slice(ids.indexOf(marker) + 1);
  const limit = ctx.intParam("Limit");
  if (limit !== undefined) ids = ids.slice(0, limit);
  const hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path);
  return json(200, { [cls]: ids, hrefs: hrefs.of(["self", `/${cls}`], ["root", `/groups/${dom.rootId}`], ["home", "/"]) });
}

export async function deleteObject(ctx: RequestContext, dom: OpenDomain, cls: ObjectClass, pathId: string, cleanup?: (id: string) => Promise<void>): Promise<HsResponse> {
  const id = ctx.objectId(pathId, cls, dom);
  if (id === dom.rootId) throw forbidden();
  if (!(await dom.meta.object(id))) throw notFound();
  await cleanup?.(id);
  await dom.meta.store.delete(objectKey(id));
  return json(200, {});
}

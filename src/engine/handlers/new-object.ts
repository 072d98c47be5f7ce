// Creating a group, dataset or committed datatype and linking it where the request says, the same
// way for all three (POST body `link: {id, name}`, or `h5path` relative to `parent_id`).
import type { OpenDomain, RequestContext } from "../context.js";
import { now, type GroupDoc, type LinkItem, type ObjectDoc } from "../documents.js";
import { badRequest, conflict, HttpError, notFound } from "../http-error.js";
import { newObjectId, objectKey, type ObjectClass } from "../ids.js";

interface LinkTarget {
  parentId: string;
  name: string;
}

function validLinkName(name: unknown): string {
  if (typeof name !== "string" || name === "" || name.includes("/")) throw badRequest(`Invalid link name: ${String(name)}`);
  return name;
}

/** Where the new object is to be linked, creating intermediate groups when `implicit` allows. */
async function linkTarget(ctx: RequestContext, dom: OpenDomain, body: Record<string, unknown>): Promise<LinkTarget | undefined> {
  const link = body.link as { id?: unknown; name?: unknown } | undefined;
  if (link !== undefined) {
    if (typeof link !== "object" || typeof link.id !== "string") throw badRequest("Invalid link");
    return { parentId: ctx.objectId(link.id, "groups", dom), name: validLinkName(link.name) };
  }
  if (body.h5path === undefined) return undefined;
  if (typeof body.h5path !== "string") throw badRequest("Invalid h5path");
  const names = body.h5path.split("/").filter((n) => n !== "");
  if (names.length === 0) throw badRequest("Invalid h5path");
  let parentId = body.h5path.startsWith("/")
    ? dom.rootId
    : typeof body.parent_id === "string"
      ? ctx.objectId(body.parent_id, "groups", dom)
      : dom.rootId;
  for (const name of names.slice(0, -1)) {
    const group = await dom.meta.group(parentId);
    const item = group.links[name];
    if (item) {
      if (item.class !== "H5L_TYPE_HARD" || !item.id?.startsWith("g-")) throw badRequest(`${name} in ${body.h5path} is not a group`);
      parentId = item.id;
    } else if (ctx.flag("implicit")) {
      parentId = await createObject(dom, "groups", {}, { parentId, name });
    } else {
      throw notFound(`${name} in ${body.h5path} not found`);
    }
  }
  return { parentId, name: validLinkName(names.at(-1)) };
}

/** Add `item` as link `name` of group `groupId`: 201 new, 200 identical, 409 different. */
export async function addLink(dom: OpenDomain, groupId: string, name: string, item: Omit<LinkItem, "created">): Promise<201 | 200> {
  let status: 201 | 200 = 201;
  await dom.meta.updateObject<GroupDoc>(groupId, (group) => {
    const existing = group.links[name];
    if (existing) {
      if (sameLink(existing, item)) {
        status = 200;
        return group;
      }
      throw conflict(`link ${name} already exists`);
    }
    const timestamp = now();
    group.links[name] = { ...item, created: timestamp };
    group.lastModified = timestamp;
    return group;
  });
  return status;
}

export function sameLink(a: Omit<LinkItem, "created">, b: Omit<LinkItem, "created">): boolean {
  return a.class === b.class && a.id === b.id && a.h5path === b.h5path && a.h5domain === b.h5domain;
}

/** Write the object's document and link it; on a link conflict the new object is removed again. */
export async function createObject(
  dom: OpenDomain,
  cls: ObjectClass,
  fields: Partial<ObjectDoc> & Record<string, unknown>,
  target: LinkTarget | undefined,
): Promise<string> {
  const id = newObjectId(cls, dom.rootId);
  const timestamp = now();
  const doc = { id, root: dom.rootId, created: timestamp, lastModified: timestamp, attributes: {}, ...fields };
  if (cls === "groups" && !("links" in doc)) (doc as Record<string, unknown>).links = {};
  if (target) {
    const parent = await dom.meta.group(target.parentId);
    if (parent.links[target.name]) throw conflict(`link ${target.name} already exists`);
  }
  await dom.meta.write(objectKey(id), doc);
  if (target) {
    try {
      const status = await addLink(dom, target.parentId, target.name, { class: "H5L_TYPE_HARD", id });
      if (status === 200) throw conflict(`link ${target.name} already exists`);
    } catch (err) {
      await dom.meta.store.delete(objectKey(id));
      throw err instanceof HttpError ? err : new HttpError(500, (err as Error).message);
    }
  }
  return id;
}

export async function createFromRequest(
  ctx: RequestContext,
  dom: OpenDomain,
  cls: ObjectClass,
  body: Record<string, unknown>,
  fields: Record<string, unknown>,
): Promise<string> {
  return createObject(dom, cls, fields, await linkTarget(ctx, dom, body));
}

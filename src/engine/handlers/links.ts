// /groups/{id}/links: list, get, put (single and batch), batch read, delete (single and batch).
import type { HsResponse } from "../../client/transport.js";
import type { OpenDomain, RequestContext } from "../context.js";
import { now, type GroupDoc, type LinkItem } from "../documents.js";
import { globMatcher } from "../glob.js";
import { Hrefs } from "../hrefs.js";
import { badRequest, conflict, HttpError, notFound } from "../http-error.js";
import { belongsToRoot, classOfId, isValidId } from "../ids.js";
import { json } from "../responses.js";
import { sameLink } from "./new-object.js";

type LinkBody = Omit<LinkItem, "created">;

/** A link as the client sent it, checked: hard links must point into this domain at an existing object. */
async function parseLinkBody(dom: OpenDomain, raw: unknown): Promise<LinkBody> {
  const body = raw as Record<string, unknown> | null;
  if (!body || typeof body !== "object") throw badRequest("Invalid link body");
  if (typeof body.id === "string") {
    if (!isValidId(body.id) || !belongsToRoot(body.id, dom.rootId)) throw badRequest(`Invalid link target id: ${body.id}`);
    if (!(await dom.meta.object(body.id))) throw badRequest(`link target ${body.id} not found`);
    return { class: "H5L_TYPE_HARD", id: body.id };
  }
  if (typeof body.h5path === "string") {
    const h5domain = body.h5domain ?? body.domain;
    if (h5domain !== undefined) {
      if (typeof h5domain !== "string") throw badRequest("Invalid h5domain");
      return { class: "H5L_TYPE_EXTERNAL", h5path: body.h5path, h5domain };
    }
    return { class: "H5L_TYPE_SOFT", h5path: body.h5path };
  }
  throw badRequest("link needs id or h5path");
}

const COLLECTION: Record<string, string> = { groups: "groups", datasets: "datasets", datatypes: "datatypes" };

function linkSummary(title: string, item: LinkItem): Record<string, unknown> {
  const out: Record<string, unknown> = { title, class: item.class };
  if (item.id) {
    out.id = item.id;
    out.collection = COLLECTION[classOfId(item.id) ?? "groups"];
  }
  if (item.h5path !== undefined) out.h5path = item.h5path;
  if (item.h5domain !== undefined) out.h5domain = item.h5domain;
  return out;
}

function listItem(ctx: RequestContext, dom: OpenDomain, groupId: string, title: string, item: LinkItem, withHrefs: boolean) {
  const out: Record<string, unknown> = { ...item, title };
  if (!withHrefs) return out;
  const hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path);
  if (item.id) {
    const collection = COLLECTION[classOfId(item.id) ?? "groups"]!;
    out.collection = collection;
    out.target = hrefs.url(`/${collection}/${item.id}`);
  }
  out.href = hrefs.url(`/groups/${groupId}/links/${encodeURIComponent(title)}`);
  return out;
}

function sortedTitles(ctx: RequestContext, group: GroupDoc): string[] {
  const titles = Object.keys(group.links);
  if (ctx.flag("CreateOrder")) return titles.sort((a, b) => group.links[a]!.created - group.links[b]!.created);
  return titles.sort();
}

function pagedTitles(ctx: RequestContext, group: GroupDoc): string[] {
  let titles = sortedTitles(ctx, group);
  const pattern = ctx.param("pattern");
  if (pattern) {
    titles = titles.filter(globMatcher(pattern));
  }
  const marker = ctx.param("Marker");
  if (marker !== undefined) {
    const at = titles.indexOf(marker);
    if (at < 0) throw notFound(`marker ${marker} not found`);
    titles = titles.slice(at + 1);
  }
  const limit = ctx.intParam("Limit");
  return limit === undefined ? titles : titles.slice(0, limit);
}

export async function listLinks(ctx: RequestContext, dom: OpenDomain, pathId: string): Promise<HsResponse> {
  const groupId = ctx.objectId(pathId, "groups", dom);
  const hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path).of(["self", `/groups/${groupId}/links`], ["home", "/"], ["owner", `/groups/${groupId}`]);
  if (ctx.flag("follow_links")) return json(200, { links: await linksRecursive(ctx, dom, groupId), hrefs });
  const group = await dom.meta.group(groupId);
  const links = pagedTitles(ctx, group).map((t) => listItem(ctx, dom, groupId, t, group.links[t]!, true));
  return json(200, { links, hrefs });
}

async function linksRecursive(ctx: RequestContext, dom: OpenDomain, startId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const queue = [startId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (out[id]) continue;
    const group = await dom.meta.group(id);
    out[id] = pagedTitles(ctx, group).map((t) => listItem(ctx, dom, id, t, group.links[t]!, false));
    for (const item of Object.values(group.links)) {
      if (item.class === "H5L_TYPE_HARD" && item.id?.startsWith("g-") && !out[item.id]) queue.push(item.id);
    }
  }
  return out;
}

export async function getLink(ctx: RequestContext, dom: OpenDomain, pathId: string, title: string): Promise<HsResponse> {
  const groupId = ctx.objectId(pathId, "groups", dom);
  const group = await dom.meta.group(groupId);
  const item = group.links[title];
  if (!item) throw notFound();
  const hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path);
  const pairs: [string, string][] = [["self", `/groups/${groupId}/links/${encodeURIComponent(title)}`], ["home", "/"], ["owner", `/groups/${groupId}`]];
  if (item.id) pairs.push(["target", `/${COLLECTION[classOfId(item.id) ?? "groups"]}/${item.id}`]);
  return json(200, { link: linkSummary(title, item), created: item.created, lastModified: item.created, hrefs: hrefs.of(...pairs) });
}

export async function putLink(ctx: RequestContext, dom: OpenDomain, pathId: string, title: string): Promise<HsResponse> {
  const groupId = ctx.objectId(pathId, "groups", dom);
  if (title === "" || title.includes("/")) throw badRequest(`Invalid link name: ${title}`);
  const item = await parseLinkBody(dom, ctx.body());
  const status = await putLinksInto(dom, groupId, { [title]: item });
  return json(status, {});
}

/** All of `links` or nothing: 409 if any name holds a different link, 200 if all were already there. */
async function putLinksInto(dom: OpenDomain, groupId: string, links: Record<string, LinkBody>): Promise<201 | 200> {
  let status: 201 | 200 = 200;
  await dom.meta.updateObject<GroupDoc>(groupId, (group) => {
    for (const [title, item] of Object.entries(links)) {
      const existing = group.links[title];
      if (existing && !sameLink(existing, item)) throw conflict(`link ${title} already exists`);
    }
    const timestamp = now();
    for (const [title, item] of Object.entries(links)) {
      if (group.links[title]) continue;
      group.links[title] = { ...item, created: timestamp };
      status = 201;
    }
    if (status === 201) group.lastModified = timestamp;
    return group;
  });
  return status;
}

export async function putLinksBatch(ctx: RequestContext, dom: OpenDomain, pathId: string | undefined): Promise<HsResponse> {
  const body = ctx.body();
  const perGroup = new Map<string, Record<string, LinkBody>>();
  const parseAll = async (raw: unknown) => {
    if (!raw || typeof raw !== "object") throw badRequest("Invalid links");
    const out: Record<string, LinkBody> = {};
    for (const [title, item] of Object.entries(raw as Record<string, unknown>)) {
      if (title === "" || title.includes("/")) throw badRequest(`Invalid link name: ${title}`);
      out[title] = await parseLinkBody(dom, item);
    }
    return out;
  };
  if (Array.isArray(body.grp_ids)) {
    const links = await parseAll(body.links);
    for (const id of body.grp_ids) perGroup.set(ctx.objectId(String(id), "groups", dom), links);
  } else if (body.grp_ids && typeof body.grp_ids === "object") {
    for (const [id, spec] of Object.entries(body.grp_ids as Record<string, { links?: unknown }>)) {
      perGroup.set(ctx.objectId(id, "groups", dom), await parseAll(spec?.links));
    }
  } else {
    if (!pathId) throw badRequest("group id not specified");
    perGroup.set(ctx.objectId(pathId, "groups", dom), await parseAll(body.links));
  }
  let status: 201 | 200 = 200;
  for (const [groupId, links] of perGroup) {
    if ((await putLinksInto(dom, groupId, links)) === 201) status = 201;
  }
  return json(status, {});
}

export async function readLinksBatch(ctx: RequestContext, dom: OpenDomain, pathId: string | undefined): Promise<HsResponse> {
  const body = ctx.body();
  const pick = (groupId: string, group: GroupDoc, titles: unknown) => {
    if (titles === undefined) return pagedTitles(ctx, group).map((t) => listItem(ctx, dom, groupId, t, group.links[t]!, true));
    if (!Array.isArray(titles)) throw badRequest("Invalid titles");
    return titles.map((t) => {
      const item = group.links[String(t)];
      if (!item) throw notFound(`link ${String(t)} not found`);
      return listItem(ctx, dom, groupId, String(t), item, true);
    });
  };
  if (body.grp_ids !== undefined) {
    const out: Record<string, unknown[]> = {};
    const entries: [string, unknown][] = Array.isArray(body.grp_ids)
      ? body.grp_ids.map((id) => [String(id), body.titles])
      : Object.entries(body.grp_ids as Record<string, unknown>);
    for (const [id, titles] of entries) {
      const groupId = ctx.objectId(id, "groups", dom);
      out[groupId] = pick(groupId, await dom.meta.group(groupId), titles);
    }
    return json(200, { links: out });
  }
  if (!pathId) throw badRequest("group id not specified");
  const groupId = ctx.objectId(pathId, "groups", dom);
  return json(200, { links: pick(groupId, await dom.meta.group(groupId), body.titles) });
}

export async function deleteLinks(ctx: RequestContext, dom: OpenDomain, pathId: string, title: string | undefined): Promise<HsResponse> {
  const groupId = ctx.objectId(pathId, "groups", dom);
  const titles = title !== undefined ? [title] : (ctx.param("titles") ?? "").split(ctx.param("separator") ?? "/").filter((t) => t !== "");
  if (titles.length === 0) throw badRequest("no link titles given");
  await dom.meta.updateObject<GroupDoc>(groupId, (group) => {
    if (title !== undefined && !group.links[title]) throw new HttpError(404);
    for (const t of titles) delete group.links[t];
    group.lastModified = now();
    return group;
  });
  return json(200, {});
}

// GET/PUT/DELETE / (domains and folders) and GET /domains (folder listings).
import type { HsResponse } from "../../client/transport.js";
import { HSDS_COMPRESSORS } from "../../codecs/filters.js";
import { initialAcls, requirePermission } from "../acl.js";
import type { RequestContext } from "../context.js";
import { now, type DomainDoc, type GroupDoc } from "../documents.js";
import { baseName, domainKey, parentOf, type DomainName } from "../domain-name.js";
import { globMatcher } from "../glob.js";
import { Hrefs } from "../hrefs.js";
import { badRequest, conflict, forbidden, HttpError } from "../http-error.js";
import { domainPrefix, isV2, newRootId, objectKey } from "../ids.js";
import type { MetadataStore } from "../metadata.js";
import { resolvePath, walkDomain } from "../paths.js";
import { json, noContent } from "../responses.js";
import type { DomainStats } from "../stats.js";
import { objectJson } from "./objects.js";

export const HSDS_VERSION = "0.9.4";
const GETOBJS_LIMIT = 500;

function domainHrefs(ctx: RequestContext, name: DomainName, doc: DomainDoc, withHome = false) {
  const hrefs = new Hrefs(ctx.settings.hrefBase, name.path);
  const parent = parentOf(name.path);
  const parentHref = { rel: "parent", href: `${ctx.settings.hrefBase}/?domain=${name.bucket}${parent === "/" ? "" : parent}` };
  if (!doc.root) {
    return [
      ...hrefs.of(["self", "/"]),
      { rel: "domains", href: hrefs.url("/domains", `${name.path}/`) },
      ...hrefs.of(["acls", "/acls"]),
      parentHref,
    ];
  }
  return [
    ...hrefs.of(["self", "/"], ["database", "/datasets"], ["groupbase", "/groups"], ["typebase", "/datatypes"],
      ["root", `/groups/${doc.root}`], ...(withHome ? [["home", "/"] as [string, string]] : []), ["acls", "/acls"]),
    parentHref,
  ];
}

/** The body of GET / for a domain or folder, without verbose statistics. */
function domainBody(ctx: RequestContext, doc: DomainDoc): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (doc.root) body.root = doc.root;
  body.class = doc.root ? "domain" : "folder";
  body.owner = doc.owner;
  body.created = doc.created;
  if (doc.root) {
    body.limits = ctx.settings.limits;
    body.compressors = HSDS_COMPRESSORS;
    body.version = HSDS_VERSION;
  }
  body.lastModified = doc.lastModified;
  return body;
}

/** The verbose fields of a domain; total_size counts the stored domain document, as HSDS does. */
async function statsFields(meta: MetadataStore, path: string, stats: DomainStats): Promise<Record<string, unknown>> {
  const info = stats.info;
  const domainJsonSize = (await meta.store.get(domainKey(path)))?.length ?? 0;
  return {
    scan_info: info,
    num_groups: info.num_groups,
    num_datasets: Object.keys(info.datasets).length,
    num_datatypes: info.num_datatypes,
    num_objects: info.num_groups + Object.keys(info.datasets).length + info.num_datatypes + info.num_chunks,
    total_size: domainJsonSize + info.allocated_bytes + info.linked_bytes + info.metadata_bytes,
    allocated_bytes: info.allocated_bytes,
    metadata_bytes: info.metadata_bytes,
    linked_bytes: info.linked_bytes,
    num_chunks: info.num_chunks,
    num_linked_chunks: info.num_linked_chunks,
    ...(info.md5_sum ? { md5_sum: info.md5_sum } : {}),
  };
}

export interface DomainHandlerDeps {
  stats(meta: MetadataStore, bucket: string, rootId: string): Promise<DomainStats>;
  markChanged(meta: MetadataStore, bucket: string, rootId: string): void;
  flushDomain(meta: MetadataStore, bucket: string, rootId: string): Promise<void>;
  rescanDomain(meta: MetadataStore, bucket: string, rootId: string): Promise<void>;
}

export async function getDomain(ctx: RequestContext, deps: DomainHandlerDeps): Promise<HsResponse> {
  if (ctx.domainParam() === undefined) return listTopLevel(ctx, deps);
  const name = ctx.domainName();
  if (name.path === "/") return listTopLevel(ctx, deps);
  const meta = ctx.metaFor(name.bucket);
  const doc = await meta.domain(name.path);
  if (!doc) throw new HttpError(404);
  requirePermission(doc, ctx.principal, "read");

  const h5path = ctx.param("h5path");
  if (h5path !== undefined) {
    if (!doc.root) throw badRequest("Domain is a folder");
    const start = ctx.param("parent_id") ?? doc.root;
    const found = await resolvePath(meta, doc.root, start, h5path, { followSoftLinks: ctx.flag("follow_soft_links") });
    const dom = { name, doc, rootId: doc.root, meta };
    const body = objectJson(ctx, dom, found.cls, found.doc, {
      includeLinks: ctx.flag("include_links"),
      includeAttrs: ctx.flag("include_attrs"),
    });
    return json(200, { ...body, class: found.cls.slice(0, -1), hrefs: domainHrefs(ctx, name, doc, true) });
  }

  let body = domainBody(ctx, doc);
  if (doc.root && ctx.flag("verbose") && isV2(doc.root)) {
    const stats = await deps.stats(meta, name.bucket, doc.root);
    body = { ...body, ...(await statsFields(meta, name.path, stats)), lastModified: Math.max(doc.lastModified, stats.info.lastModified) };
  }
  if (ctx.flag("getdnids")) body.dn_ids = [];
  if (doc.root && ctx.flag("getobjs")) {
    const objects = await walkDomain(meta, doc.root);
    const count = objects.groups.size + objects.datasets.size + objects.datatypes.size;
    if (count <= GETOBJS_LIMIT) {
      const dom = { name, doc, rootId: doc.root, meta };
      const includeAttrs = ctx.flag("include_attrs");
      const domainObjs: Record<string, unknown> = {};
      for (const [cls, docs] of [["groups", objects.groups], ["datasets", objects.datasets], ["datatypes", objects.datatypes]] as const) {
        for (const [id, objDoc] of docs) {
          domainObjs[id] = objectJson(ctx, dom, cls, objDoc, { includeLinks: true, includeAttrs, bare: true });
        }
      }
      body.domain_objs = domainObjs;
    }
  }
  body.hrefs = domainHrefs(ctx, name, doc);
  return json(200, body);
}

export async function putDomain(ctx: RequestContext, deps: DomainHandlerDeps): Promise<HsResponse> {
  const name = ctx.domainName();
  if (name.path === "/") throw badRequest("Invalid domain name");
  const meta = ctx.metaFor(name.bucket);
  const body = ctx.body();
  const flush = ctx.flag("flush") || Boolean(body.flush);
  const rescan = ctx.flag("rescan") || Boolean(body.rescan);
  if (flush || rescan) {
    const doc = await meta.domain(name.path);
    if (!doc) throw new HttpError(404);
    requirePermission(doc, ctx.principal, "update");
    if (doc.root) {
      if (rescan) {
        if (!isV2(doc.root)) throw badRequest("rescan is not supported for v1 domains");
        await deps.rescanDomain(meta, name.bucket, doc.root);
      } else {
        await deps.flushDomain(meta, name.bucket, doc.root);
      }
    }
    return ctx.flag("getdnids") || body.getdnids ? json(200, { dn_ids: [] }) : noContent();
  }
  return createDomain(ctx, meta, name, body);
}

async function createDomain(
  ctx: RequestContext,
  meta: MetadataStore,
  name: DomainName,
  body: Record<string, unknown>,
): Promise<HsResponse> {
  const who = ctx.principal;
  if (!who.authenticated) throw new HttpError(401);
  const parentPath = parentOf(name.path);
  let parent: DomainDoc | undefined;
  if (parentPath === "/") {
    if (!who.isAdmin) throw forbidden();
  } else {
    parent = await meta.domain(parentPath);
    if (!parent) throw new HttpError(404, "Parent domain not found");
    if (parent.root) throw badRequest("Parent domain must be a folder");
    requirePermission(parent, who, "create");
  }
  let owner = who.username;
  if (body.owner !== undefined) {
    if (typeof body.owner !== "string" || body.owner === "") throw badRequest("Invalid owner");
    if (!who.isAdmin && body.owner !== who.username) throw forbidden();
    owner = body.owner;
  }
  const isFolder = Boolean(body.folder);
  const timestamp = now();
  const doc: DomainDoc = {
    owner,
    acls: initialAcls(parent, owner, isFolder, ctx.settings.adminUsers, ctx.settings.defaultPublic),
    created: timestamp,
    lastModified: timestamp,
  };

  await meta.create(domainKey(name.path), async () => {
    // Root group first: a crash in between leaves an orphan group, never a domain without a root.
    if (!isFolder) doc.root = await createRoot(ctx, meta, name, body, timestamp);
    return doc;
  });
  return json(201, { ...domainBody(ctx, doc), hrefs: domainHrefs(ctx, name, doc) });
}

async function createRoot(
  ctx: RequestContext,
  meta: MetadataStore,
  name: DomainName,
  body: Record<string, unknown>,
  timestamp: number,
): Promise<string> {
  if (body.linked_domain !== undefined) {
    if (typeof body.linked_domain !== "string") throw badRequest("Invalid linked_domain");
    const linkedBucket = typeof body.linked_bucket === "string" ? body.linked_bucket : name.bucket;
    const linkedMeta = ctx.metaFor(linkedBucket);
    const linked = await linkedMeta.domain(body.linked_domain);
    if (!linked) throw new HttpError(404, "linked domain not found");
    if (!linked.root) throw badRequest("linked domain is a folder");
    requirePermission(linked, ctx.principal, "read");
    requirePermission(linked, ctx.principal, "delete");
    return linked.root;
  }
  const rootId = newRootId();
  const group: GroupDoc = { id: rootId, root: rootId, created: timestamp, lastModified: timestamp, links: {}, attributes: {} };
  const props = (body.group as { creationProperties?: Record<string, unknown> } | undefined)?.creationProperties;
  if (props && typeof props === "object") group.creationProperties = props;
  await meta.write(objectKey(rootId), group);
  return rootId;
}

export async function deleteDomain(ctx: RequestContext): Promise<HsResponse> {
  const name = ctx.domainName();
  if (name.path === "/") throw badRequest("Invalid domain name");
  const meta = ctx.metaFor(name.bucket);
  const doc = await meta.domain(name.path);
  if (!doc) throw new HttpError(404);
  requirePermission(doc, ctx.principal, "delete");
  if (parentOf(name.path) === "/" && !ctx.principal.isAdmin) throw forbidden();
  if (!doc.root) {
    const children = await meta.store.listFolders(`${name.path.slice(1)}/`);
    for (const child of children) {
      if (await meta.domain(`${name.path}/${child}`)) throw conflict("folder has sub-items");
    }
  }
  // The domain document goes first: once it is gone the domain is gone, whatever happens next.
  await meta.store.delete(domainKey(name.path));
  if (doc.root && !ctx.flag("keep_root") && !ctx.body().keep_root) await deleteObjects(meta, doc.root);
  return json(200, { domain: `${name.bucket}${name.path}` });
}

async function deleteObjects(meta: MetadataStore, rootId: string): Promise<void> {
  if (!isV2(rootId)) {
    await meta.store.delete(objectKey(rootId));
    return;
  }
  const keys: string[] = [];
  for await (const info of meta.store.list(domainPrefix(rootId))) keys.push(info.key);
  // Root group last: a half-finished delete still leaves a recognisable (orphaned) tree.
  keys.sort((a, b) => Number(a.endsWith("/.group.json") && a.split("/").length === 3) - Number(b.endsWith("/.group.json") && b.split("/").length === 3));
  for (const key of keys) await meta.store.delete(key);
}

export async function listDomains(ctx: RequestContext, deps: DomainHandlerDeps): Promise<HsResponse> {
  const raw = ctx.domainParam();
  const name = raw === undefined || raw === "/" ? { bucket: ctx.requestBucket(), path: "/" } : ctx.domainName({ folderListing: true });
  const meta = ctx.metaFor(name.bucket);
  if (name.path !== "/") {
    const folder = await meta.domain(name.path);
    if (!folder) throw new HttpError(404);
    requirePermission(folder, ctx.principal, "read");
    if (folder.root) throw badRequest("not a folder");
  }
  return json(200, { domains: await folderEntries(ctx, deps, meta, name), hrefs: [] });
}

async function listTopLevel(ctx: RequestContext, deps: DomainHandlerDeps): Promise<HsResponse> {
  const name = { bucket: ctx.requestBucket(), path: "/" };
  const domains = await folderEntries(ctx, deps, ctx.metaFor(name.bucket), name);
  return json(200, { domains, hrefs: new Hrefs(ctx.settings.hrefBase, "/").of(["self", "/"]) });
}

async function folderEntries(
  ctx: RequestContext,
  deps: DomainHandlerDeps,
  meta: MetadataStore,
  folder: DomainName,
): Promise<Record<string, unknown>[]> {
  const prefix = folder.path === "/" ? "" : `${folder.path.slice(1)}/`;
  const pattern = ctx.param("pattern");
  const matches = pattern ? globMatcher(pattern) : () => true;
  const limit = ctx.intParam("Limit");
  const marker = ctx.param("Marker");
  const verbose = ctx.flag("verbose");
  const out: Record<string, unknown>[] = [];
  let afterMarker = marker === undefined;
  for (const child of await meta.store.listFolders(prefix)) {
    const path = `${folder.path === "/" ? "" : folder.path}/${child}`;
    if (!afterMarker) {
      if (path === marker || child === marker || baseName(marker!) === child) afterMarker = true;
      continue;
    }
    if (!matches(child)) continue;
    if (limit !== undefined && out.length >= limit) break;
    const doc = await meta.domain(path);
    if (!doc) continue;
    let item = domainBody(ctx, doc);
    delete item.limits;
    delete item.compressors;
    delete item.version;
    if (verbose && doc.root && isV2(doc.root)) {
      const stats = await deps.stats(meta, folder.bucket, doc.root);
      item = { ...item, ...(await statsFields(meta, path, stats)), lastModified: Math.max(doc.lastModified, stats.info.lastModified) };
    }
    out.push({ ...item, name: path, hrefs: [{ rel: "domain", href: `${ctx.settings.hrefBase}/?domain=${path}` }] });
  }
  return out;
}

// Resolving HDF5 paths inside a domain and walking its object graph over hard links.
import type { DatasetDoc, DatatypeDoc, GroupDoc, LinkItem, ObjectDoc } from "./documents.js";
import { badRequest, notFound } from "./http-error.js";
import { classOfId, type ObjectClass } from "./ids.js";
import type { MetadataStore } from "./metadata.js";

export interface ResolvedObject {
  id: string;
  cls: ObjectClass;
  doc: ObjectDoc;
}

export interface ResolveOptions {
  followSoftLinks?: boolean;
}

const MAX_SOFT_LINK_HOPS = 64;

/**
 * Follow `h5path` from `startId` (absolute paths start at the root). Soft links are followed only
 * when asked (HSDS answers 400 otherwise); external links always stop the walk with a 400.
 */
export async function resolvePath(
  meta: MetadataStore,
  rootId: string,
  startId: string,
  h5path: string,
  opts: ResolveOptions = {},
  hops = 0,
): Promise<ResolvedObject> {
  let currentId = h5path.startsWith("/") ? rootId : startId;
  let doc: ObjectDoc = await meta.group(currentId);
  const names = h5path.split("/").filter((n) => n !== "" && n !== ".");
  for (const [i, name] of names.entries()) {
    const group = doc as GroupDoc;
    if (!group.links) throw badRequest(`${names.slice(0, i).join("/")} is not a group`);
    const link: LinkItem | undefined = group.links[name];
    if (!link) throw notFound(`${h5path} not found`);
    if (link.class === "H5L_TYPE_HARD" && link.id) {
      currentId = link.id;
      const next = await meta.object(currentId);
      if (!next) throw notFound(`${h5path} not found`);
      doc = next;
    } else if (link.class === "H5L_TYPE_SOFT" && opts.followSoftLinks) {
      if (hops >= MAX_SOFT_LINK_HOPS) throw badRequest(`too many soft links resolving ${h5path}`);
      // A relative target is relative to the group that holds the link.
      const resolved = await resolvePath(meta, rootId, currentId, link.h5path!, opts, hops + 1);
      currentId = resolved.id;
      doc = resolved.doc;
    } else {
      throw badRequest(`${link.class === "H5L_TYPE_SOFT" ? "soft" : "external"} link on path ${h5path}`);
    }
  }
  return { id: currentId, cls: classOfId(currentId)!, doc };
}

export interface DomainObjects {
  groups: Map<string, GroupDoc>;
  datasets: Map<string, DatasetDoc>;
  datatypes: Map<string, DatatypeDoc>;
  /** First path at which each object was reached (breadth first, links in name order). */
  paths: Map<string, string[]>;
}

/** Every object reachable from the root over hard links (what GET /groups, getobjs and alias need). */
export async function walkDomain(meta: MetadataStore, rootId: string): Promise<DomainObjects> {
  const out: DomainObjects = { groups: new Map(), datasets: new Map(), datatypes: new Map(), paths: new Map() };
  const root = await meta.group(rootId);
  out.groups.set(rootId, root);
  out.paths.set(rootId, ["/"]);
  const queue: [string, GroupDoc][] = [["/", root]];
  while (queue.length > 0) {
    const [path, group] = queue.shift()!;
    for (const name of Object.keys(group.links).sort()) {
      const link = group.links[name]!;
      if (link.class !== "H5L_TYPE_HARD" || !link.id) continue;
      const childPath = path === "/" ? `/${name}` : `${path}/${name}`;
      const seen = out.paths.get(link.id);
      if (seen) {
        seen.push(childPath);
        continue;
      }
      out.paths.set(link.id, [childPath]);
      const doc = await meta.object(link.id);
      if (!doc) continue;
      const cls = classOfId(link.id);
      if (cls === "groups") {
        out.groups.set(link.id, doc as GroupDoc);
        queue.push([childPath, doc as GroupDoc]);
      } else if (cls === "datasets") {
        out.datasets.set(link.id, doc as DatasetDoc);
      } else if (cls === "datatypes") {
        out.datatypes.set(link.id, doc as DatatypeDoc);
      }
    }
  }
  return out;
}

// Everything hsget needs to know about a domain before it writes: every object reachable from the root
// by hard links, with its links, attributes (values included), type and shape. Small domains come in one
// request (getobjs, which HSDS answers for up to 500 objects); anything missing is fetched one by one.

import { HsdsError } from "../client/errors.js";
import type { DomainHandle } from "../client/hsds-client.js";
import type {
  AttributeInfo,
  CreationProperties,
  DatasetInfo,
  DatatypeInfo,
  GroupInfo,
  LayoutJson,
  LinkItem,
  ShapeJson,
  TypeJson,
} from "../client/hsds-types.js";
import { isInternalAttribute } from "../loader/internal-attributes.js";

export type AttributeSnapshot = Omit<AttributeInfo, "created" | "lastModified">;

interface ObjectBase {
  id: string;
  attributes: AttributeSnapshot[];
}
export interface GroupSnapshot extends ObjectBase {
  kind: "group";
  /** In the order the group lists them: by creation when it tracks order, else by name. */
  links: LinkItem[];
  trackOrder: boolean;
}
export interface DatasetSnapshot extends ObjectBase {
  kind: "dataset";
  type: TypeJson;
  shape: ShapeJson;
  creationProperties?: CreationProperties;
  layout?: LayoutJson;
}
export interface DatatypeSnapshot extends ObjectBase {
  kind: "datatype";
  type: TypeJson;
}
export type ObjectSnapshot = GroupSnapshot | DatasetSnapshot | DatatypeSnapshot;

export interface DomainSnapshot {
  domain: string;
  rootId: string;
  /** Reachable objects by id; ids that hard links name but the server does not have are absent. */
  objects: Map<string, ObjectSnapshot>;
}

/** Object fetches in flight while walking a large domain. */
const WALK_CONCURRENCY = 8;

export async function snapshotDomain(handle: DomainHandle, signal?: AbortSignal): Promise<DomainSnapshot> {
  const info = await handle.get({ getobjs: true, includeAttrs: true });
  if (info.root === undefined) throw new Error(`${handle.path} is a folder, not a domain`);
  const prefetched = info.domain_objs ?? {};
  const objects = new Map<string, ObjectSnapshot>();
  const queued = new Set<string>([info.root]);
  let frontier = [info.root];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += WALK_CONCURRENCY) {
      signal?.throwIfAborted();
      const batch = frontier.slice(i, i + WALK_CONCURRENCY);
      const fetched = await Promise.all(batch.map((id) => fetchObject(handle, id, prefetched[id])));
      for (const object of fetched) {
        if (object === undefined) continue;
        objects.set(object.id, object);
        if (object.kind !== "group") continue;
        for (const link of object.links) {
          if (link.class === "H5L_TYPE_HARD" && link.id !== undefined && !queued.has(link.id)) {
            queued.add(link.id);
            next.push(link.id);
          }
        }
      }
    }
    frontier = next;
  }
  return { domain: handle.path, rootId: info.root, objects };
}

type Prefetched = GroupInfo | DatasetInfo | DatatypeInfo | undefined;

async function fetchObject(handle: DomainHandle, id: string, prefetched: Prefetched): Promise<ObjectSnapshot | undefined> {
  try {
    if (id.startsWith("g-")) {
      const g = (prefetched as GroupInfo | undefined) ?? (await handle.getGroup(id, { includeLinks: true, includeAttrs: true }));
      return {
        kind: "group",
        id,
        attributes: await attributesOf(handle, id, g.attributes),
        links: orderedLinks(g),
        trackOrder: Boolean(g.creationProperties?.CreateOrder),
      };
    }
    if (id.startsWith("d-")) {
      const d = (prefetched as DatasetInfo | undefined) ?? (await handle.getDataset(id, { includeAttrs: true }));
      return {
        kind: "dataset",
        id,
        attributes: await attributesOf(handle, id, d.attributes),
        type: d.type,
        shape: d.shape,
        creationProperties: d.creationProperties,
        layout: d.layout,
      };
    }
    const t = (prefetched as DatatypeInfo | undefined) ?? (await handle.getDatatype(id));
    return { kind: "datatype", id, attributes: await attributesOf(handle, id, t.attributes), type: t.type };
  } catch (err) {
    // A hard link to an object the server no longer has: the link is reported and left out.
    if (err instanceof HsdsError && (err.status === 404 || err.status === 410)) return undefined;
    throw err;
  }
}

function orderedLinks(g: GroupInfo): LinkItem[] {
  const links = Object.entries(g.links ?? {}).map(([title, link]) => ({ ...link, title }));
  if (g.creationProperties?.CreateOrder) return links.sort((a, b) => (a.created ?? 0) - (b.created ?? 0));
  return links.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
}

/**
 * Attributes with their values. Embedded attributes (include_attrs) are used when the answer had them;
 * committed datatypes, and attributes that came without a value, are asked for.
 */
async function attributesOf(
  handle: DomainHandle,
  id: string,
  embedded: Record<string, Omit<AttributeInfo, "name">> | undefined,
): Promise<AttributeSnapshot[]> {
  const listed =
    embedded !== undefined
      ? Object.entries(embedded).map(([name, attr]) => ({ ...attr, name }))
      : await collect(handle.listAttributes(id, { includeData: true }));
  return Promise.all(
    // hsload -a's ledger and lock describe the load, not the data.
    listed.filter((a) => !isInternalAttribute(a.name)).map(async ({ name, type, shape, value, encoding }) => {
      if (value === undefined && shape.class !== "H5S_NULL") return strip(await handle.getAttribute(id, name));
      return { name, type, shape, value, encoding };
    }),
  );
}

function strip({ name, type, shape, value, encoding }: AttributeInfo): AttributeSnapshot {
  return { name, type, shape, value, encoding };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

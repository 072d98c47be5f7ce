// Reading a domain's objects for hsls: one GET with getobjs for small domains (what h5pyd caches),
// single-object GETs otherwise, and the walk over links in h5pyd's order.
import type { DomainHandle } from "../../client/hsds-client.js";
import type {
  AttributeInfo,
  DatasetInfo,
  DatatypeInfo,
  DomainInfo,
  EmbeddedLinks,
  GroupInfo,
} from "../../client/hsds-types.js";
import { normalizeType } from "../../model/datatype.js";
import { decodeElements } from "../../model/values.js";
import { attributeSummary } from "../format/attribute-summary.js";
import type { AttributeEntry, ListedEntry, ObjectClassName } from "../format/object-listing.js";
import { isGone } from "./failures.js";
import { type ChunkTableEntry, datasetClassName, datasetSummary, linkedLayoutOf, type StorageFacts } from "./dataset-summary.js";
import { isInternalAttribute } from "../../loader/internal-attributes.js";

type AnyObject = GroupInfo | DatasetInfo | DatatypeInfo;

export interface WalkOptions {
  /** Add chunk statistics (and read INDIRECT chunk tables). */
  verbose: boolean;
  showAttrs: boolean;
}

function classNameOf(id: string, json: AnyObject): ObjectClassName {
  if (id.startsWith("g-")) return "Group";
  if (id.startsWith("t-")) return "Datatype";
  return datasetClassName(json as DatasetInfo);
}

/** h5pyd's os.path.join of a group path and a link name. */
export function joinH5Path(parent: string, name: string): string {
  return parent.endsWith("/") ? `${parent}${name}` : `${parent}/${name}`;
}

/** HSDS lists links and attributes by name, whatever order the object JSON has them in. */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortedLinks(links: EmbeddedLinks | undefined): [string, EmbeddedLinks[string]][] {
  return Object.entries(links ?? {}).sort(([a], [b]) => byName(a, b));
}

export class DomainWalker {
  private readonly cache: Map<string, AnyObject>;
  private readonly compressors: readonly string[];

  constructor(
    private readonly domain: DomainHandle,
    info: DomainInfo,
    private readonly options: WalkOptions,
  ) {
    this.cache = new Map(Object.entries(info.domain_objs ?? {}));
    this.compressors = info.compressors ?? [];
  }

  /** The group JSON (links included), dataset or datatype JSON of an object. */
  private async object(id: string): Promise<AnyObject> {
    const cached = this.cache.get(id);
    if (cached && (!id.startsWith("g-") || (cached as GroupInfo).links !== undefined)) return cached;
    const includeAttrs = this.options.showAttrs;
    let json: AnyObject;
    if (id.startsWith("g-")) json = await this.domain.getGroup(id, { includeLinks: true, includeAttrs });
    else if (id.startsWith("d-")) json = await this.domain.getDataset(id, { includeAttrs, verbose: this.options.verbose });
    else json = await this.domain.getDatatype(id);
    this.cache.set(id, json);
    return json;
  }

  async attributes(id: string): Promise<AttributeEntry[]> {
    const json = await this.object(id);
    let attrs: AttributeInfo[];
    if (json.attributes !== undefined) {
      attrs = Object.entries(json.attributes).map(([name, a]) => ({ name, ...a }));
    } else if (json.attributeCount > 0) {
      attrs = [];
      for await (const a of this.domain.listAttributes(id, { includeData: true })) attrs.push(a);
    } else {
      attrs = [];
    }
    return attrs
      .filter((a) => !isInternalAttribute(a.name))
      .sort((a, b) => byName(a.name, b.name))
      .map((a) => {
        const forSummary = { type: normalizeType(a.type), shape: a.shape, value: a.value };
        return { name: a.name, summary: attributeSummary(forSummary), value: a.value };
      });
  }

  private async storageFacts(dataset: DatasetInfo): Promise<StorageFacts> {
    const linked = linkedLayoutOf(dataset);
    if (linked?.class === "H5D_CHUNKED_REF_INDIRECT" && typeof linked.chunk_table === "string") {
      return { chunkTable: await this.chunkTable(linked.chunk_table) };
    }
    if (linked !== undefined) return {};
    // Objects from getobjs come without the scan numbers.
    const verbose = dataset.num_chunks !== undefined ? dataset : await this.domain.getDataset(dataset.id, { verbose: true });
    const count = verbose.num_chunks;
    const bytes = verbose.allocated_size;
    return typeof count === "number" && typeof bytes === "number" ? { allocated: { count, bytes } } : {};
  }

  /** Every entry of an INDIRECT layout's chunk table (a compound of offset, size[, file_uri]). */
  private async chunkTable(tableId: string): Promise<ChunkTableEntry[]> {
    const table = (await this.object(tableId)) as DatasetInfo;
    const dims = table.shape.dims ?? [];
    const count = dims.reduce((n, d) => n * d, 1);
    const elements = decodeElements(await this.domain.readValue(tableId), normalizeType(table.type), count);
    return elements.map((e) => {
      const [offset, size] = e as [number | bigint, number | bigint];
      return { offset: Number(offset), size: Number(size) };
    });
  }

  /** The entry for the object at `path` (no recursion). */
  async entryFor(path: string, id: string): Promise<ListedEntry> {
    const json = await this.object(id);
    const className = classNameOf(id, json);
    const entry: ListedEntry = { kind: "object", path, className, id };
    if (className === "Dataset" || className === "Table") {
      const dataset = json as DatasetInfo;
      const facts = this.options.verbose && dataset.shape.class !== "H5S_NULL" ? await this.storageFacts(dataset) : {};
      entry.dataset = datasetSummary(dataset, this.compressors, facts);
    }
    if (this.options.showAttrs) entry.attributes = await this.attributes(id);
    return entry;
  }

  /** The names of a group's links, in listing order (hsls -n). */
  async linkNames(groupId: string): Promise<string[]> {
    const group = (await this.object(groupId)) as GroupInfo;
    return sortedLinks(group.links).map(([title]) => title);
  }

  /**
   * The links of a group, each as an entry: with `seen` (recursive listings) hard links are followed
   * depth-first and an object met again is "same as" its first path.
   */
  async *walk(groupId: string, groupPath: string, seen?: Map<string, string>): AsyncGenerator<ListedEntry> {
    seen?.set(groupId, groupPath);
    const group = (await this.object(groupId)) as GroupInfo;
    for (const [title, link] of sortedLinks(group.links)) {
      const path = seen ? joinH5Path(groupPath, title) : title;
      if (link.class === "H5L_TYPE_SOFT") {
        yield { kind: "soft", path, h5path: link.h5path ?? "" };
      } else if (link.class === "H5L_TYPE_EXTERNAL") {
        yield { kind: "external", path, h5path: link.h5path ?? "", h5domain: link.h5domain ?? "" };
      } else {
        yield* this.hardLink(path, link.id!, seen);
      }
    }
  }

  private async *hardLink(path: string, id: string, seen?: Map<string, string>): AsyncGenerator<ListedEntry> {
    let entry: ListedEntry;
    try {
      const first = seen?.get(id);
      if (first !== undefined) {
        yield { kind: "seen", path, className: classNameOf(id, await this.object(id)), sameAs: first };
        return;
      }
      entry = await this.entryFor(path, id);
    } catch (err) {
      if (!isGone(err)) throw err;
      yield { kind: "missing", path };
      return;
    }
    yield entry;
    if (seen === undefined) return;
    if (entry.kind === "object" && entry.className === "Group") yield* this.walk(id, path, seen);
    else seen.set(id, path);
  }
}

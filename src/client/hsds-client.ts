import { HsdsError, InvalidIdError, type RequestSubject } from "./errors.js";
import type {
  AboutInfo,
  Acl,
  AclPermissions,
  AttributeDefinition,
  AttributeInfo,
  CreatedObject,
  CreationProperties,
  DatasetInfo,
  DatatypeInfo,
  DomainInfo,
  FolderEntry,
  GroupInfo,
  LinkInfo,
  LinkItem,
  LinkTarget,
  ObjectAtPath,
  PutOutcome,
  TypeJson,
} from "./hsds-types.js";
import { CHUNK_PUT_FEATURE } from "./hsds-types.js";
import { pagedItems } from "./paging.js";
import { Requester, type RequestSpec } from "./requester.js";
import { packPoints } from "./selection.js";
import type { Transport } from "./transport.js";
import { pathSegment } from "./url-encoding.js";

export interface HsdsClientOptions {
  /** Sent as `bucket=` on every domain request. */
  bucket?: string;
  /** The user the transport authenticates as; only used to word 401 errors. */
  username?: string;
}

export interface FolderListOptions {
  /** Items per request (h5pyd: 1000, hsls 100); unset = one request for everything. */
  pageSize?: number;
  /** Add per-domain statistics. */
  verbose?: boolean;
  /** Glob on the base name. */
  pattern?: string;
  /** Boolean expression over scalar root attributes; the listing is then not paged. */
  query?: string;
}

/** Typed operations on an HSDS, over any Transport. */
export class HsdsClient {
  private readonly requester: Requester;

  private encodedChunks: Promise<boolean> | undefined;

  constructor(transport: Transport, options: HsdsClientOptions = {}) {
    this.requester = new Requester(transport, options);
  }

  get endpoint(): string {
    return this.requester.transport.endpoint;
  }

  about(): Promise<AboutInfo> {
    return this.requester.json({ method: "GET", path: "/about", subject: { what: "server", name: this.endpoint } });
  }

  /** Whether the server takes chunks already encoded (writeChunk): hsds-tools' engine does, a real HSDS does not. */
  takesEncodedChunks(): Promise<boolean> {
    this.encodedChunks ??= this.about().then(
      (about) => about.hsds_tools_features?.includes(CHUNK_PUT_FEATURE) === true,
      () => false,
    );
    return this.encodedChunks;
  }

  domain(path: string): DomainHandle {
    return new DomainHandle(this.requester, path);
  }

  /** Entries of a folder ("/home/alice/" or "/" for the top level), in name order. */
  listFolder(folder: string, options: FolderListOptions = {}): AsyncGenerator<FolderEntry> {
    const domain = folder.endsWith("/") ? folder : `${folder}/`;
    const fetchPage = async (limit: number | undefined, marker: string | undefined) => {
      const page = await this.requester.json<{ domains: FolderEntry[] }>({
        method: "GET",
        path: "/domains",
        domain,
        query: {
          Limit: limit,
          Marker: marker,
          verbose: options.verbose,
          pattern: options.pattern,
          query: options.query,
        },
        subject: { what: "folder", name: domain },
      });
      return page.domains;
    };
    return pagedItems(fetchPage, (entry) => entry.name, options.query === undefined ? options.pageSize : undefined);
  }

  close(): Promise<void> {
    return this.requester.transport.close();
  }
}

export interface DomainGetOptions {
  /** Add the statistics of the last scan. */
  verbose?: boolean;
  getdnids?: boolean;
  /** Every object of the domain in `domain_objs` (HSDS: domains of at most 500 objects). */
  getobjs?: boolean;
  includeAttrs?: boolean;
}

export interface DomainCreateOptions {
  folder?: boolean;
  /** Admins only. */
  owner?: string;
  rootCreationProperties?: CreationProperties;
  /** Share the root group of this existing domain (hsmv). */
  linkedDomain?: string;
}

export interface PathLookupOptions {
  followSoftLinks?: boolean;
  followExternalLinks?: boolean;
  includeLinks?: boolean;
  includeAttrs?: boolean;
}

export interface GroupGetOptions {
  includeLinks?: boolean;
  includeAttrs?: boolean;
  /** Add `alias`: the paths that reach the group. */
  getAlias?: boolean;
}

/** Where a new object gets linked: group id and link name. */
export interface LinkSpec {
  id: string;
  name: string;
}

export interface DatasetDefinition {
  type: TypeJson;
  /** Dimensions (`[]` = scalar) or "H5S_NULL". */
  shape: number[] | "H5S_NULL";
  /** Same rank as shape; 0 = unlimited. */
  maxdims?: number[];
  creationProperties?: CreationProperties;
  link?: LinkSpec;
}

export interface ValueReadOptions {
  /** "[a:b:s,...]" selection; absent = everything. */
  select?: string;
  /** Compound fields to read, ":"-separated. */
  fields?: string;
}

export interface ValueWriteOptions {
  select?: string;
  /** Broadcast a body of this many elements over the selection (h5pyd sends 1 for scalars). */
  elementCount?: number;
  /** Grow dimension `appendDim` by this many and write into the new region. */
  append?: number;
  appendDim?: number;
}

/** h5pyd switches to POST {"select": ...} beyond this, to keep URLs short. */
const MAX_SELECT_IN_URL = 100;

/** Operations on one domain; every request carries its `domain=`. */
export class DomainHandle {
  constructor(
    private readonly requester: Requester,
    readonly path: string,
  ) {}

  // ---- domain ---------------------------------------------------------------------------------

  get(options: DomainGetOptions = {}): Promise<DomainInfo> {
    return this.json({
      method: "GET",
      path: "/",
      query: {
        verbose: options.verbose,
        getdnids: options.getdnids,
        getobjs: options.getobjs,
        include_attrs: options.includeAttrs,
      },
      subject: this.domainSubject(),
    });
  }

  /** Like get(), but undefined when the domain does not exist or was deleted (404/410). */
  async getIfExists(options: { verbose?: boolean } = {}): Promise<DomainInfo | undefined> {
    try {
      return await this.get(options);
    } catch (err) {
      if (err instanceof HsdsError && (err.status === 404 || err.status === 410)) return undefined;
      throw err;
    }
  }

  create(options: DomainCreateOptions = {}): Promise<DomainInfo> {
    return this.json({
      method: "PUT",
      path: "/",
      json: {
        folder: options.folder || undefined,
        owner: options.owner,
        linked_domain: options.linkedDomain,
        group: options.rootCreationProperties && { creationProperties: options.rootCreationProperties },
      },
      subject: {
        ...this.domainSubject(),
        messages: {
          404: `parent folder not found for ${this.path}`,
          409: `${options.folder ? "folder" : "domain"} already exists: ${this.path}`,
        },
      },
    });
  }

  async delete(options: { keepRoot?: boolean } = {}): Promise<void> {
    await this.send({
      method: "DELETE",
      path: "/",
      query: { keep_root: options.keepRoot },
      subject: { ...this.domainSubject(), messages: { 409: `folder is not empty: ${this.path}` } },
    });
  }

  /** Wait until every write of this domain reached storage. */
  async flush(): Promise<void> {
    await this.send({ method: "PUT", path: "/", query: { flush: true }, subject: this.domainSubject() });
  }

  /** Recompute the domain statistics (`.info.json`) now. */
  async rescan(): Promise<void> {
    await this.send({ method: "PUT", path: "/", query: { rescan: true }, subject: this.domainSubject() });
  }

  getByPath(h5path: string, options: PathLookupOptions = {}): Promise<ObjectAtPath> {
    return this.json({
      method: "GET",
      path: "/",
      query: {
        h5path,
        follow_soft_links: options.followSoftLinks,
        follow_external_links: options.followExternalLinks,
        include_links: options.includeLinks,
        include_attrs: options.includeAttrs,
      },
      subject: { what: "object", name: this.inDomain(h5path) },
    });
  }

  // ---- groups ---------------------------------------------------------------------------------

  createGroup(options: { link?: LinkSpec; creationProperties?: CreationProperties } = {}): Promise<CreatedObject> {
    return this.json({
      method: "POST",
      path: "/groups",
      json: { link: options.link, creationProperties: options.creationProperties },
      subject: this.creationSubject("group", options.link),
    });
  }

  getGroup(id: string, options: GroupGetOptions = {}): Promise<GroupInfo> {
    return this.json({
      method: "GET",
      path: `/groups/${pathSegment(id)}`,
      query: { include_links: options.includeLinks, include_attrs: options.includeAttrs, getalias: options.getAlias },
      subject: { what: "group", name: this.inDomain(id) },
    });
  }

  async deleteGroup(id: string): Promise<void> {
    await this.send({
      method: "DELETE",
      path: `/groups/${pathSegment(id)}`,
      subject: { what: "group", name: this.inDomain(id) },
    });
  }

  // ---- links ----------------------------------------------------------------------------------

  async getLink(groupId: string, title: string): Promise<LinkInfo> {
    const answer = await this.json<{ link: LinkItem; created?: number; lastModified?: number }>({
      method: "GET",
      path: `/groups/${pathSegment(groupId)}/links/${pathSegment(title)}`,
      subject: this.linkSubject(groupId, title),
    });
    return { ...answer.link, created: answer.created, lastModified: answer.lastModified };
  }

  listLinks(
    groupId: string,
    options: { pageSize?: number; pattern?: string; createOrder?: boolean } = {},
  ): AsyncGenerator<LinkItem> {
    const fetchPage = async (limit: number | undefined, marker: string | undefined) => {
      const page = await this.json<{ links: LinkItem[] }>({
        method: "GET",
        path: `/groups/${pathSegment(groupId)}/links`,
        query: { Limit: limit, Marker: marker, pattern: options.pattern, CreateOrder: options.createOrder },
        subject: { what: "group", name: this.inDomain(groupId) },
      });
      return page.links;
    };
    return pagedItems(fetchPage, (link) => link.title, options.pageSize);
  }

  /** Links of the group and of every group below it, keyed by group id (one request). */
  async listLinksRecursive(groupId: string): Promise<Record<string, LinkItem[]>> {
    const answer = await this.json<{ links: Record<string, LinkItem[]> }>({
      method: "GET",
      path: `/groups/${pathSegment(groupId)}/links`,
      query: { follow_links: true },
      subject: { what: "group", name: this.inDomain(groupId) },
    });
    return answer.links;
  }

  async putLink(groupId: string, title: string, target: LinkTarget): Promise<PutOutcome> {
    const response = await this.send({
      method: "PUT",
      path: `/groups/${pathSegment(groupId)}/links/${pathSegment(title)}`,
      json: target,
      subject: {
        ...this.linkSubject(groupId, title),
        messages: { 409: `link ${title} already exists with another target in group ${this.inDomain(groupId)}` },
      },
    });
    return response.status === 201 ? "created" : "unchanged";
  }

  /** Several links into one group in one request; nothing is written if any conflicts. */
  async putLinks(groupId: string, links: Record<string, LinkTarget>): Promise<PutOutcome> {
    const response = await this.send({
      method: "PUT",
      path: `/groups/${pathSegment(groupId)}/links`,
      json: { links },
      subject: {
        what: "group",
        name: this.inDomain(groupId),
        messages: { 409: `a link already exists with another target in group ${this.inDomain(groupId)}` },
      },
    });
    return response.status === 201 ? "created" : "unchanged";
  }

  async deleteLink(groupId: string, title: string): Promise<void> {
    await this.send({
      method: "DELETE",
      path: `/groups/${pathSegment(groupId)}/links/${pathSegment(title)}`,
      subject: this.linkSubject(groupId, title),
    });
  }

  /** Link names cannot contain "/", so it is a safe separator. */
  async deleteLinks(groupId: string, titles: readonly string[]): Promise<void> {
    await this.send({
      method: "DELETE",
      path: `/groups/${pathSegment(groupId)}/links`,
      query: { titles: titles.join("/") },
      subject: { what: "group", name: this.inDomain(groupId) },
    });
  }

  // ---- datasets -------------------------------------------------------------------------------

  createDataset(definition: DatasetDefinition): Promise<CreatedObject> {
    return this.json({
      method: "POST",
      path: "/datasets",
      json: {
        type: definition.type,
        shape: definition.shape,
        maxdims: definition.maxdims,
        creationProperties: definition.creationProperties,
        link: definition.link,
      },
      subject: this.creationSubject("dataset", definition.link),
    });
  }

  getDataset(id: string, options: { verbose?: boolean; includeAttrs?: boolean } = {}): Promise<DatasetInfo> {
    return this.json({
      method: "GET",
      path: `/datasets/${pathSegment(id)}`,
      query: { verbose: options.verbose, include_attrs: options.includeAttrs },
      subject: this.datasetSubject(id),
    });
  }

  getDatasetByPath(h5path: string): Promise<DatasetInfo> {
    return this.json({
      method: "GET",
      path: "/datasets/",
      query: { h5path },
      subject: { what: "dataset", name: this.inDomain(h5path) },
    });
  }

  /**
   * Set new dimensions (grow or shrink within maxdims). When exactly one dimension grows,
   * `selection` names the new region, e.g. "[100:150,:]".
   */
  resizeDataset(id: string, shape: readonly number[]): Promise<{ selection?: string }> {
    return this.reshape(id, { shape });
  }

  /** Grow dimension `dim` by `by`. */
  extendDataset(id: string, by: number, dim: number): Promise<{ selection?: string }> {
    return this.reshape(id, { extend: by, extend_dim: dim });
  }

  async deleteDataset(id: string): Promise<void> {
    await this.send({ method: "DELETE", path: `/datasets/${pathSegment(id)}`, subject: this.datasetSubject(id) });
  }

  // ---- values ---------------------------------------------------------------------------------

  /** Raw bytes of a selection: C order, the dataset type's byte order (variable types: §3.5). */
  async readValue(id: string, options: ValueReadOptions = {}): Promise<Uint8Array> {
    const long = options.select !== undefined && options.select.length > MAX_SELECT_IN_URL;
    const response = await this.send({
      method: long ? "POST" : "GET",
      path: `/datasets/${pathSegment(id)}/value`,
      query: { select: long ? undefined : options.select, fields: options.fields },
      json: long ? { select: options.select } : undefined,
      binary: true,
      idempotent: true,
      subject: this.datasetSubject(id),
    });
    return response.body;
  }

  /** The selection as JSON (nested lists; a bare scalar for scalar datasets). */
  async readValueJson(
    id: string,
    options: ValueReadOptions & { reduceDim?: boolean; ignoreNan?: boolean } = {},
  ): Promise<unknown> {
    const answer = await this.json<{ value: unknown }>({
      method: "GET",
      path: `/datasets/${pathSegment(id)}/value`,
      query: {
        select: options.select,
        fields: options.fields,
        reduce_dim: options.reduceDim,
        ignore_nan: options.ignoreNan,
      },
      subject: this.datasetSubject(id),
    });
    return answer.value;
  }

  /** Raw bytes of the elements at these coordinates, in the order given. */
  async readPoints(id: string, points: readonly (readonly number[])[]): Promise<Uint8Array> {
    const response = await this.send({
      method: "POST",
      path: `/datasets/${pathSegment(id)}/value`,
      body: packPoints(points),
      binary: true,
      idempotent: true,
      subject: this.datasetSubject(id),
    });
    return response.body;
  }

  async writeValue(id: string, data: Uint8Array, options: ValueWriteOptions = {}): Promise<void> {
    await this.send({
      method: "PUT",
      path: `/datasets/${pathSegment(id)}/value`,
      query: {
        select: options.select,
        element_count: options.elementCount,
        append: options.append,
        append_dim: options.appendDim,
      },
      body: data,
      subject: {
        ...this.datasetSubject(id),
        messages: { 409: `append exceeds maxdims of dataset ${this.inDomain(id)}` },
      },
    });
  }

  /**
   * Store one chunk as bytes already encoded with the dataset's filters, on the dataset's own chunk
   * grid. Only hsds-tools' engine offers it (`hsds_tools_features` of /about lists "chunk_put").
   */
  async writeChunk(id: string, index: readonly number[], encoded: Uint8Array): Promise<void> {
    await this.send({
      method: "PUT",
      path: `/datasets/${pathSegment(id)}/chunks/${index.join("_")}`,
      body: encoded,
      subject: this.datasetSubject(id),
    });
  }

  async writeValueJson(id: string, value: unknown, options: { select?: string } = {}): Promise<void> {
    await this.send({
      method: "PUT",
      path: `/datasets/${pathSegment(id)}/value`,
      query: { select: options.select },
      json: { value },
      subject: this.datasetSubject(id),
    });
  }

  // ---- attributes (of groups, datasets and committed datatypes) -------------------------------

  listAttributes(
    objectId: string,
    options: { pageSize?: number; includeData?: boolean; pattern?: string; createOrder?: boolean } = {},
  ): AsyncGenerator<AttributeInfo> {
    const path = `${objectPath(objectId)}/attributes`;
    const fetchPage = async (limit: number | undefined, marker: string | undefined) => {
      const page = await this.json<{ attributes: AttributeInfo[] }>({
        method: "GET",
        path,
        query: {
          Limit: limit,
          Marker: marker,
          IncludeData: options.includeData,
          pattern: options.pattern,
          CreateOrder: options.createOrder,
        },
        subject: this.objectSubject(objectId),
      });
      return page.attributes;
    };
    return pagedItems(fetchPage, (attr) => attr.name, options.pageSize);
  }

  getAttribute(objectId: string, name: string, options: { base64?: boolean } = {}): Promise<AttributeInfo> {
    return this.json({
      method: "GET",
      path: `${objectPath(objectId)}/attributes/${pathSegment(name)}`,
      query: { encoding: options.base64 ? "base64" : undefined },
      subject: this.attributeSubject(objectId, name),
    });
  }

  /** Create or (by default, like h5pyd) replace one attribute. */
  async putAttribute(
    objectId: string,
    name: string,
    definition: AttributeDefinition,
    options: { replace?: boolean } = {},
  ): Promise<PutOutcome> {
    const response = await this.send({
      method: "PUT",
      path: `${objectPath(objectId)}/attributes/${pathSegment(name)}`,
      query: { replace: options.replace ?? true },
      json: definition,
      subject: {
        ...this.attributeSubject(objectId, name),
        messages: { 409: `attribute ${name} already exists with another value on ${this.inDomain(objectId)}` },
      },
    });
    return response.status === 201 ? "created" : "unchanged";
  }

  /** Several attributes of one object in one request. */
  async putAttributes(
    objectId: string,
    attributes: Record<string, AttributeDefinition>,
    options: { replace?: boolean } = {},
  ): Promise<PutOutcome> {
    const response = await this.send({
      method: "PUT",
      path: `${objectPath(objectId)}/attributes`,
      query: { replace: options.replace ?? true },
      json: { attributes },
      subject: {
        ...this.objectSubject(objectId),
        messages: { 409: `an attribute already exists with another value on ${this.inDomain(objectId)}` },
      },
    });
    return response.status === 201 ? "created" : "unchanged";
  }

  /** Several named attributes of one object in one request. */
  async readAttributes(
    objectId: string,
    names: readonly string[],
    options: { includeData?: boolean } = {},
  ): Promise<AttributeInfo[]> {
    const answer = await this.json<{ attributes: AttributeInfo[] }>({
      method: "POST",
      path: `${objectPath(objectId)}/attributes`,
      query: { IncludeData: options.includeData ?? true },
      json: { attr_names: names },
      idempotent: true,
      subject: { what: "attribute", name: `${names.join(", ")} of ${this.inDomain(objectId)}` },
    });
    return answer.attributes;
  }

  async deleteAttribute(objectId: string, name: string): Promise<void> {
    await this.send({
      method: "DELETE",
      path: `${objectPath(objectId)}/attributes/${pathSegment(name)}`,
      subject: this.attributeSubject(objectId, name),
    });
  }

  // ---- committed datatypes --------------------------------------------------------------------

  createDatatype(definition: { type: TypeJson; link?: LinkSpec }): Promise<CreatedObject> {
    return this.json({
      method: "POST",
      path: "/datatypes",
      json: { type: definition.type, link: definition.link },
      subject: this.creationSubject("datatype", definition.link),
    });
  }

  getDatatype(id: string): Promise<DatatypeInfo> {
    return this.json({
      method: "GET",
      path: `/datatypes/${pathSegment(id)}`,
      subject: { what: "datatype", name: this.inDomain(id) },
    });
  }

  async deleteDatatype(id: string): Promise<void> {
    await this.send({
      method: "DELETE",
      path: `/datatypes/${pathSegment(id)}`,
      subject: { what: "datatype", name: this.inDomain(id) },
    });
  }

  // ---- ACLs -----------------------------------------------------------------------------------

  async getAcls(): Promise<Acl[]> {
    const answer = await this.json<{ acls: Acl[] }>({
      method: "GET",
      path: "/acls",
      subject: { what: "ACL list", name: this.path },
    });
    return answer.acls;
  }

  async getAcl(user: string): Promise<Acl> {
    const answer = await this.json<{ acl: Acl }>({
      method: "GET",
      path: `/acls/${pathSegment(user)}`,
      subject: { what: "ACL", name: `${user} of ${this.path}` },
    });
    return answer.acl;
  }

  /** Set some permissions of one user; permissions not named keep their value. */
  async putAcl(user: string, permissions: Partial<AclPermissions>): Promise<void> {
    await this.send({
      method: "PUT",
      path: `/acls/${pathSegment(user)}`,
      json: permissions,
      subject: { what: "ACL", name: `${user} of ${this.path}` },
    });
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private send(spec: RequestSpec) {
    return this.requester.send({ ...spec, domain: this.path });
  }

  private json<T>(spec: RequestSpec): Promise<T> {
    return this.requester.json<T>({ ...spec, domain: this.path });
  }

  private async reshape(id: string, body: object): Promise<{ selection?: string }> {
    const answer = await this.json<{ selection?: string } | undefined>({
      method: "PUT",
      path: `/datasets/${pathSegment(id)}/shape`,
      json: body,
      subject: {
        ...this.datasetSubject(id),
        messages: { 409: `new shape exceeds maxdims of dataset ${this.inDomain(id)}` },
      },
    });
    return answer ?? {};
  }

  private inDomain(thing: string): string {
    return `${thing} in ${this.path}`;
  }

  private domainSubject() {
    return { what: "domain", name: this.path };
  }

  private datasetSubject(id: string) {
    return { what: "dataset", name: this.inDomain(id) };
  }

  private objectSubject(id: string) {
    return { what: kindOf(id), name: this.inDomain(id) };
  }

  private linkSubject(groupId: string, title: string) {
    return { what: "link", name: `${title} in group ${this.inDomain(groupId)}` };
  }

  private attributeSubject(objectId: string, name: string) {
    return { what: "attribute", name: `${name} of ${this.inDomain(objectId)}` };
  }

  /** A create fails with 409 when the link name is taken, 404 when the parent group is missing. */
  private creationSubject(what: string, link: LinkSpec | undefined): RequestSubject {
    if (link === undefined) return { what, name: `new ${what} in ${this.path}` };
    const parent = `group ${this.inDomain(link.id)}`;
    return {
      what,
      name: `${link.name} in ${parent}`,
      messages: {
        404: `parent group not found: ${this.inDomain(link.id)}`,
        409: `link ${link.name} already exists in ${parent}`,
      },
    };
  }
}

const COLLECTIONS: Record<string, { path: string; kind: string }> = {
  "g-": { path: "/groups", kind: "group" },
  "d-": { path: "/datasets", kind: "dataset" },
  "t-": { path: "/datatypes", kind: "datatype" },
};

function collectionOf(id: string) {
  const collection = COLLECTIONS[id.slice(0, 2)];
  if (collection === undefined) throw new InvalidIdError(`not a group, dataset or datatype id: ${id}`);
  return collection;
}

/** "/groups/g-…", "/datasets/d-…" or "/datatypes/t-…": where an object's attributes live. */
function objectPath(id: string): string {
  return `${collectionOf(id).path}/${pathSegment(id)}`;
}

function kindOf(id: string): string {
  return collectionOf(id).kind;
}

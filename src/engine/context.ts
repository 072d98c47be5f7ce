import type { HsRequest } from "../client/transport.js";
import { parseJsonBytes } from "../model/json.js";
import type { BucketProvider } from "../storage/object-store.js";
import { requirePermission, type Principal } from "./acl.js";
import type { DomainDoc, Permission } from "./documents.js";
import { parseDomainName, type DomainName } from "./domain-name.js";
import { badRequest, HttpError } from "./http-error.js";
import { belongsToRoot, classOfId, isValidId, type ObjectClass } from "./ids.js";
import type { KeyedLock } from "./keyed-lock.js";
import type { LinkedFileOpener } from "./linked-files.js";
import { MetadataStore } from "./metadata.js";

export interface EngineSettings {
  buckets: BucketProvider;
  defaultBucket: string;
  adminUsers: readonly string[];
  /** New domains readable by everyone (HSDS default_public). */
  defaultPublic: boolean;
  /** Base of the cosmetic hrefs in responses, e.g. "http://127.0.0.1:5101". */
  hrefBase: string;
  limits: { min_chunk_size: number; max_chunk_size: number; max_request_size: number };
  /** Opens the HDF5 files that linked datasets point into. */
  linkedFiles: LinkedFileOpener;
}

/** A domain opened by a request: its name, document and (for domains, not folders) root id. */
export interface OpenDomain {
  name: DomainName;
  doc: DomainDoc;
  rootId: string;
  /** The documents of the domain's bucket. */
  meta: MetadataStore;
}

const SINGULAR: Record<ObjectClass, string> = { groups: "group", datasets: "dataset", datatypes: "datatype" };

/** Everything a handler needs about one request. */
export class RequestContext {
  /** The domain this request opened with a write permission, so the engine can note the change. */
  openedForWrite: OpenDomain | undefined;

  constructor(
    readonly req: HsRequest,
    readonly principal: Principal,
    readonly settings: EngineSettings,
    private readonly locks: KeyedLock,
  ) {}

  /** The bucket the request names explicitly (query or header), else the server default. */
  requestBucket(): string {
    return this.req.query.bucket || this.req.headers["x-hdf-bucket"] || this.settings.defaultBucket;
  }

  param(name: string): string | undefined {
    return this.req.query[name];
  }

  /** HSDS's getBooleanParam: present and not "0"/"false"/empty. */
  flag(name: string): boolean {
    const v = this.req.query[name];
    return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
  }

  intParam(name: string): number | undefined {
    const v = this.req.query[name];
    if (v === undefined || v === "") return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid ${name}: ${v}`);
    return n;
  }

  body(): Record<string, unknown> {
    const raw = this.req.body;
    if (!raw || raw.length === 0) return {};
    let value: unknown;
    try {
      value = parseJsonBytes(raw);
    } catch {
      throw badRequest("Invalid JSON body");
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw badRequest("Invalid JSON body");
    return value as Record<string, unknown>;
  }

  isBinaryBody(): boolean {
    return (this.req.headers["content-type"] ?? "").startsWith("application/octet-stream");
  }

  wantsBinary(): boolean {
    return (this.req.headers.accept ?? "") === "application/octet-stream";
  }

  domainParam(): string | undefined {
    return this.req.query.domain ?? this.req.headers["x-hdf-domain"];
  }

  domainName(opts: { folderListing?: boolean } = {}): DomainName {
    const raw = this.domainParam();
    if (!raw) throw badRequest("domain not specified");
    if (this.req.query.host !== undefined) throw badRequest("host query param no longer supported");
    return parseDomainName(raw, this.requestBucket(), this.settings.defaultBucket, opts);
  }

  /** The domain named by the request, with `perm` checked; folders are refused where a root is needed. */
  async openDomain(perm: Permission): Promise<OpenDomain> {
    const name = this.domainName();
    const meta = this.metaFor(name.bucket);
    const doc = await meta.domain(name.path);
    if (!doc) throw new HttpError(404);
    requirePermission(doc, this.principal, perm);
    if (!doc.root) throw badRequest("Domain is a folder");
    const dom = { name, doc, rootId: doc.root, meta };
    if (perm !== "read") this.openedForWrite = dom;
    return dom;
  }

  metaFor(bucket: string): MetadataStore {
    return new MetadataStore(this.settings.buckets.bucket(bucket), this.locks);
  }

  /** Validate an object id from the path or body: right class, same domain. */
  objectId(id: string, cls: ObjectClass, domain: OpenDomain): string {
    if (!isValidId(id, cls)) throw badRequest(`Invalid ${SINGULAR[cls]} id: ${id}`);
    if (!belongsToRoot(id, domain.rootId)) throw badRequest(`${SINGULAR[cls]} ${id} is not a member of the given domain`);
    return id;
  }

  anyObjectId(id: string, domain: OpenDomain): { id: string; cls: ObjectClass } {
    const cls = classOfId(id);
    if (!cls) throw badRequest(`Invalid object id: ${id}`);
    return { id: this.objectId(id, cls, domain), cls };
  }
}

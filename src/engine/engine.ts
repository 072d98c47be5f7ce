// The HSDS-compatible engine: one request in, one response out, over HSDS's storage layout.
// hsserve puts it behind HTTP; the "local" endpoint calls it in-process.
import type { HsRequest, HsResponse } from "../client/transport.js";
import type { Principal } from "./acl.js";
import { DatasetChunks } from "./chunk-io.js";
import type { ChunkSource } from "./chunk-source.js";
import { RequestContext, type EngineSettings, type OpenDomain } from "./context.js";
import { datasetView } from "./dataset-view.js";
import { about } from "./handlers/about.js";
import { getAcl, getAcls, putAcl } from "./handlers/acls.js";
import {
  deleteAttributes,
  getAttribute,
  getAttributeValue,
  listAttributes,
  putAttribute,
  putAttributesBatch,
  putAttributeValue,
  readAttributesBatch,
} from "./handlers/attributes.js";
import { createDataset, deleteChunks, getDataset, getDatasetPart, resizeDataset } from "./handlers/datasets.js";
import { putChunk } from "./handlers/chunks.js";
import { createDatatype } from "./handlers/datatypes.js";
import { deleteDomain, getDomain, listDomains, putDomain, type DomainHandlerDeps } from "./handlers/domains.js";
import { createGroup, deleteObject, getObject, listObjects } from "./handlers/groups.js";
import { deleteLinks, getLink, listLinks, putLink, putLinksBatch, readLinksBatch } from "./handlers/links.js";
import { getValue, postValue, putValue, type ValueDeps } from "./handlers/values.js";
import { HttpError } from "./http-error.js";
import { KeyedLock } from "./keyed-lock.js";
import { LinkedChunks } from "./linked-chunks.js";
import { errorResponse } from "./responses.js";
import { Router } from "./router.js";
import { StatsKeeper } from "./stats.js";
import type { ObjectClass } from "./ids.js";
import { SelectionError } from "../model/selection.js";

export class Engine {
  private readonly locks = new KeyedLock();
  private readonly statsKeeper = new StatsKeeper(this.locks);
  private readonly router = new Router();

  constructor(readonly settings: EngineSettings) {
    this.registerRoutes();
  }

  async handle(req: HsRequest, principal: Principal): Promise<HsResponse> {
    const ctx = new RequestContext(req, principal, this.settings, this.locks);
    try {
      const { handler, params } = this.router.route(req);
      if (req.method !== "GET" && !principal.authenticated && req.method !== "POST") throw new HttpError(401);
      const response = await handler(ctx, params);
      this.noteWrite(ctx, response);
      return response;
    } catch (err) {
      if (err instanceof HttpError) return errorResponse(err.status, err.message);
      if (err instanceof SelectionError) return errorResponse(400, err.reason);
      return errorResponse(500, (err as Error).message || "Internal Server Error");
    }
  }

  /** Bring every domain summary this engine changed up to date. */
  async close(): Promise<void> {
    await this.statsKeeper.flush();
  }

  private noteWrite(ctx: RequestContext, response: HsResponse): void {
    const dom = ctx.openedForWrite;
    if (dom && response.status < 300) this.statsKeeper.markChanged(dom.meta, dom.name.bucket, dom.rootId);
  }

  private readonly domainDeps: DomainHandlerDeps = {
    stats: (meta, bucket, rootId) => this.statsKeeper.stats(meta, bucket, rootId),
    markChanged: (meta, bucket, rootId) => this.statsKeeper.markChanged(meta, bucket, rootId),
    flushDomain: (_meta, bucket, rootId) => this.statsKeeper.flush({ bucket, rootId }),
    rescanDomain: async (meta, bucket, rootId) => {
      await this.statsKeeper.rescan(meta, bucket, rootId);
    },
  };

  private chunksFor = async (dom: OpenDomain, id: string): Promise<DatasetChunks> =>
    new DatasetChunks(datasetView(await dom.meta.dataset(id)), dom.meta.store, this.locks);

  private readonly valueDeps: ValueDeps = {
    chunks: this.chunksFor,
    source: async (dom, id): Promise<ChunkSource> => {
      const chunks = await this.chunksFor(dom, id);
      return chunks.view.linkedLayout ? new LinkedChunks(chunks.view, dom.meta, this.locks, this.settings.linkedFiles) : chunks;
    },
  };

  private registerRoutes(): void {
    const r = this.router;
    const cls = (p: string[]) => p[0] as ObjectClass;
    r.on("GET", "/about", (ctx) => about(ctx));
    r.on("GET", "/info", (ctx) => about(ctx));
    r.on("GET", "/", (ctx) => getDomain(ctx, this.domainDeps));
    r.on("PUT", "/", (ctx) => putDomain(ctx, this.domainDeps));
    r.on("DELETE", "/", (ctx) => deleteDomain(ctx));
    r.on("GET", "/domains", (ctx) => listDomains(ctx, this.domainDeps));
    r.on("GET", "/acls", (ctx) => getAcls(ctx));
    r.on("GET", "/acls/*", (ctx, [user]) => getAcl(ctx, user!));
    r.on("PUT", "/acls/*", (ctx, [user]) => putAcl(ctx, user!));

    r.onDomain("POST", "/groups", "create", (ctx, dom) => createGroup(ctx, dom));
    r.onDomain("GET", "/groups", "read", (ctx, dom) =>
      ctx.param("h5path") !== undefined ? getObject(ctx, dom, "groups", undefined) : listObjects(ctx, dom, "groups"));
    r.onDomain("POST", "/datasets", "create", (ctx, dom) => createDataset(ctx, dom));
    r.onDomain("GET", "/datasets", "read", (ctx, dom) =>
      ctx.param("h5path") !== undefined ? getObject(ctx, dom, "datasets", undefined) : listObjects(ctx, dom, "datasets"));
    r.onDomain("POST", "/datatypes", "create", (ctx, dom) => createDatatype(ctx, dom));
    r.onDomain("GET", "/datatypes", "read", (ctx, dom) =>
      ctx.param("h5path") !== undefined ? getObject(ctx, dom, "datatypes", undefined) : listObjects(ctx, dom, "datatypes"));

    r.onDomain("GET", "/groups/*", "read", (ctx, dom, [id]) => getObject(ctx, dom, "groups", id));
    r.onDomain("GET", "/datatypes/*", "read", (ctx, dom, [id]) => getObject(ctx, dom, "datatypes", id));
    r.onDomain("GET", "/datasets/*", "read", (ctx, dom, [id]) =>
      getDataset(ctx, dom, id!, async (dsId) => {
        const stats = await this.statsKeeper.stats(dom.meta, dom.name.bucket, dom.rootId);
        const entry = stats.info.datasets[dsId];
        return { num_chunks: entry?.num_chunks ?? 0, allocated_size: entry?.allocated_bytes ?? 0, lastModified: entry?.lastModified };
      }));
    r.onDomain("DELETE", "/groups/*", "delete", (ctx, dom, [id]) => deleteObject(ctx, dom, "groups", id!));
    r.onDomain("DELETE", "/datatypes/*", "delete", (ctx, dom, [id]) => deleteObject(ctx, dom, "datatypes", id!));
    r.onDomain("DELETE", "/datasets/*", "delete", (ctx, dom, [id]) => deleteObject(ctx, dom, "datasets", id!, (dsId) => deleteChunks(dom, dsId)));
    r.onDomain("GET", "/datasets/*/shape", "read", (ctx, dom, [id]) => getDatasetPart(ctx, dom, id!, "shape"));
    r.onDomain("GET", "/datasets/*/type", "read", (ctx, dom, [id]) => getDatasetPart(ctx, dom, id!, "type"));
    r.onDomain("PUT", "/datasets/*/shape", "update", (ctx, dom, [id]) =>
      resizeDataset(ctx, dom, id!, (view) => new DatasetChunks(view, dom.meta.store, this.locks)));
    r.onDomain("GET", "/datasets/*/value", "read", (ctx, dom, [id]) => getValue(ctx, dom, id!, this.valueDeps));
    r.onDomain("POST", "/datasets/*/value", "read", (ctx, dom, [id]) => postValue(ctx, dom, id!, this.valueDeps));
    r.onDomain("PUT", "/datasets/*/value", "update", (ctx, dom, [id]) => putValue(ctx, dom, id!, this.valueDeps));
    r.onDomain("PUT", "/datasets/*/chunks/*", "update", (ctx, dom, [id, coords]) => putChunk(ctx, dom, id!, coords!, (dsId) => this.chunksFor(dom, dsId)));

    r.onDomain("GET", "/groups/*/links", "read", (ctx, dom, [id]) => listLinks(ctx, dom, id!));
    r.onDomain("PUT", "/groups/*/links", "create", (ctx, dom, [id]) => putLinksBatch(ctx, dom, id));
    r.onDomain("POST", "/groups/*/links", "read", (ctx, dom, [id]) => readLinksBatch(ctx, dom, id));
    r.onDomain("DELETE", "/groups/*/links", "delete", (ctx, dom, [id]) => deleteLinks(ctx, dom, id!, undefined));
    r.onDomain("GET", "/groups/*/links/*", "read", (ctx, dom, [id, title]) => getLink(ctx, dom, id!, title!));
    r.onDomain("PUT", "/groups/*/links/*", "create", (ctx, dom, [id, title]) => putLink(ctx, dom, id!, title!));
    r.onDomain("DELETE", "/groups/*/links/*", "delete", (ctx, dom, [id, title]) => deleteLinks(ctx, dom, id!, title!));

    r.onDomain("GET", "/{cls}/*/attributes", "read", (ctx, dom, p) => listAttributes(ctx, dom, cls(p), p[1]!));
    r.onDomain("PUT", "/{cls}/*/attributes", "create", (ctx, dom, p) => putAttributesBatch(ctx, dom, cls(p), p[1]));
    r.onDomain("POST", "/{cls}/*/attributes", "read", (ctx, dom, p) => readAttributesBatch(ctx, dom, cls(p), p[1]));
    r.onDomain("DELETE", "/{cls}/*/attributes", "delete", (ctx, dom, p) => deleteAttributes(ctx, dom, cls(p), p[1]!, undefined));
    r.onDomain("GET", "/{cls}/*/attributes/*", "read", (ctx, dom, p) => getAttribute(ctx, dom, cls(p), p[1]!, p[2]!));
    r.onDomain("PUT", "/{cls}/*/attributes/*", "create", (ctx, dom, p) => putAttribute(ctx, dom, cls(p), p[1]!, p[2]!));
    r.onDomain("DELETE", "/{cls}/*/attributes/*", "delete", (ctx, dom, p) => deleteAttributes(ctx, dom, cls(p), p[1]!, p[2]!));
    r.onDomain("GET", "/{cls}/*/attributes/*/value", "read", (ctx, dom, p) => getAttributeValue(ctx, dom, cls(p), p[1]!, p[2]!));
    r.onDomain("PUT", "/{cls}/*/attributes/*/value", "update", (ctx, dom, p) => putAttributeValue(ctx, dom, cls(p), p[1]!, p[2]!));
  }
}

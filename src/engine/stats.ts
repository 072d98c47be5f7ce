// The domain summary HSDS's scanner writes to db/<root>/.info.json (hsds-reference §2.9), which
// GET /?verbose=1, hsinfo and hsls -v read. HSDS scans some seconds after a change; we mark domains
// changed as requests write to them and rescan before anyone reads the summary, and when the
// engine closes, so the stored summary is never stale for readers of the same store.
import { itemSize, normalizeType, product, VARIABLE } from "../model/datatype.js";
import { datasetView } from "./dataset-view.js";
import type { DatasetDoc } from "./documents.js";
import { classifyKey, domainPrefix, INFO_NAME } from "./ids.js";
import type { KeyedLock } from "./keyed-lock.js";
import { linkedUsage } from "./linked-layout.js";
import type { MetadataStore } from "./metadata.js";

export interface DatasetInfo {
  lastModified: number;
  num_chunks: number;
  allocated_bytes: number;
  logical_bytes: number;
  linked_bytes: number;
  num_linked_chunks: number;
}

export interface InfoJson {
  lastModified: number;
  num_groups: number;
  num_datatypes: number;
  datasets: Record<string, DatasetInfo>;
  num_chunks: number;
  allocated_bytes: number;
  metadata_bytes: number;
  num_linked_chunks: number;
  linked_bytes: number;
  logical_bytes: number;
  bucket: string;
  scan_start: number;
  md5_sum?: string;
  scan_complete: number;
}

export interface DomainStats {
  info: InfoJson;
}

export class StatsKeeper {
  /** Domains written to since their last scan: "bucket\0rootId" -> store. */
  private readonly changed = new Map<string, MetadataStore>();

  constructor(private readonly locks: KeyedLock) {}

  markChanged(meta: MetadataStore, bucket: string, rootId: string): void {
    this.changed.set(`${bucket}\0${rootId}`, meta);
  }

  async stats(meta: MetadataStore, bucket: string, rootId: string): Promise<DomainStats> {
    if (!this.changed.has(`${bucket}\0${rootId}`)) {
      const stored = await meta.read<InfoJson>(domainPrefix(rootId) + INFO_NAME);
      if (stored) return { info: stored };
    }
    return { info: await this.rescan(meta, bucket, rootId) };
  }

  async rescan(meta: MetadataStore, bucket: string, rootId: string): Promise<InfoJson> {
    const key = `${bucket}\0${rootId}`;
    this.changed.delete(key);
    const info = await scanDomain(meta, this.locks, bucket, rootId);
    try {
      await meta.write(domainPrefix(rootId) + INFO_NAME, info);
    } catch (err) {
      // A read-only store (a shared, archived copy) still gets correct numbers, just not saved.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "EACCES" && code !== "EROFS" && code !== "EPERM") throw err;
    }
    return info;
  }

  /** Rescan every changed domain (before the engine closes or answers a flush). */
  async flush(only?: { bucket: string; rootId: string }): Promise<void> {
    for (const [key, meta] of [...this.changed]) {
      const [bucket, rootId] = key.split("\0") as [string, string];
      if (only && (only.bucket !== bucket || only.rootId !== rootId)) continue;
      await this.rescan(meta, bucket, rootId);
    }
  }
}

function emptyDatasetInfo(): DatasetInfo {
  return { lastModified: 0, num_chunks: 0, allocated_bytes: 0, logical_bytes: 0, linked_bytes: 0, num_linked_chunks: 0 };
}

async function scanDomain(meta: MetadataStore, locks: KeyedLock, bucket: string, rootId: string): Promise<InfoJson> {
  const scanStart = Date.now() / 1000;
  const info: InfoJson = {
    lastModified: 0,
    num_groups: 0,
    num_datatypes: 0,
    datasets: {},
    num_chunks: 0,
    allocated_bytes: 0,
    metadata_bytes: 0,
    num_linked_chunks: 0,
    linked_bytes: 0,
    logical_bytes: 0,
    bucket,
    scan_start: scanStart,
    scan_complete: 0,
  };
  const entry = (id: string) => (info.datasets[id] ??= emptyDatasetInfo());
  for await (const object of meta.store.list(domainPrefix(rootId))) {
    const kind = classifyKey(object.key);
    if (kind.kind === "other") continue;
    info.lastModified = Math.max(info.lastModified, object.lastModified);
    if (kind.kind === "chunk") {
      const ds = entry(kind.datasetId);
      ds.num_chunks++;
      ds.allocated_bytes += object.size;
      ds.lastModified = Math.max(ds.lastModified, object.lastModified);
      info.num_chunks++;
      info.allocated_bytes += object.size;
      continue;
    }
    info.metadata_bytes += object.size;
    if (kind.kind === "group") info.num_groups++;
    else if (kind.kind === "datatype") info.num_datatypes++;
    else {
      const ds = entry(kind.id);
      ds.lastModified = Math.max(ds.lastModified, object.lastModified);
    }
  }
  for (const [id, ds] of Object.entries(info.datasets)) {
    const doc = await meta.object<DatasetDoc>(id);
    if (!doc) continue;
    const size = itemSize(normalizeType(doc.type));
    const dims = doc.shape.class === "H5S_SIMPLE" ? doc.shape.dims : doc.shape.class === "H5S_SCALAR" ? [1] : [0];
    ds.logical_bytes = size === VARIABLE ? ds.allocated_bytes : product(dims) * size;
    const linked = await linkedUsage(meta, locks, datasetView(doc));
    ds.linked_bytes = linked.bytes;
    ds.num_linked_chunks = linked.chunks;
    info.logical_bytes += ds.logical_bytes;
    info.linked_bytes += ds.linked_bytes;
    info.num_linked_chunks += ds.num_linked_chunks;
  }
  info.scan_complete = Date.now() / 1000;
  return info;
}

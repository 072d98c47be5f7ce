// Carrying out a plan against a domain: every object created anonymously and in parallel, then each group's
// links in one batch request (in the source's order), each object's attributes in one batch request, then the
// values streamed. Object references are rewritten to the copied objects on the way.
import type { DomainHandle } from "../client/hsds-client.js";
import type { AttributeDefinition, LinkTarget, TypeJson } from "../client/hsds-types.js";
import { type ObjectKey, parseSourceReference } from "../hdf5/source/source-tree.js";
import { attributeDefinition } from "./attribute-values.js";
import { forEachLimited } from "./concurrency.js";
import type { LoadPlan, PlannedLink, PlannedType } from "./load-plan.js";
import type { ReferenceResolver } from "./reference-rewrite.js";
import type { StoredChunks } from "./chunk-passthrough.js";
import { withChunkTable } from "./link-run.js";
import { type BlockSource, copyValues } from "./value-copy.js";

export interface LoadProgress {
  objectsDone: number;
  objectsTotal: number;
  /** Bytes of dataset values done (written, or found to need no write). */
  bytesDone: number;
  bytesTotal: number;
}

export interface RunOptions {
  /** Requests in flight (--parallel). */
  parallel: number;
  /** Bytes of values held in memory at once; default 64 MiB (more buys no speed: writes are the bottleneck). */
  memoryBudget?: number;
  /** Largest block read from the source at once; default 32 MiB. */
  maxBlockBytes?: number;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
  /** The source's stored chunks, when the target takes chunks as stored. */
  storedChunks?: StoredChunks;
}

export interface RunSummary {
  groups: number;
  datasets: number;
  datatypes: number;
  links: number;
  attributes: number;
  /** Bytes of the copied datasets' values (logical size). */
  bytes: number;
  /** Value writes sent, and their bytes. */
  writes: number;
  bytesWritten: number;
  /** References to objects that are not copied (anonymous or left out), written as null references. */
  nullReferences: number;
}

const MIB = 1024 * 1024;
/** Links per PUT .../links and attributes per PUT .../attributes: big batches, bodies of a few MB at most. */
const LINK_BATCH = 1000;
const ATTRIBUTE_BATCH = 500;
const ATTRIBUTE_BATCH_BYTES = 8 * MIB;

export async function runPlan(plan: LoadPlan, domain: DomainHandle, source: BlockSource, options: RunOptions): Promise<RunSummary> {
  const parallel = Math.max(1, options.parallel);
  const ids = new Map<ObjectKey, string>();
  const rootId = (await domain.get()).root!;
  ids.set(plan.root, rootId);
  const progress: LoadProgress = {
    objectsDone: 0,
    objectsTotal: plan.groups.length + plan.datatypes.length + plan.datasets.length,
    bytesDone: 0,
    bytesTotal: plan.datasets.reduce((total, d) => total + (d.values === "none" ? 0 : d.bytes), 0),
  };
  const report = () => options.onProgress?.({ ...progress });
  const created = (key: ObjectKey, id: string) => {
    ids.set(key, id);
    progress.objectsDone++;
    report();
  };
  const checkAbort = () => options.signal?.throwIfAborted();
  // The model's exact type interfaces are the client's loose TypeJson on the wire.
  const typeJson = (t: PlannedType): TypeJson => (t.committed !== undefined ? ids.get(t.committed)! : (t.type as unknown as TypeJson));
  report();

  // Committed types first: datasets and attributes may be created from them.
  await forEachLimited([...plan.groups, ...plan.datatypes], parallel, async (object) => {
    checkAbort();
    const answer = "type" in object
      ? await domain.createDatatype({ type: typeJson({ type: object.type }) })
      : await domain.createGroup({ creationProperties: object.creationProperties });
    created(object.key, answer.id);
  });
  await forEachLimited(plan.datasets, parallel, async (dataset) => {
    checkAbort();
    const answer = await domain.createDataset({
      type: typeJson(dataset.type),
      shape: dataset.shape,
      maxdims: dataset.maxdims,
      creationProperties: await withChunkTable(domain, dataset),
    });
    created(dataset.key, answer.id);
  });

  let nullReferences = 0;
  const resolve = referenceResolver(ids, () => nullReferences++);

  await forEachLimited(linkBatches(plan, ids), parallel, async ({ group, links }) => {
    checkAbort();
    await domain.putLinks(group, links);
  });

  await forEachLimited(attributeBatches(plan, ids, typeJson, resolve), parallel, async ({ object, attributes }) => {
    checkAbort();
    await domain.putAttributes(object, attributes);
  });

  let writes = 0;
  let bytesWritten = 0;
  await copyValues(plan.datasets, domain, source, ids, resolve, {
    parallel,
    memoryBudget: options.memoryBudget ?? 64 * MIB,
    maxBlockBytes: options.maxBlockBytes ?? 32 * MIB,
    signal: options.signal,
    storedChunks: options.storedChunks,
    onBytes: (bytes) => {
      progress.bytesDone += bytes;
      report();
    },
    onWrite: (bytes) => {
      writes++;
      bytesWritten += bytes;
    },
  });

  return {
    groups: plan.groups.length + 1,
    datasets: plan.datasets.length,
    datatypes: plan.datatypes.length,
    links: plan.links.reduce((n, g) => n + g.links.length, 0),
    attributes: plan.attributes.reduce((n, o) => n + o.attributes.length, 0),
    bytes: progress.bytesTotal,
    writes,
    bytesWritten,
    nullReferences,
  };
}

/** "groups/<id>", "datasets/<id>" or "datatypes/<id>" of the copy of a placeholder's object; "" for none. */
export function referenceResolver(ids: ReadonlyMap<ObjectKey, string>, missing: () => void): ReferenceResolver {
  const collections: Record<string, string> = { g: "groups", d: "datasets", t: "datatypes" };
  return (placeholder) => {
    if (placeholder === "") return "";
    const key = parseSourceReference(placeholder);
    const id = key === undefined ? undefined : ids.get(key);
    if (id === undefined) {
      missing();
      return "";
    }
    return `${collections[id[0]!]}/${id}`;
  };
}

function* linkBatches(plan: LoadPlan, ids: ReadonlyMap<ObjectKey, string>): Generator<{ group: string; links: Record<string, LinkTarget> }> {
  for (const { group, links } of plan.links) {
    for (let i = 0; i < links.length; i += LINK_BATCH) {
      yield { group: ids.get(group)!, links: Object.fromEntries(links.slice(i, i + LINK_BATCH).map((link) => [link.name, linkTarget(link, ids)])) };
    }
  }
}

function linkTarget(link: PlannedLink, ids: ReadonlyMap<ObjectKey, string>): LinkTarget {
  return "object" in link.target ? { id: ids.get(link.target.object)! } : link.target;
}

function* attributeBatches(
  plan: LoadPlan,
  ids: ReadonlyMap<ObjectKey, string>,
  typeJson: (t: PlannedType) => TypeJson,
  resolve: ReferenceResolver,
): Generator<{ object: string; attributes: Record<string, AttributeDefinition> }> {
  for (const { object, attributes } of plan.attributes) {
    let batch: Record<string, AttributeDefinition> = {};
    let count = 0;
    let bytes = 0;
    for (const attribute of attributes) {
      if (count >= ATTRIBUTE_BATCH || bytes >= ATTRIBUTE_BATCH_BYTES) {
        yield { object: ids.get(object)!, attributes: batch };
        batch = {};
        count = 0;
        bytes = 0;
      }
      batch[attribute.name] = attributeDefinition(attribute, typeJson(attribute.type), resolve);
      count++;
      bytes += attribute.value?.length ?? 0;
    }
    if (count > 0) yield { object: ids.get(object)!, attributes: batch };
  }
}

// Concatenation, the one structure change of an aggregate load that replaces an object: a dataset of shape S
// becomes a new dataset of shape (rows, *S) whose row 0 holds the old values and attributes — copied, or for a
// linked dataset (-a --link) the old chunk references as row 0 of a chunk table the files share. Done in steps
// that can each be replayed, recorded in the ledger before the first: the new dataset is made under a
// temporary link beside the old one and filled; then every link to the old dataset is moved to the new one,
// the temporary link removed, references to the old dataset rewritten, and the old dataset deleted (with its
// chunk table, if linked). A run stopped before the links moved is rolled back; one stopped after is rolled
// forward (recoverStep).
import type { DomainHandle } from "../client/hsds-client.js";
import type { AttributeDefinition, CreationProperties } from "../client/hsds-types.js";
import { boxSelect } from "../hdf5/source/box.js";
import { itemSize, VARIABLE } from "../model/datatype.js";
import { DEFAULT_CHUNK_LIMITS } from "../model/layout.js";
import { fillValueBytes } from "../model/values.js";
import { adjustForStacking, mentionsAny, replaceReferences } from "./aggregate-attributes.js";
import { ignoreMissing, unlessMissing } from "./aggregate-missing.js";
import type { TargetDataset } from "./aggregate-target.js";
import { forEachLimited } from "./concurrency.js";
import { isInternalAttribute } from "./internal-attributes.js";
import type { StepRecord } from "./ledger-records.js";
import { sharedLinkedCreation } from "./link-aggregate.js";
import { chunkTableOf, createChunkTable, deleteWithChunkTable, readChunkTable, unlinkChunkTable, writeTableBlock } from "./link-run.js";
import { refsOfLinkedLayout, stackedTableBlock } from "./link-table.js";
import type { PlannedDataset } from "./load-plan.js";
import { type BlockSource, copyValues, type ValueCopyOptions } from "./value-copy.js";

export interface CopyLimits {
  parallel: number;
  memoryBudget: number;
  maxBlockBytes: number;
  signal?: AbortSignal;
  onBytes?: (bytes: number) => void;
}

/** The new dataset, filled with the old one's values (row 0) and attributes, under the step's temporary link. */
export async function makeConcatenated(
  domain: DomainHandle,
  step: StepRecord,
  old: TargetDataset,
  shape: number[],
  maxdims: number[],
  limits: CopyLimits,
): Promise<string> {
  const chunk = (old.creationProperties?.layout?.dims ?? old.layout?.dims) as number[] | undefined;
  const properties = { ...old.creationProperties };
  if (chunk) properties.layout = { class: "H5D_CHUNKED", dims: [1, ...chunk] };
  else delete properties.layout;
  const id = await createConcatenated(domain, step, old, shape, maxdims, properties);
  await copyRowZero(domain, old, id, limits);
  await copyAttributes(domain, old.id, id);
  return id;
}

/**
 * The new dataset of a linked dataset's concatenation, under the step's temporary link: a chunk table with a row
 * per file, made first, whose row 0 references the chunks the old dataset links to (whatever its layout), and the
 * old dataset's attributes. The old dataset's filters and fill value are kept.
 */
export async function makeLinkedConcatenated(domain: DomainHandle, step: StepRecord, old: TargetDataset, shape: number[], maxdims: number[]): Promise<string> {
  const layout = old.creationProperties!.layout!;
  const oldTable = chunkTableOf(old.creationProperties);
  const existing = oldTable === undefined ? undefined : await readChunkTable(domain, oldTable);
  const { refs, fileUri } = refsOfLinkedLayout(layout, old.shape!, itemSize(old.type) as number, DEFAULT_CHUNK_LIMITS.maxChunkSize, existing);
  const { creationProperties, table } = sharedLinkedCreation({ planned: old, linked: { refs } }, { stacked: true, rows: shape[0]! });
  const beside = { id: step.links[0]!.group, name: step.links[0]!.title };
  const tableId = await createChunkTable(domain, table, beside);
  await writeTableBlock(domain, tableId, stackedTableBlock(refs, fileUri, 0));
  const properties = { ...creationProperties, layout: { ...creationProperties.layout!, chunk_table: tableId } };
  const id = await createConcatenated(domain, step, old, shape, maxdims, properties);
  await unlinkChunkTable(domain, beside);
  await copyAttributes(domain, old.id, id);
  return id;
}

/**
 * The new dataset, created with no rows and then grown: HSDS sizes the chunks from the shape at creation, so each
 * row gets chunks of its own (as when h5pyd concatenates).
 */
async function createConcatenated(domain: DomainHandle, step: StepRecord, old: TargetDataset, shape: number[], maxdims: number[], properties: CreationProperties): Promise<string> {
  const created = await domain.createDataset({
    type: old.typeJson,
    shape: [0, ...shape.slice(1)],
    maxdims,
    creationProperties: properties,
    link: { id: step.links[0]!.group, name: step.temp },
  });
  await domain.resizeDataset(created.id, shape);
  return created.id;
}

/** The old values as row 0 of the new dataset, through the loader's block pipeline. */
async function copyRowZero(domain: DomainHandle, old: TargetDataset, newId: string, limits: CopyLimits): Promise<void> {
  const shape = old.shape!;
  const size = itemSize(old.type);
  const elements = shape.reduce((a, b) => a * b, 1);
  const dataset: PlannedDataset = {
    key: 0,
    path: "",
    type: { type: old.type },
    shape,
    values: elements === 0 ? "none" : "blocks",
    sourceChunks: old.layout?.dims,
    bytes: elements * (size === VARIABLE ? 128 : size),
  };
  const fill = fillValueBytes(old.type, old.creationProperties);
  if (fill) dataset.fill = fill;
  const source: BlockSource = {
    readBlock: async (_key, box) => ({ allocated: true, bytes: await domain.readValue(old.id, { select: boxSelect(box) }) }),
  };
  const options: ValueCopyOptions = { ...limits, placement: () => ({ offset: shape.map(() => 0).concat(0), stacked: true, overwrite: false }) };
  // The values are the target's own: their references already name target objects.
  await copyValues([dataset], domain, source, new Map([[0, newId]]), (text) => text, options);
}

async function copyAttributes(domain: DomainHandle, fromId: string, toId: string): Promise<void> {
  const attributes: Record<string, AttributeDefinition> = {};
  for await (const a of domain.listAttributes(fromId, { includeData: true })) {
    const definition: AttributeDefinition = { type: a.type, shape: a.shape, value: a.value };
    if (a.encoding) definition.encoding = a.encoding;
    attributes[a.name] = adjustForStacking(a.name, definition, true, () => false);
  }
  if (Object.keys(attributes).length > 0) await domain.putAttributes(toId, attributes);
}

/** Move every link of the old dataset to the new one, then drop the temporary link. */
export async function moveLinks(domain: DomainHandle, step: StepRecord, newId: string): Promise<void> {
  for (const { group, title } of step.links) {
    const current = await linkTarget(domain, group, title);
    if (current === newId) continue;
    if (current !== undefined) await domain.deleteLink(group, title);
    await domain.putLink(group, title, { id: newId });
  }
  await ignoreMissing(() => domain.deleteLink(step.links[0]!.group, step.temp));
}

/**
 * References to replaced datasets in the attributes of `objects`, rewritten (a scale's REFERENCE_LIST entry also
 * names the dimension one further on); then the replaced datasets deleted.
 */
export async function retire(domain: DomainHandle, objects: Iterable<string>, replaced: ReadonlyMap<string, string>, parallel: number): Promise<void> {
  const old = new Set(replaced.keys());
  const stacked = (reference: string) => old.has(reference.replace(/^datasets\//, ""));
  const live = [...new Set(objects)].filter((id) => !old.has(id));
  // An object may be gone since `objects` was read (another step of a stopped run rolled back): nothing to rewrite.
  await forEachLimited(live, parallel, (id) =>
    ignoreMissing(async () => {
      const rewritten: Record<string, AttributeDefinition> = {};
      for await (const a of domain.listAttributes(id, { includeData: true })) {
        if (isInternalAttribute(a.name) || !mentionsAny(a.value, old)) continue;
        const definition: AttributeDefinition = { type: a.type, shape: a.shape, value: a.value };
        rewritten[a.name] = replaceReferences(adjustForStacking(a.name, definition, false, stacked), replaced);
      }
      if (Object.keys(rewritten).length > 0) await domain.putAttributes(id, rewritten);
    }),
  );
  for (const id of old) await deleteWithChunkTable(domain, id);
}

/**
 * Complete or undo a step a stopped run left "started". Returns the new dataset's id when the step was rolled
 * forward (its links moved; the caller then retires the old dataset), undefined when rolled back.
 */
export async function recoverStep(domain: DomainHandle, step: StepRecord): Promise<string | undefined> {
  const { group, title } = step.links[0]!;
  const current = await linkTarget(domain, group, title);
  const made = await linkTarget(domain, group, step.temp);
  if (current === step.old || made === undefined) {
    // The links had not moved: drop the half-made dataset; a new plan concatenates again.
    if (made !== undefined) {
      await deleteWithChunkTable(domain, made);
      await ignoreMissing(() => domain.deleteLink(group, step.temp));
    }
    return current === step.old || current === undefined ? undefined : current;
  }
  await moveLinks(domain, step, made);
  return made;
}

async function linkTarget(domain: DomainHandle, group: string, title: string): Promise<string | undefined> {
  return (await unlessMissing(() => domain.getLink(group, title)))?.id;
}

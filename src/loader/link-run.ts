// Creating a linked dataset whose layout needs a chunk table: the table first, as an anonymous dataset written in
// one request (h5pyd writes it whole too), then the layout that names it; in a domain a run stopped half-way may
// be resumed in (-a), the table is linked beside its dataset until the dataset names it, so that it is found
// again rather than orphaned. Writing the blocks files add to a shared table; reading a table back; deleting a
// dataset with its table. And after a load, one read through the server to prove it finds the linked file.
import { isAbsolute } from "node:path";
import { HsdsError } from "../client/errors.js";
import type { DomainHandle } from "../client/hsds-client.js";
import type { CreationProperties, TypeJson } from "../client/hsds-types.js";
import { boxSelect } from "../hdf5/source/box.js";
import { normalizeType } from "../model/datatype.js";
import { decodeElements } from "../model/values.js";
import { ignoreMissing } from "./aggregate-missing.js";
import type { TargetState } from "./aggregate-target.js";
import type { LoadPlan, PlannedDataset } from "./load-plan.js";
import { storedElement } from "./link-layout.js";
import { chunkTableType, encodeChunkTable, type ExistingTable, type PlannedChunkTable, type TableBlock } from "./link-table.js";
import { hasUriScheme } from "./link-uri.js";

/**
 * An extensible table's chunks hold far more entries than are written (HSDS makes chunks of at least 1 MiB, sizing
 * each variable-length file_uri as 128 bytes), and every chunk is stored whole: compressed, the empty entries take
 * almost nothing.
 */
const EXTENSIBLE_TABLE_PROPERTIES: CreationProperties = { filters: [{ class: "H5Z_FILTER_DEFLATE", id: 1, name: "gzip", level: 6 }] };

/** Where a dataset is linked: its group and its name. */
export interface LinkPlace {
  id: string;
  name: string;
}

/** A chunk table is linked under its dataset's name and this while the dataset is being created. */
export const TABLE_LINK_SUFFIX = ".hsload-chunk-table";

/**
 * Creates the chunk table and writes its entries, if it has any yet; returns its id. With `beside`, the dataset's
 * place, the table is linked beside it until unlinkChunkTable.
 */
export async function createChunkTable(domain: DomainHandle, table: PlannedChunkTable, beside?: LinkPlace): Promise<string> {
  const created = await domain.createDataset({
    type: chunkTableType(table.fileUris !== undefined) as unknown as TypeJson,
    shape: table.shape,
    maxdims: table.maxdims,
    creationProperties: table.maxdims.includes(0) ? EXTENSIBLE_TABLE_PROPERTIES : undefined,
    link: beside && { id: beside.id, name: `${beside.name}${TABLE_LINK_SUFFIX}` },
  });
  if (table.refs.length > 0) await domain.writeValue(created.id, encodeChunkTable(table));
  return created.id;
}

/** The dataset at `beside` names its table now: the table's own link goes. */
export async function unlinkChunkTable(domain: DomainHandle, beside: LinkPlace): Promise<void> {
  await ignoreMissing(() => domain.deleteLink(beside.id, `${beside.name}${TABLE_LINK_SUFFIX}`));
}

/**
 * What a stopped run left of its chunk tables' creation: a table some dataset names loses its link; one no dataset
 * names (its dataset was never made) is deleted. True when anything changed.
 */
export async function settleChunkTables(domain: DomainHandle, target: TargetState): Promise<boolean> {
  const named = new Set<string>();
  for (const entry of target.entries.values()) {
    const table = entry.kind === "dataset" ? chunkTableOf(entry.creationProperties) : undefined;
    if (table !== undefined) named.add(table);
  }
  let changed = false;
  for (const [path, entry] of target.entries) {
    if (entry.kind !== "dataset" || !path.endsWith(TABLE_LINK_SUFFIX)) continue;
    const slash = path.lastIndexOf("/");
    const group = target.entries.get(path.slice(0, slash) || "/") as { id: string };
    await ignoreMissing(() => domain.deleteLink(group.id, path.slice(slash + 1)));
    if (!named.has(entry.id)) await ignoreMissing(() => domain.deleteDataset(entry.id));
    changed = true;
  }
  return changed;
}

/** Writes the entries of one file into a shared chunk table (a row of a stacked table, a block of an extended one). */
export async function writeTableBlock(domain: DomainHandle, tableId: string, block: TableBlock): Promise<void> {
  await domain.writeValue(tableId, encodeChunkTable(block), { select: boxSelect({ start: block.start, count: block.count }) });
}

/** The dataset's creation properties, its chunk table created first when it has one (linked `beside` it, if given). */
export async function withChunkTable(
  domain: DomainHandle,
  dataset: Pick<PlannedDataset, "chunkTable" | "creationProperties">,
  beside?: LinkPlace,
): Promise<CreationProperties | undefined> {
  if (!dataset.chunkTable) return dataset.creationProperties;
  const chunkTable = await createChunkTable(domain, dataset.chunkTable, beside);
  const properties = dataset.creationProperties!;
  return { ...properties, layout: { ...properties.layout!, chunk_table: chunkTable } };
}

/** The id of the chunk table a dataset's layout names, if it has one. */
export function chunkTableOf(properties: CreationProperties | undefined): string | undefined {
  const table = properties?.layout?.chunk_table;
  return typeof table === "string" ? table : undefined;
}

/** A chunk table of the domain: its shape and entries in C order. */
export async function readChunkTable(domain: DomainHandle, tableId: string): Promise<ExistingTable> {
  const info = await domain.getDataset(tableId);
  const shape = info.shape.dims ?? [];
  const count = shape.reduce((a, b) => a * b, 1);
  const rows = count === 0 ? [] : decodeElements(await domain.readValue(tableId), normalizeType(info.type), count);
  return { shape, refs: rows.map((row) => ({ offset: Number((row as unknown[])[0]), size: Number((row as unknown[])[1]) })) };
}

/**
 * Deletes a dataset and the chunk table its layout names (an anonymous dataset made for it alone). The table goes
 * first: a run stopped in between leaves the dataset, which a re-run deletes again, rather than an orphan table.
 */
export async function deleteWithChunkTable(domain: DomainHandle, id: string): Promise<void> {
  await ignoreMissing(async () => {
    const table = chunkTableOf((await domain.getDataset(id)).creationProperties);
    if (table !== undefined) await ignoreMissing(() => domain.deleteDataset(table));
    await domain.deleteDataset(id);
  });
}

/** The server cannot read a linked dataset's file: the domain would be unreadable. */
export class LinkedFileError extends Error {
  override name = "LinkedFileError";
}

/**
 * Reads one stored element of the first linked dataset of a load, so a file_uri the server cannot resolve (a
 * relative path given where the server's root is not) fails the load instead of every later read.
 */
export async function checkLinkedFileReadable(domain: DomainHandle, plan: LoadPlan): Promise<void> {
  for (const dataset of plan.datasets) {
    const element = storedElement(dataset);
    if (!element) continue;
    const { id } = await domain.getDatasetByPath(dataset.path);
    return checkLinkedElementReadable(domain, id, element, String(dataset.creationProperties!.layout!.file_uri));
  }
}

/** Reads the element at `element` of a linked dataset, whose bytes are in `fileUri`; LinkedFileError if the server cannot. */
export async function checkLinkedElementReadable(domain: DomainHandle, id: string, element: readonly number[], fileUri: string): Promise<void> {
  try {
    await domain.readValue(id, { select: boxSelect({ start: [...element], count: element.map(() => 1) }) });
  } catch (err) {
    const hint = isAbsolute(fileUri) || hasUriScheme(fileUri) ? "" : " (a relative path names a file under the server's root directory: run hsload there, or give --linkpath)";
    // The server's own words (e.g. "linked file … not found"), without the temporary domain's name.
    const reason = err instanceof HsdsError && err.reason ? err.reason : (err as Error).message;
    throw new LinkedFileError(`the server cannot read the linked file ${fileUri}${hint}: ${reason}`);
  }
}

// Creating a linked dataset whose layout needs a chunk table: the table first, as an anonymous dataset written in
// one request (h5pyd writes it whole too), then the layout that names it. And after a load, one read through
// the server to prove it finds the linked file.
import { isAbsolute } from "node:path";
import { HsdsError } from "../client/errors.js";
import type { DomainHandle } from "../client/hsds-client.js";
import type { CreationProperties, TypeJson } from "../client/hsds-types.js";
import { boxSelect } from "../hdf5/source/box.js";
import type { LoadPlan, PlannedDataset } from "./load-plan.js";
import { storedElement } from "./link-layout.js";
import { chunkTableType, encodeChunkTable, type PlannedChunkTable, type TableBlock } from "./link-table.js";
import { hasUriScheme } from "./link-uri.js";

/** Creates the chunk table and writes its entries, if it has any yet; returns its id. */
export async function createChunkTable(domain: DomainHandle, table: PlannedChunkTable): Promise<string> {
  const created = await domain.createDataset({
    type: chunkTableType(table.fileUris !== undefined) as unknown as TypeJson,
    shape: table.shape,
    maxdims: table.maxdims,
  });
  if (table.refs.length > 0) await domain.writeValue(created.id, encodeChunkTable(table));
  return created.id;
}

/** Writes the entries of one file into a shared chunk table (a row of a stacked table, a block of an extended one). */
export async function writeTableBlock(domain: DomainHandle, tableId: string, block: TableBlock): Promise<void> {
  await domain.writeValue(tableId, encodeChunkTable(block), { select: boxSelect({ start: block.start, count: block.count }) });
}

/** The dataset's creation properties, its chunk table created first when it has one. */
export async function withChunkTable(domain: DomainHandle, dataset: PlannedDataset): Promise<CreationProperties | undefined> {
  if (!dataset.chunkTable) return dataset.creationProperties;
  const chunkTable = await createChunkTable(domain, dataset.chunkTable);
  const properties = dataset.creationProperties!;
  return { ...properties, layout: { ...properties.layout!, chunk_table: chunkTable } };
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
    const fileUri = String(dataset.creationProperties!.layout!.file_uri);
    const { id } = await domain.getDatasetByPath(dataset.path);
    try {
      await domain.readValue(id, { select: boxSelect({ start: element, count: element.map(() => 1) }) });
    } catch (err) {
      const hint = isAbsolute(fileUri) || hasUriScheme(fileUri) ? "" : " (a relative path names a file under the server's root directory: run hsload there, or give --linkpath)";
      // The server's own words (e.g. "linked file … not found"), without the temporary domain's name.
      const reason = err instanceof HsdsError && err.reason ? err.reason : (err as Error).message;
      throw new LinkedFileError(`the server cannot read the linked file ${fileUri}${hint}: ${reason}`);
    }
    return;
  }
}

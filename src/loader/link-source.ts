// What hsload --link reads of a source besides its tree: the chunk index of every dataset that may be linked
// (our own HDF5 reader, metadata only), and the file_uri the server will know the file by.
import { LocalFileSource } from "../hdf5/byte-source.js";
import type { ObjectKey, SourceTree } from "../hdf5/source/source-tree.js";
import { type DatasetStorageInfo, Hdf5StorageReader } from "../hdf5/storage-info.js";
import { copiedBecause, type LinkSource } from "./link-layout.js";
import { linkFileUri, type LinkOptions } from "./link-uri.js";

/** The source's chunk locations cannot be read. */
export class LinkSourceError extends Error {
  override name = "LinkSourceError";
}

export async function readLinkSource(file: string, tree: SourceTree, options: LinkOptions): Promise<LinkSource> {
  const fileUri = linkFileUri(file, options);
  const storage = new Map<ObjectKey, DatasetStorageInfo>();
  const bytes = await LocalFileSource.open(file);
  try {
    const reader = await Hdf5StorageReader.open(bytes);
    for (const object of tree.objects) {
      if (object.kind !== "dataset" || copiedBecause(object) !== undefined) continue;
      try {
        storage.set(object.key, await reader.datasetStorage(object.key));
      } catch (err) {
        throw new LinkSourceError(`${file}: ${object.path}: its chunk locations cannot be read: ${(err as Error).message}`);
      }
    }
  } finally {
    await bytes.close();
  }
  return { fileUri, storage };
}

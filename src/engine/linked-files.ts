// Where the file_uri of a linked dataset points (hsds-reference §5.2). HSDS resolves a scheme-less
// "bucket/path" (and file://bucket/path) under its POSIX root_dir; we also accept absolute local
// paths. s3:// URIs need S3 access, which this engine does not have yet.
import { isAbsolute, join, normalize, sep } from "node:path";
import { LocalFileSource, type ByteSource } from "../hdf5/byte-source.js";
import { HttpError, LINKED_SOURCE_FAILED } from "./http-error.js";

export interface LinkedFileOpener {
  open(fileUri: string): Promise<ByteSource>;
}

export class PosixLinkedFiles implements LinkedFileOpener {
  /** rootDir: HSDS's root_dir (bucket directories below it); undefined when the store is not POSIX. */
  constructor(private readonly rootDir: string | undefined) {}

  localPath(fileUri: string): string {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(fileUri) && !fileUri.startsWith("file://")) {
      throw new HttpError(400, `linked file ${fileUri}: only local files (bucket/path under the server root, or absolute paths) can be read by this server`);
    }
    const uri = fileUri.startsWith("file://") ? fileUri.slice("file://".length) : fileUri;
    if (isAbsolute(uri)) return normalize(uri);
    if (!this.rootDir) throw new HttpError(400, `linked file ${fileUri}: relative file_uri needs a server root directory`);
    const path = normalize(join(this.rootDir, uri));
    if (!path.startsWith(this.rootDir + sep)) throw new HttpError(400, `linked file ${fileUri} lies outside the server root`);
    return path;
  }

  async open(fileUri: string): Promise<ByteSource> {
    const path = this.localPath(fileUri);
    try {
      return await LocalFileSource.open(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") throw new HttpError(LINKED_SOURCE_FAILED, `linked file ${fileUri} not found`);
      throw new HttpError(LINKED_SOURCE_FAILED, `linked file ${fileUri} cannot be opened: ${code ?? (err as Error).message}`);
    }
  }
}

// The file_uri a linked dataset names its source by (hsds-reference §5.2). HSDS resolves "bucket/path" under its
// POSIX root (or bucket), "s3://bucket/key" in S3; our engine also reads absolute local paths. The client only
// knows the server's root for the in-process `local` endpoint; otherwise a relative source path is taken as
// h5pyd takes it: as-is, relative both to where hsload runs and to the server's root.
import { isAbsolute, normalize, posix, relative, resolve, sep } from "node:path";

export interface LinkOptions {
  /** --linkpath: the URI to store instead of one made from the source path. */
  linkpath?: string;
  /** The server's root directory when the client knows it (the `local` endpoint). */
  serverRoot?: string;
}

/** A source that cannot be named in a form the server resolves. */
export class LinkUriError extends Error {
  override name = "LinkUriError";
}

/** "s3://...", "file://...", "https://...": a URI rather than a path. */
export function hasUriScheme(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/** The file_uri to store for `source`; LinkUriError when no form the server resolves can name it. */
export function linkFileUri(source: string, options: LinkOptions, cwd = process.cwd()): string {
  if (options.linkpath !== undefined) {
    if (options.linkpath.trim() === "") throw new LinkUriError("--linkpath is empty");
    return options.linkpath;
  }
  if (hasUriScheme(source)) return source;
  if (options.serverRoot !== undefined) {
    const absolute = resolve(cwd, source);
    const inRoot = relative(resolve(options.serverRoot), absolute);
    return inRoot !== "" && !inRoot.startsWith(`..${sep}`) && inRoot !== ".." && !isAbsolute(inRoot) ? toPosix(inRoot) : absolute;
  }
  if (isAbsolute(source)) return normalize(source);
  const inRoot = toPosix(normalize(source));
  if (inRoot === ".." || inRoot.startsWith("../")) {
    throw new LinkUriError(`${source} is not under the directory hsload runs in, so the server cannot find it relative to its root: give an absolute path or --linkpath`);
  }
  return inRoot;
}

function toPosix(path: string): string {
  return sep === posix.sep ? path : path.split(sep).join(posix.sep);
}

import { badRequest } from "./http-error.js";

/** A domain (or folder) as the engine keys it: bucket + absolute path without trailing "/". */
export interface DomainName {
  bucket: string;
  path: string;
}

const BUCKET_NAME = /^[A-Za-z0-9_.-]+$/;

export function validBucket(name: string): string {
  // "." and ".." match the character set but name no bucket: they are the root dir and its parent.
  if (!BUCKET_NAME.test(name) || name === "." || name === "..") throw badRequest(`Invalid bucket name: ${name}`);
  return name;
}

/**
 * The `domain` query parameter in any of HSDS's forms: "/home/a/x.h5", "hdf5://home/a/x.h5" or
 * "bucket/home/a/x.h5". A trailing "/" is accepted only where a folder listing asks for it.
 */
export function parseDomainName(
  raw: string,
  bucketFromRequest: string | undefined,
  defaultBucket: string,
  opts: { folderListing?: boolean } = {},
): DomainName {
  let text = raw.startsWith("hdf5:/") ? raw.slice("hdf5:/".length) : raw;
  let bucket = bucketFromRequest ?? defaultBucket;
  if (!text.startsWith("/")) {
    const slash = text.indexOf("/");
    if (slash <= 0) throw badRequest("Invalid domain name");
    bucket = text.slice(0, slash);
    text = text.slice(slash);
  }
  validBucket(bucket);
  if (text.endsWith("/") && text !== "/") {
    if (!opts.folderListing) throw badRequest("Invalid domain name");
    text = text.slice(0, -1);
  }
  if (text !== "/") {
    for (const segment of text.slice(1).split("/")) {
      if (segment === "" || segment === "." || segment === ".." || segment.includes("\0") || segment.includes("\\")) {
        throw badRequest("Invalid domain name");
      }
    }
  }
  return { bucket, path: text };
}

export function domainKey(path: string): string {
  return `${path.slice(1)}/.domain.json`;
}

/** Parent folder path; "/" for a top-level name. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

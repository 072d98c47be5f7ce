// Walking folders for hsls the way h5pyd does: the folder's own row, then one row per entry, and
// with -r each sub-folder listed in turn (its own row again first). Sub-folders the user may not
// read, or that vanished meanwhile, are skipped silently; failures on the folder asked for are not.
import type { HsdsClient } from "../../client/hsds-client.js";
import type { Acl, DomainInfo, FolderEntry } from "../../client/hsds-types.js";
import type { FolderRow } from "../format/folder-listing.js";
import { isDenied, isGone, statusOf } from "./failures.js";
import { folderText } from "./targets.js";

export type AclResult = { acls: Acl[] } | { denied: true };

export interface FolderListingRow extends FolderRow {
  /** The row a folder prints for itself when it is listed (the listed folder, or a sub-folder with -r). */
  self: boolean;
  /** Path relative to the folder the user asked for (what -n prints). */
  relative: string;
  created?: number;
  acls?: AclResult;
}

export interface FolderWalkOptions {
  recursive: boolean;
  verbose: boolean;
  showAcls: boolean;
  pattern?: string;
  query?: string;
}

/** The argument names a domain where a folder was expected. */
export class NotAFolderError extends Error {
  override readonly name = "NotAFolderError";
}

/** hsls asks for small pages so that a long listing starts printing soon. */
const PAGE_SIZE = 100;

/** A sub-folder the user may not read, or that went away meanwhile. */
function isSkippable(err: unknown): boolean {
  return isGone(err) || statusOf(err) === 403;
}

/** The ACLs of a domain or folder, or that the server will not show them. */
export async function aclsOf(client: HsdsClient, path: string): Promise<AclResult> {
  try {
    return { acls: await client.domain(path).getAcls() };
  } catch (err) {
    if (isDenied(err)) return { denied: true };
    throw err;
  }
}

type FolderFacts = Pick<DomainInfo, "owner" | "lastModified" | "created">;

/** The folder's own document; the top level "/" has none. */
async function folderInfo(client: HsdsClient, path: string): Promise<FolderFacts | undefined> {
  if (path === "/") return undefined;
  const info = await client.domain(path).get();
  if (info.class !== "folder") throw new NotAFolderError(`not a folder: ${path} is a domain`);
  return info;
}

export async function* walkFolder(
  client: HsdsClient,
  top: string,
  options: FolderWalkOptions,
): AsyncGenerator<FolderListingRow> {
  const topText = folderText(top);
  /** Folders are given with their trailing "/". */
  const relative = (shown: string) => shown.slice(topText.length);

  async function* visit(path: string, isTop: boolean): AsyncGenerator<FolderListingRow> {
    let info: FolderFacts | undefined;
    const entries = client.listFolder(folderText(path), {
      pageSize: PAGE_SIZE,
      verbose: options.verbose,
      pattern: options.pattern,
      query: options.query,
    });
    let first: IteratorResult<FolderEntry>;
    try {
      info = await folderInfo(client, path);
      // Ask for the first page before printing anything, so an unreadable folder prints nothing.
      first = await entries.next();
    } catch (err) {
      if (!isTop && isSkippable(err)) return;
      throw err;
    }
    yield {
      self: true,
      owner: info?.owner ?? "",
      className: "folder",
      lastModified: info?.lastModified,
      created: info?.created,
      path: folderText(path),
      relative: relative(folderText(path)),
      acls: options.showAcls ? await aclsOf(client, path) : undefined,
    };
    for (let next = first; !next.done; next = await entries.next()) {
      const entry = next.value;
      const isFolder = entry.class === "folder";
      const shown = isFolder ? folderText(entry.name) : entry.name;
      yield {
        self: false,
        owner: entry.owner ?? "",
        className: entry.class,
        lastModified: entry.lastModified,
        created: entry.created,
        size: options.verbose && !isFolder ? entry.total_size : undefined,
        path: shown,
        relative: relative(shown),
        acls: options.showAcls ? await aclsOf(client, entry.name) : undefined,
      };
      if (isFolder && options.recursive) yield* visit(entry.name, false);
    }
  }

  yield* visit(top, true);
}

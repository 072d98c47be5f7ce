// hsls lines for folders and the domains in them, in h5pyd's columns: owner (35), size (15, only
// with -v), class (8), local time of last change, path.
import { localTimestamp } from "./local-time.js";
import { paddedHumanSize } from "./sizes.js";

export interface FolderRow {
  /** "" when the server names none (the top level "/"). */
  owner: string;
  className: "domain" | "folder";
  /** Seconds since the epoch; absent for the top level. */
  lastModified?: number;
  /** total_size of a domain, shown with -v. */
  size?: number;
  /** Full path as shown: folders end in "/". */
  path: string;
}

function sizeColumn(size: number | undefined, humanReadable: boolean): string {
  if (size === undefined) return " ".repeat(8);
  return humanReadable ? paddedHumanSize(size) : String(size);
}

export function folderRowLine(row: FolderRow, humanReadable: boolean): string {
  const timestamp = row.lastModified === undefined ? "" : localTimestamp(row.lastModified);
  const size = sizeColumn(row.size, humanReadable).padEnd(15);
  return `${row.owner.padEnd(35)} ${size} ${row.className.padEnd(8)} ${timestamp} ${row.path}`;
}

/** The footer; h5pyd counts every line it printed, the listed folder's own line included. */
export function itemCountLine(count: number): string {
  return `${count} items`;
}

/** The -v footer with the summed total_size of the domains listed. */
export function totalSizeLine(bytes: number, humanReadable: boolean): string {
  return `${humanReadable ? paddedHumanSize(bytes).trim() : String(bytes)} bytes`;
}

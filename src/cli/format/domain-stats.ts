// The statistics h5pyd's hsstat prints for a domain or folder (hsinfo with arguments).
import type { DomainInfo } from "../../client/hsds-types.js";
import { localTimestamp } from "./local-time.js";
import { humanSize } from "./sizes.js";

export function folderStatsLines(path: string, info: Pick<DomainInfo, "owner" | "lastModified">): string[] {
  return [`folder: ${path}`, `    owner:           ${info.owner}`, `    last modified:   ${localTimestamp(info.lastModified)}`];
}

/** When the last scan of the domain's statistics finished, if there was one. */
export function lastScanOf(info: DomainInfo): number | undefined {
  const complete = info.scan_info?.scan_complete;
  return typeof complete === "number" && complete > 0 ? complete : undefined;
}

/** HDF5 objects: groups, datasets and committed datatypes (HSDS's num_objects also counts chunks). */
export function objectCountOf(info: DomainInfo): number {
  return (info.num_groups ?? 0) + (info.num_datatypes ?? 0) + (info.num_datasets ?? 0);
}

/** Older scans have no num_chunks; then it is what num_objects counts beyond the HDF5 objects. */
export function chunkCountOf(info: DomainInfo): number {
  return info.num_chunks ? info.num_chunks : (info.num_objects ?? 0) - objectCountOf(info);
}

/** `info` must come from GET /?verbose=1. Lines for zero metadata/linked counts are left out, as hsstat does. */
export function domainStatsLines(path: string, info: DomainInfo, humanReadable: boolean): string[] {
  const size = (n: number | undefined) => (humanReadable ? humanSize(n ?? 0) : String(n ?? 0));
  const lastScan = lastScanOf(info);
  const lines = [
    `domain: ${path}`,
    `    owner:           ${info.owner}`,
    `    id:              ${info.root}`,
    `    last modified:   ${localTimestamp(info.lastModified)}`,
  ];
  if (lastScan !== undefined) lines.push(`    last scan:       ${localTimestamp(lastScan)}`);
  if (info.md5_sum) lines.push(`    md5 sum:         ${info.md5_sum}`);
  lines.push(`    total_size:      ${size(info.total_size)}`, `    allocated_bytes: ${size(info.allocated_bytes)}`);
  if (info.metadata_bytes) lines.push(`    metadata_bytes:  ${size(info.metadata_bytes)}`);
  if (info.linked_bytes) lines.push(`    linked_bytes:    ${size(info.linked_bytes)}`);
  lines.push(`    num objects:     ${objectCountOf(info)}`, `    num chunks:      ${chunkCountOf(info)}`);
  if (info.num_linked_chunks) lines.push(`    linked chunks:   ${info.num_linked_chunks}`);
  return lines;
}

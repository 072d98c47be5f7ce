// hsls output: h5pyd's text layout line by line, or one JSON document (--json) for scripts.
import { joinH5Path } from "../browse/domain-walk.js";
import type { AclResult, FolderListingRow } from "../browse/folder-walk.js";
import { ACLS_NOT_PERMITTED, aclListingLine } from "./acl-table.js";
import { attributeLine } from "./attribute-summary.js";
import { folderRowLine, itemCountLine, totalSizeLine } from "./folder-listing.js";
import { jsonDocument } from "./json-document.js";
import { type AttributeEntry, entryLines, type ListedEntry, type ObjectListingOptions } from "./object-listing.js";

export interface ListingOutput {
  folderRow(row: FolderListingRow): void;
  folderEnd(target: string, count: number): void;
  domainStart(target: string, domain: string, h5path: string): void;
  domainEnd(): void;
  groupAttributes(attributes: AttributeEntry[]): void;
  entry(entry: ListedEntry): void;
  /** -n on a domain: link names only. */
  linkName(name: string): void;
  domainAcls(result: AclResult): void;
  failure(target: string, message: string, status?: number): void;
  /** Summed total_size of the domains listed with -v. */
  finish(totalSize: number): void;
}

export interface TextOutputOptions extends ObjectListingOptions {
  namesOnly: boolean;
}

function aclLines(result: AclResult): string[] {
  return "denied" in result ? [ACLS_NOT_PERMITTED] : result.acls.map(aclListingLine);
}

export class TextListingOutput implements ListingOutput {
  constructor(
    private readonly options: TextOutputOptions,
    private readonly out: (line: string) => void,
    private readonly err: (line: string) => void,
  ) {}

  folderRow(row: FolderListingRow): void {
    if (this.options.namesOnly) {
      if (!row.self) this.out(row.relative);
    } else {
      this.out(folderRowLine(row, this.options.humanReadable));
    }
    if (row.acls) aclLines(row.acls).forEach(this.out);
  }

  folderEnd(_target: string, count: number): void {
    if (!this.options.namesOnly) this.out(itemCountLine(count));
  }

  domainStart(): void {}

  domainEnd(): void {}

  groupAttributes(attributes: AttributeEntry[]): void {
    for (const a of attributes) this.out(attributeLine(a.name, a.summary));
  }

  entry(entry: ListedEntry): void {
    if (this.options.namesOnly && this.options.recursive) this.out(entry.path);
    else entryLines(entry, this.options).forEach(this.out);
  }

  linkName(name: string): void {
    this.out(name);
  }

  domainAcls(result: AclResult): void {
    aclLines(result).forEach(this.out);
  }

  failure(_target: string, message: string): void {
    this.err(message);
  }

  finish(totalSize: number): void {
    if (totalSize > 0) this.out(totalSizeLine(totalSize, this.options.humanReadable));
  }
}

type JsonObject = Record<string, unknown>;

function aclsJson(result: AclResult): unknown {
  return "denied" in result ? null : result.acls;
}

function entryJson(entry: ListedEntry, path: string): JsonObject {
  switch (entry.kind) {
    case "seen":
      return { path, class: entry.className, sameAs: entry.sameAs };
    case "soft":
      return { path, class: "SoftLink", h5path: entry.h5path };
    case "external":
      return { path, class: "ExternalLink", h5path: entry.h5path, h5domain: entry.h5domain };
    case "missing":
      return { path, class: "HardLink", missing: true };
    case "object": {
      const out: JsonObject = { path, class: entry.className, id: entry.id };
      if (entry.dataset) {
        const { shape, maxshape, type, storage, filters } = entry.dataset;
        Object.assign(out, { shape, maxshape, type });
        if (storage) out.storage = storage;
        out.filters = filters;
      }
      if (entry.attributes) out.attributes = attributesJson(entry.attributes);
      return out;
    }
  }
}

function attributesJson(attributes: AttributeEntry[]): JsonObject {
  return Object.fromEntries(attributes.map((a) => [a.name, a.value ?? null]));
}

/**
 * The --json document: `{"results": [...], "total_size"?}`, one result per argument:
 * a folder `{target, folder, owner, lastModified, entries: [{path, class, owner, created, lastModified,
 * total_size?, acls?}]}` (every entry once, also with -r), a domain `{target, domain, h5path,
 * attributes?, objects: [{path, class, id?, shape?, maxshape?, type?, storage?, filters?, attributes?,
 * h5path?, h5domain?, sameAs?}], acls?}`, or a failure `{target, error, status?}`.
 * Times are seconds since the epoch; a denied ACL read is `"acls": null`.
 */
export class JsonListingOutput implements ListingOutput {
  private readonly results: JsonObject[] = [];
  private current: JsonObject | undefined;
  private groupPath = "/";

  constructor(
    private readonly recursive: boolean,
    private readonly verbose: boolean,
    private readonly out: (text: string) => void,
  ) {}

  folderRow(row: FolderListingRow): void {
    const entry: JsonObject = { path: row.path, class: row.className, owner: row.owner, created: row.created, lastModified: row.lastModified };
    if (row.size !== undefined) entry.total_size = row.size;
    if (row.acls) entry.acls = aclsJson(row.acls);
    if (row.self && this.current === undefined) {
      this.current = { folder: row.path, owner: row.owner, lastModified: row.lastModified, ...(row.acls ? { acls: entry.acls } : {}), entries: [] };
    } else if (!row.self) {
      (this.current!.entries as JsonObject[]).push(entry);
    }
  }

  folderEnd(target: string): void {
    this.results.push({ target, ...this.current });
    this.current = undefined;
  }

  domainStart(target: string, domain: string, h5path: string): void {
    this.groupPath = h5path;
    this.current = { target, domain, h5path, objects: [] };
  }

  domainEnd(): void {
    this.results.push(this.current!);
    this.current = undefined;
  }

  groupAttributes(attributes: AttributeEntry[]): void {
    this.current!.attributes = attributesJson(attributes);
  }

  entry(entry: ListedEntry): void {
    const path = this.recursive || entry.path.startsWith("/") ? entry.path : joinH5Path(this.groupPath, entry.path);
    (this.current!.objects as JsonObject[]).push(entryJson(entry, path));
  }

  linkName(name: string): void {
    (this.current!.objects as JsonObject[]).push({ path: joinH5Path(this.groupPath, name) });
  }

  domainAcls(result: AclResult): void {
    this.current!.acls = aclsJson(result);
  }

  failure(target: string, message: string, status?: number): void {
    this.current = undefined;
    this.results.push({ target, error: message, ...(status !== undefined ? { status } : {}) });
  }

  finish(totalSize: number): void {
    const doc: JsonObject = { results: this.results };
    if (this.verbose) doc.total_size = totalSize;
    this.out(jsonDocument(doc));
  }
}

// The JSON documents HSDS keeps in storage (hsds-reference §2). Readers ignore unknown keys;
// HSDS itself leaves a few quirks behind (a "domain" key in ACL entries, "id" in inline types).

export const PERMISSIONS = ["create", "read", "update", "delete", "readACL", "updateACL"] as const;
export type Permission = (typeof PERMISSIONS)[number];
export type AclEntry = Record<Permission, boolean>;

export interface DomainDoc {
  owner: string;
  acls: Record<string, AclEntry>;
  /** Absent for folders. */
  root?: string;
  created: number;
  lastModified: number;
}

export type LinkClass = "H5L_TYPE_HARD" | "H5L_TYPE_SOFT" | "H5L_TYPE_EXTERNAL";

export interface LinkItem {
  class: LinkClass;
  id?: string;
  h5path?: string;
  h5domain?: string;
  created: number;
}

export interface AttributeItem {
  type: Record<string, unknown>;
  shape: ShapeJson;
  value?: unknown;
  encoding?: string;
  created: number;
}

export type ShapeJson =
  | { class: "H5S_NULL" }
  | { class: "H5S_SCALAR" }
  | { class: "H5S_SIMPLE"; dims: number[]; maxdims?: (number | "H5S_UNLIMITED")[] };

interface ObjectDocBase {
  id: string;
  root: string;
  created: number;
  lastModified: number;
  attributes: Record<string, AttributeItem>;
}

export interface GroupDoc extends ObjectDocBase {
  links: Record<string, LinkItem>;
  creationProperties?: Record<string, unknown>;
}

export interface LayoutJson {
  class: string;
  dims?: number[];
  partition_count?: number;
  [key: string]: unknown;
}

export interface DatasetDoc extends ObjectDocBase {
  type: Record<string, unknown>;
  shape: ShapeJson;
  creationProperties?: Record<string, unknown> & { layout?: LayoutJson; filters?: unknown[] };
  layout?: LayoutJson;
}

export interface DatatypeDoc extends ObjectDocBase {
  type: Record<string, unknown>;
}

export type ObjectDoc = GroupDoc | DatasetDoc | DatatypeDoc;

export const now = (): number => Date.now() / 1000;

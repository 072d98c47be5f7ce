// The JSON shapes HSDS 0.9.4 answers with (see ../shared/golden/rest), field names as on the
// wire. Only fields a client relies on are spelled out; `hrefs` are cosmetic and left loose.

export interface Href {
  rel: string;
  href: string;
}

/** HSDS datatype JSON: a predefined type name, a committed type id, or a type object. */
export type TypeJson = string | { class: string; [key: string]: unknown };

export interface ShapeJson {
  class: "H5S_SIMPLE" | "H5S_SCALAR" | "H5S_NULL";
  dims?: number[];
  /** 0 marks an unlimited dimension. */
  maxdims?: number[];
}

export interface LayoutJson {
  class: string;
  dims?: number[];
  [key: string]: unknown;
}

export interface CreationProperties {
  layout?: LayoutJson;
  filters?: Array<{ class: string; id?: number; name?: string; [key: string]: unknown }>;
  fillValue?: unknown;
  fillTime?: string;
  [key: string]: unknown;
}

export interface AboutInfo {
  state: "READY" | "INITIALIZING" | "WAITING" | "TERMINATING" | string;
  hsds_version?: string;
  name?: string;
  greeting?: string;
  about?: string;
  start_time?: number;
  node_count?: number;
  username?: string;
  isadmin?: boolean;
  /** hsds-tools' engine: what it offers beyond HSDS's API (absent from a real HSDS). */
  hsds_tools_features?: string[];
  [key: string]: unknown;
}

/** hsds_tools_features: PUT /datasets/{id}/chunks/{index} stores a chunk sent already encoded. */
export const CHUNK_PUT_FEATURE = "chunk_put";

export interface DomainLimits {
  min_chunk_size: number;
  max_chunk_size: number;
  max_request_size: number;
}

/** Per-domain statistics from `.info.json`, present with `verbose=1`. */
export interface DomainStats {
  num_groups?: number;
  num_datasets?: number;
  num_datatypes?: number;
  num_objects?: number;
  num_chunks?: number;
  num_linked_chunks?: number;
  allocated_bytes?: number;
  metadata_bytes?: number;
  linked_bytes?: number;
  total_size?: number;
  md5_sum?: string;
  scan_info?: Record<string, unknown>;
}

export interface DomainInfo extends DomainStats {
  class: "domain" | "folder";
  /** Root group id; absent for folders. */
  root?: string;
  owner: string;
  created: number;
  lastModified: number;
  limits?: DomainLimits;
  compressors?: string[];
  version?: string;
  dn_ids?: string[];
  /** With `getobjs=1`: every object of a small domain, by id. */
  domain_objs?: Record<string, GroupInfo | DatasetInfo | DatatypeInfo>;
  hrefs?: Href[];
}

export interface FolderEntry extends DomainStats {
  /** Full path without trailing slash and without bucket. */
  name: string;
  class: "domain" | "folder";
  root?: string;
  owner: string;
  created: number;
  lastModified: number;
}

export type LinkClass = "H5L_TYPE_HARD" | "H5L_TYPE_SOFT" | "H5L_TYPE_EXTERNAL";

export interface LinkItem {
  title: string;
  class: LinkClass;
  created?: number;
  /** Hard links. */
  id?: string;
  collection?: "groups" | "datasets" | "datatypes";
  /** Soft and external links. */
  h5path?: string;
  /** External links. */
  h5domain?: string;
}

export interface LinkInfo extends LinkItem {
  lastModified?: number;
}

/** What a new link points at: an object id (hard), a path (soft), or a path in a domain (external). */
export type LinkTarget = { id: string } | { h5path: string; h5domain?: string };

/** Links as embedded in a group with `include_links=1`: keyed by title, no title inside. */
export type EmbeddedLinks = Record<string, Omit<LinkItem, "title">>;

export interface AttributeInfo {
  name: string;
  type: TypeJson;
  shape: ShapeJson;
  value?: unknown;
  encoding?: "base64";
  created?: number;
  lastModified?: number;
}

/** Shape of a new attribute: dims (`[]` = scalar), a count, "H5S_NULL"/"H5S_SCALAR", or shape JSON. */
export type ShapeSpec = number | number[] | "H5S_SCALAR" | "H5S_NULL" | ShapeJson;

export interface AttributeDefinition {
  type: TypeJson;
  shape?: ShapeSpec;
  value?: unknown;
  /** "base64": `value` is the base64 of the packed bytes (fixed-size types only). */
  encoding?: "base64";
}

interface ObjectCommon {
  id: string;
  root: string;
  created: number;
  lastModified: number;
  attributeCount: number;
  domain?: string;
  bucket?: string;
  alias?: string[];
  /** With `include_attrs=1`: attributes by name. */
  attributes?: Record<string, Omit<AttributeInfo, "name">>;
  hrefs?: Href[];
}

export interface GroupInfo extends ObjectCommon {
  linkCount: number;
  creationProperties?: CreationProperties;
  /** With `include_links=1`. */
  links?: EmbeddedLinks;
}

export interface DatasetInfo extends ObjectCommon {
  type: TypeJson;
  shape: ShapeJson;
  creationProperties?: CreationProperties;
  /** The server's chunk layout (what HSDS stores), unlike the requested one in creationProperties. */
  layout?: LayoutJson;
  /** With `verbose=1`, from the last scan. */
  num_chunks?: number;
  allocated_size?: number;
}

export interface DatatypeInfo extends ObjectCommon {
  type: TypeJson;
}

export type ObjectAtPath =
  | (GroupInfo & { class: "group" })
  | (DatasetInfo & { class: "dataset" })
  | (DatatypeInfo & { class: "datatype" });

/** 201 answer to POST /groups, /datasets, /datatypes. */
export interface CreatedObject {
  id: string;
  root: string;
  created: number;
  lastModified: number;
  attributeCount: number;
  linkCount?: number;
  type?: TypeJson;
  shape?: ShapeJson;
}

export interface AclPermissions {
  create: boolean;
  read: boolean;
  update: boolean;
  delete: boolean;
  readACL: boolean;
  updateACL: boolean;
}

export interface Acl extends AclPermissions {
  userName: string;
}

/** 201 for a new link/attribute, 200 when an identical one was already there. */
export type PutOutcome = "created" | "unchanged";

// HSDS's domain ACLs (hsds-reference §2.1, §4.11): construction on create and the aclCheck order.
import { PERMISSIONS, type AclEntry, type DomainDoc, type Permission } from "./documents.js";
import { HttpError } from "./http-error.js";

export interface Principal {
  /** "default" for anonymous requests, as HSDS names them. */
  username: string;
  authenticated: boolean;
  isAdmin: boolean;
  groups: readonly string[];
}

export const ANONYMOUS: Principal = { username: "default", authenticated: false, isAdmin: false, groups: [] };

export function fullAcl(): AclEntry {
  return Object.fromEntries(PERMISSIONS.map((p) => [p, true])) as AclEntry;
}

export function readOnlyAcl(): AclEntry {
  return Object.fromEntries(PERMISSIONS.map((p) => [p, p === "read"])) as AclEntry;
}

export function isAllowed(doc: DomainDoc, who: Principal, perm: Permission): boolean {
  if (who.isAdmin) return true;
  const own = doc.acls[who.username];
  if (own && perm in own) return own[perm] === true;
  const fallback = doc.acls.default;
  if (fallback && perm in fallback) return fallback[perm] === true;
  return who.groups.some((g) => doc.acls[`g:${g}`]?.[perm] === true);
}

/** 401 when an anonymous caller would need credentials, 403 when a known caller lacks the right. */
export function requirePermission(doc: DomainDoc, who: Principal, perm: Permission): void {
  if (isAllowed(doc, who, perm)) return;
  throw new HttpError(who.authenticated ? 403 : 401);
}

export function initialAcls(
  parent: DomainDoc | undefined,
  owner: string,
  isFolder: boolean,
  adminUsers: readonly string[],
  defaultPublic: boolean,
): Record<string, AclEntry> {
  const acls: Record<string, AclEntry> = {};
  for (const [name, entry] of Object.entries(parent?.acls ?? {})) {
    if (name === "default" || name === owner || adminUsers.includes(name)) continue;
    if (PERMISSIONS.some((p) => entry[p])) acls[name] = pickPermissions(entry);
  }
  acls[owner] = fullAcl();
  if (isFolder || defaultPublic) acls.default = readOnlyAcl();
  return acls;
}

/** Drop HSDS's stray keys (e.g. "domain") so that only the six permissions are kept or shown. */
export function pickPermissions(entry: Partial<Record<string, unknown>>): AclEntry {
  return Object.fromEntries(PERMISSIONS.map((p) => [p, entry[p] === true])) as AclEntry;
}

// /acls and /acls/{user} on a domain or folder.
import type { HsResponse } from "../../client/transport.js";
import { isAllowed, pickPermissions, requirePermission } from "../acl.js";
import type { RequestContext } from "../context.js";
import { now, PERMISSIONS, type AclEntry, type DomainDoc } from "../documents.js";
import { domainKey } from "../domain-name.js";
import { Hrefs } from "../hrefs.js";
import { badRequest, HttpError, notFound } from "../http-error.js";
import { json } from "../responses.js";

async function openAclDomain(ctx: RequestContext) {
  const name = ctx.domainName();
  const meta = ctx.metaFor(name.bucket);
  const doc = await meta.domain(name.path);
  if (!doc) throw notFound();
  return { name, meta, doc };
}

function aclHrefs(ctx: RequestContext, path: string, doc: DomainDoc) {
  const hrefs = new Hrefs(ctx.settings.hrefBase, path);
  const pairs: [string, string][] = [["self", "/acls"]];
  if (doc.root) pairs.push(["root", `/groups/${doc.root}`]);
  pairs.push(["home", "/"], ["owner", "/"]);
  return hrefs.of(...pairs);
}

const withUser = (userName: string, entry: AclEntry) => ({ userName, ...pickPermissions(entry) });

export async function getAcls(ctx: RequestContext): Promise<HsResponse> {
  const { name, doc } = await openAclDomain(ctx);
  requirePermission(doc, ctx.principal, "readACL");
  const acls = Object.keys(doc.acls).sort().map((user) => withUser(user, doc.acls[user]!));
  return json(200, { acls, hrefs: aclHrefs(ctx, name.path, doc) });
}

export async function getAcl(ctx: RequestContext, user: string): Promise<HsResponse> {
  const { name, doc } = await openAclDomain(ctx);
  // Reading your own entry (or default's) needs only read access.
  const own = user === ctx.principal.username || user === "default";
  requirePermission(doc, ctx.principal, own && isAllowed(doc, ctx.principal, "read") ? "read" : "readACL");
  const entry = doc.acls[user];
  if (!entry) throw notFound();
  return json(200, { acl: withUser(user, entry), hrefs: aclHrefs(ctx, name.path, doc) });
}

export async function putAcl(ctx: RequestContext, user: string): Promise<HsResponse> {
  const { name, meta, doc } = await openAclDomain(ctx);
  if (!ctx.principal.authenticated) throw new HttpError(401);
  requirePermission(doc, ctx.principal, "updateACL");
  if (user === "") throw badRequest("Invalid user name");
  const body = ctx.body();
  const changes: Partial<AclEntry> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!(PERMISSIONS as readonly string[]).includes(key) || typeof value !== "boolean") throw badRequest(`Invalid ACL key: ${key}`);
    changes[key as keyof AclEntry] = value;
  }
  await meta.update<DomainDoc>(
    domainKey(name.path),
    (current) => {
      const base = current.acls[user] ? pickPermissions(current.acls[user]) : pickPermissions({});
      current.acls[user] = { ...base, ...changes };
      current.lastModified = now();
      return current;
    },
    () => notFound(),
  );
  return json(201, {});
}

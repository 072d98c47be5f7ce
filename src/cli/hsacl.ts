// hsacl: show the ACLs of a domain or folder, or grant (+crudep) and revoke (-crudep) permissions.
import { Command } from "commander";
import type { DomainHandle } from "../client/hsds-client.js";
import type { Acl, AclPermissions } from "../client/hsds-types.js";
import { isDenied, isGone, statusOf } from "./browse/failures.js";
import { withSession } from "./browse/session.js";
import { printLines } from "./output.js";
import { checkUsage, parseTarget } from "./browse/targets.js";
import { addCommonOptions, type CommonOptions } from "./common-options.js";
import { aclTableHeader, aclTableRow, PERMISSION_LETTERS } from "./format/acl-table.js";
import { CliError, EXIT_FAILURE, EXIT_USAGE, printError, setExitCode } from "./run.js";

type Permission = keyof AclPermissions;

export interface AclRequest {
  grant: Set<Permission>;
  revoke: Set<Permission>;
  users: string[];
}

/** The arguments after the path: +flags, -flags and user names ("default", "g:group" included). */
export function parseAclArguments(args: readonly string[]): AclRequest {
  const request: AclRequest = { grant: new Set(), revoke: new Set(), users: [] };
  for (const arg of args) {
    if (arg.startsWith("+") || arg.startsWith("-")) {
      const letters = arg.slice(1);
      if (letters === "") throw new CliError(`missing permission letters in ${arg} (use any of crudep)`, EXIT_USAGE);
      for (const letter of letters) {
        const permission = PERMISSION_LETTERS[letter];
        if (permission === undefined) {
          throw new CliError(`Permission flag: ${letter} is not valid - must be one of 'crudep'`, EXIT_USAGE);
        }
        (arg.startsWith("+") ? request.grant : request.revoke).add(permission);
      }
    } else {
      if (arg.includes("/")) throw new CliError(`invalid username: ${arg}`, EXIT_USAGE);
      request.users.push(arg);
    }
  }
  const both = [...request.grant].find((p) => request.revoke.has(p));
  if (both !== undefined) throw new CliError(`permission: ${both} flag set for both add and remove`, EXIT_USAGE);
  if (request.grant.size + request.revoke.size > 0 && request.users.length === 0) {
    throw new CliError("at least one username must be given to add/remove permissions", EXIT_USAGE);
  }
  return request;
}

const PERMISSIONS = Object.values(PERMISSION_LETTERS);
const NO_PERMISSIONS: AclPermissions = { create: false, read: false, update: false, delete: false, readACL: false, updateACL: false };

function aclReadError(err: unknown, who: string | undefined): never {
  if (statusOf(err) === 401) throw new CliError("username/password needs to be provided");
  if (statusOf(err) === 403) {
    throw new CliError(`User ${who ?? "default"} does not have permission to read ACL for this domain`);
  }
  throw err;
}

async function currentAcl(handle: DomainHandle, user: string, who: string | undefined): Promise<AclPermissions> {
  try {
    const acl = await handle.getAcl(user);
    // Only the six flags: HSDS adds a stray "domain" key that a PUT would reject.
    const permissions = { ...NO_PERMISSIONS };
    for (const p of PERMISSIONS) permissions[p] = acl[p] === true;
    return permissions;
  } catch (err) {
    if (statusOf(err) === 404) return { ...NO_PERMISSIONS };
    aclReadError(err, who);
  }
}

async function applyChanges(handle: DomainHandle, request: AclRequest, who: string | undefined): Promise<void> {
  for (const user of request.users) {
    const acl = await currentAcl(handle, user, who);
    for (const p of request.grant) acl[p] = true;
    for (const p of request.revoke) acl[p] = false;
    try {
      await handle.putAcl(user, acl);
    } catch (err) {
      if (isDenied(err)) {
        throw new CliError(`not allowed to change the ACLs of ${handle.path}`);
      }
      throw err;
    }
  }
}

export function hsaclCommand(): Command {
  const program = new Command("hsacl")
    .description("Display, add or change the ACLs of a domain or folder")
    .argument("<path>", "domain, or folder ending in /")
    .argument("[changes...]", "+flags, -flags and user names (default, g:group)")
    .passThroughOptions()
    .addHelpText(
      "after",
      `
Permission letters: c create, r read, u update, d delete, e readACL,
p updateACL. Options go before the path: everything after it is +flags,
-flags and user names.

Examples:
  hsacl /home/jill/f.h5                 all ACLs of the domain
  hsacl /home/jill/f.h5 ted             ted's ACL
  hsacl /home/jill/f.h5 +ru ted         let ted read and update
  hsacl /home/jill/f.h5 -cudep jill     take all but read from jill
  hsacl /shared/f.h5 +cup g:devs        for the group devs
  hsacl /home/jill/f.h5 +re default     let anyone read the domain and its ACLs`,
    )
    .showHelpAfterError();
  addCommonOptions(program);
  return program.action(async (path: string, changes: string[], opts: CommonOptions) => {
    const [target, request] = checkUsage(program, () => [parseTarget(path), parseAclArguments(changes)] as const);
    await withSession(opts, async ({ client, config }) => {
      const handle = client.domain(target.path);
      const who = config.username;
      try {
        await handle.get();
      } catch (err) {
        if (isGone(err)) throw new CliError(`domain not found: ${target.text}`);
        if (isDenied(err)) throw new CliError(`access is not authorized: ${target.text}`);
        throw err;
      }
      if (request.grant.size + request.revoke.size > 0) await applyChanges(handle, request, who);

      let acls: Acl[];
      const missing: string[] = [];
      if (request.users.length === 0) {
        acls = await handle.getAcls().catch((err: unknown) => aclReadError(err, who));
      } else {
        acls = [];
        for (const user of request.users) {
          try {
            acls.push(await handle.getAcl(user));
          } catch (err) {
            if (statusOf(err) === 404) missing.push(user);
            else aclReadError(err, who);
          }
        }
      }
      if (acls.length > 0) printLines([...aclTableHeader(), ...acls.map(aclTableRow)]);
      for (const user of missing) printError(`${user} not found`);
      if (missing.length > 0) setExitCode(program, EXIT_FAILURE);
    });
  });
}

// hstouch: create empty domains and folders (trailing "/"), or bump an existing domain's
// modification time, as h5pyd's hstouch.
import { Command } from "commander";
import type { HsdsClient } from "../client/hsds-client.js";
import type { DomainInfo } from "../client/hsds-types.js";
import { failureMessage, isGone } from "./browse/failures.js";
import { withSession } from "./browse/session.js";
import { printLine } from "./output.js";
import { checkUsage, folderText, parentOf, parseTarget, type Target } from "./browse/targets.js";
import { addCommonOptions, type CommonOptions } from "./common-options.js";
import { CliError } from "./run.js";

interface HstouchOptions extends CommonOptions {
  owner?: string;
}

/** h5pyd's words for a failed look-up of the parent folder or the target. */
function accessError(err: unknown, notFound: string): CliError {
  return new CliError(failureMessage(err, { 401: "Authorization failure", 403: "Not allowed", 404: notFound, 410: notFound }));
}

async function existing(client: HsdsClient, path: string): Promise<DomainInfo | undefined> {
  try {
    return await client.domain(path).get();
  } catch (err) {
    if (isGone(err)) return undefined;
    throw accessError(err, `not found: ${path}`);
  }
}

async function checkParent(client: HsdsClient, target: Target): Promise<void> {
  const parent = parentOf(target.path);
  if (parent === "/") {
    // HSDS only lets admins create top-level names; h5pyd insists on three characters.
    if (target.path.length < 4) throw new CliError("Top-level folders must be at least three characters");
    return;
  }
  let info: DomainInfo;
  try {
    info = await client.domain(parent).get();
  } catch (err) {
    throw accessError(err, `Parent domain: ${folderText(parent)} not found`);
  }
  if (info.class !== "folder") throw new CliError(`Parent domain: ${parent} is a domain, not a folder`);
}

async function touch(client: HsdsClient, target: Target, opts: HstouchOptions, say: (line: string) => void): Promise<void> {
  if (target.path === "/") throw new CliError("the top-level folder / always exists");
  await checkParent(client, target);
  const handle = client.domain(target.path);
  const found = await existing(client, target.path);
  if (found?.class === "folder") throw new CliError("Can not update timestamp of folder object");
  if (found !== undefined && target.isFolder) throw new CliError(`${target.path} is a domain, not a folder`);
  if (found !== undefined) {
    try {
      // Writing a root attribute is how h5pyd bumps the domain's lastModified.
      await handle.putAttribute(found.root!, "hstouch", { type: "H5T_STD_I64LE", shape: "H5S_SCALAR", value: 1 });
    } catch (err) {
      throw new CliError(`Got error updating domain: ${(err as Error).message}`);
    }
    say(`updated timestamp for domain: ${target.text}`);
    return;
  }
  let created: DomainInfo;
  try {
    created = await handle.create({ folder: target.isFolder, owner: opts.owner });
  } catch (err) {
    throw new CliError(`cannot create ${target.text}: ${(err as Error).message}`);
  }
  say(target.isFolder ? `folder created ${target.text}` : `domain created: ${target.text}, root id: ${created.root}`);
}

export function hstouchCommand(): Command {
  const program = new Command("hstouch")
    .description("Create empty domains and folders, or update a domain's modification time")
    .argument("<paths...>", "domains, or folders ending in /")
    .option("-o, --owner <owner>", "set the owner (admin users only)")
    .addHelpText(
      "after",
      `
Paths ending in / are folders. The parent folder must exist; top-level names
need an admin. An existing domain gets a root attribute "hstouch" written,
which updates its modification time. -v reports what was done.`,
    )
    .showHelpAfterError();
  addCommonOptions(program);
  return program.action(async (paths: string[], opts: HstouchOptions) => {
    const targets = checkUsage(program, () => paths.map(parseTarget));
    const say = (line: string) => {
      if (opts.verbose) printLine(line);
    };
    await withSession(opts, async ({ client }) => {
      for (const target of targets) await touch(client, target, opts, say);
    });
  });
}

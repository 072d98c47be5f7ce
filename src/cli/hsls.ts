// hsls: list folders (owner, size, class, time, path) and the contents of domains, as h5pyd's hsls.
import { Command } from "commander";
import type { HsdsClient } from "../client/hsds-client.js";
import type { DomainInfo, ObjectAtPath } from "../client/hsds-types.js";
import { datasetClassName } from "./browse/dataset-summary.js";
import { DomainWalker, joinH5Path } from "./browse/domain-walk.js";
import { failureMessage, isGone, statusOf } from "./browse/failures.js";
import { aclsOf, NotAFolderError, walkFolder } from "./browse/folder-walk.js";
import { withSession } from "./browse/session.js";
import { printLine } from "./output.js";
import { checkUsage, folderText, parseTarget, type Target } from "./browse/targets.js";
import { addCommonOptions, type CommonOptions } from "./common-options.js";
import { JsonListingOutput, type ListingOutput, TextListingOutput } from "./format/hsls-output.js";
import { EXIT_FAILURE, printError, setExitCode } from "./run.js";

interface HslsOptions extends CommonOptions {
  recursive?: boolean;
  humanReadable?: boolean;
  names?: boolean;
  showacls?: boolean;
  showattrs?: boolean;
  pattern?: string;
  query?: string;
  dataset?: string;
  group?: string;
  datatype?: string;
  json?: boolean;
}

/** A failure reported for one argument; hsls goes on with the next. */
class ListingFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** h5pyd's messages for a domain (or, in the same words, a folder) that cannot be read. */
function openFailure(err: unknown, kind: "domain" | "folder", name: string): ListingFailure {
  if (err instanceof NotAFolderError) return new ListingFailure(err.message);
  const Kind = kind === "domain" ? "Domain" : "Folder";
  const message = failureMessage(err, {
    401: "Username/Password missing or invalid",
    403: `No permission to read ${kind}: ${name}`,
    404: `${Kind} ${name} not found`,
    410: `${Kind} ${name} has been removed`,
  });
  return new ListingFailure(message, statusOf(err));
}

type Located =
  | { kind: "domain"; path: string; h5path: string; info: DomainInfo }
  | { kind: "folder"; path: string };

/**
 * h5pyd's domain/h5path convention: drop trailing components until what is left is a domain, and
 * use the rest as an HDF5 path inside it ("/home/u/f.h5/g1/dset").
 */
async function locate(client: HsdsClient, target: Target, withAttrs: boolean): Promise<Located> {
  const parts = target.path.split("/").slice(1);
  for (let keep = parts.length; keep > 0; keep--) {
    const path = `/${parts.slice(0, keep).join("/")}`;
    let info: DomainInfo;
    try {
      info = await client.domain(path).get({ getobjs: true, includeAttrs: withAttrs });
    } catch (err) {
      if (isGone(err)) continue;
      throw openFailure(err, "domain", path);
    }
    if (info.class === "folder") {
      if (keep === parts.length) return { kind: "folder", path };
      break;
    }
    return { kind: "domain", path, h5path: `/${parts.slice(keep).join("/")}`, info };
  }
  throw new ListingFailure(`Domain ${target.text} not found`, 404);
}

function classNameAt(found: ObjectAtPath): string {
  if (found.class === "group") return "Group";
  if (found.class === "datatype") return "Datatype";
  return datasetClassName(found);
}

class Lister {
  totalSize = 0;
  failed = false;

  constructor(
    private readonly client: HsdsClient,
    private readonly opts: HslsOptions,
    private readonly output: ListingOutput,
  ) {}

  async list(target: Target): Promise<void> {
    try {
      if (target.isFolder || target.path === "/") {
        await this.listFolder(target);
        return;
      }
      const located = await locate(this.client, target, this.opts.showattrs === true);
      if (located.kind === "folder") await this.listFolder({ ...target, path: located.path, isFolder: true });
      else await this.listDomain(target, located.path, located.h5path, located.info);
    } catch (err) {
      if (!(err instanceof ListingFailure)) throw err;
      this.failed = true;
      this.output.failure(target.text, err.message, err.status);
    }
  }

  private async listFolder(target: Target): Promise<void> {
    let count = 0;
    try {
      for await (const row of walkFolder(this.client, target.path, {
        recursive: this.opts.recursive === true,
        verbose: this.opts.verbose === true,
        showAcls: this.opts.showacls === true,
        pattern: this.opts.pattern,
        query: this.opts.query,
      })) {
        this.output.folderRow(row);
        count++;
        if (row.size !== undefined) this.totalSize += row.size;
      }
    } catch (err) {
      throw openFailure(err, "folder", folderText(target.path));
    }
    this.output.folderEnd(target.text, count);
  }

  private async lookup(domain: string, h5path: string, notFound: string): Promise<ObjectAtPath> {
    try {
      return await this.client.domain(domain).getByPath(h5path, { followSoftLinks: true });
    } catch (err) {
      // HSDS answers 400 when a soft or external link is on the path.
      if (isGone(err) || statusOf(err) === 400) {
        throw new ListingFailure(notFound, statusOf(err));
      }
      throw openFailure(err, "domain", domain);
    }
  }

  private async listDomain(target: Target, domain: string, peeled: string, info: DomainInfo): Promise<void> {
    const walker = new DomainWalker(this.client.domain(domain), info, {
      verbose: this.opts.verbose === true,
      showAttrs: this.opts.showattrs === true,
    });
    let groupId = info.root!;
    let groupPath = "/";
    const single = async (path: string, id: string) => {
      this.output.domainStart(target.text, domain, path);
      this.output.entry(await walker.entryFor(path, id));
      this.output.domainEnd();
    };

    if (peeled !== "/") {
      const found = await this.lookup(domain, peeled, `h5path: ${peeled} not found in domain: ${domain}`);
      if (found.class !== "group") return single(peeled, found.id);
      [groupId, groupPath] = [found.id, peeled];
    }
    if (this.opts.group !== undefined) {
      if (peeled !== "/") throw new ListingFailure("group_path option can't be used when h5path is specified");
      const path = this.opts.group.startsWith("/") ? this.opts.group : `/${this.opts.group}`;
      const found = await this.lookup(domain, path, `group_path: ${this.opts.group} not found`);
      if (found.class !== "group") {
        const hint = found.class === "dataset" ? " (use --dataset option to display)" : " (use --datatype option to display)";
        throw new ListingFailure(`group_path: ${this.opts.group} points to a ${classNameAt(found)}${hint}`);
      }
      [groupId, groupPath] = [found.id, path];
    }
    for (const [option, wanted] of [["dataset", this.opts.dataset], ["datatype", this.opts.datatype]] as const) {
      if (wanted === undefined) continue;
      if (wanted.startsWith("/") && groupPath !== "/") {
        throw new ListingFailure(`an absolute --${option} path can't be used with a group path (${groupPath})`);
      }
      const path = wanted.startsWith("/") ? wanted : joinH5Path(groupPath, wanted);
      const found = await this.lookup(domain, path, `${option} path: ${path} not found`);
      if (found.class !== option) {
        throw new ListingFailure(`was expecting a ${option === "dataset" ? "Dataset" : "Datatype"} object but found: ${classNameAt(found)}`);
      }
      return single(path, found.id);
    }

    this.output.domainStart(target.text, domain, groupPath);
    if (this.opts.showattrs) this.output.groupAttributes(await walker.attributes(groupId));
    if (this.opts.names && !this.opts.recursive) {
      for (const name of await walker.linkNames(groupId)) this.output.linkName(name);
    } else {
      const seen = this.opts.recursive ? new Map<string, string>() : undefined;
      for await (const entry of walker.walk(groupId, groupPath, seen)) this.output.entry(entry);
    }
    if (this.opts.showacls) this.output.domainAcls(await aclsOf(this.client, domain));
    this.output.domainEnd();
  }
}

export function hslsCommand(): Command {
  const program = new Command("hsls")
    .description("List the contents of HSDS folders and domains, as h5pyd's hsls does")
    .argument("[paths...]", "domains, folders (ending in /) or domain/h5path; default /")
    .option("-r, --recursive", "recursively list sub-folders or sub-groups")
    .option("-H, --human-readable", "with -v, print human readable sizes (e.g. 123M)")
    .option("-n, --names", "list just folder names or link titles")
    .option("--showacls", "display domain and folder ACLs")
    .option("--showattrs", "display attributes")
    .option("--pattern <glob>", "list folder entries whose name matches the glob")
    .option("--query <expr>", "list domains whose root attributes match the query")
    .option("-d, --dataset <h5path>", "display the dataset at this path")
    .option("-g, --group <h5path>", "list the group at this path")
    .option("-t, --datatype <h5path>", "display the committed datatype at this path")
    .option("--json", "print one JSON document for scripts (fields below)")
    .addHelpText(
      "after",
      `
Paths:
  folder/          the folder's own line, one line per entry, then "N items"
  domain           its links with class and shape; -r walks every group
  domain/h5path    the object at that path inside the domain
No argument lists the top-level folder. Exit code 1 if any argument failed.

--json prints {"results": [...], "total_size"?: bytes (with -v)}, one result
per argument (times are seconds since the epoch):
  {target, folder, owner, lastModified, acls?, entries: [{path, class, owner,
   created, lastModified, total_size?, acls?}]}       every entry once, also -r
  {target, domain, h5path, attributes?, acls?, objects: [{path, class, id?,
   shape?, maxshape?, type?, storage?, filters?, attributes?, h5path?,
   h5domain?, sameAs?}]}
  {target, error, status?}
"acls" is null where the server refused to show them.`,
    )
    .showHelpAfterError();
  addCommonOptions(program);
  return program.action(async (paths: string[], opts: HslsOptions) => {
    const targets = checkUsage(program, () => (paths.length > 0 ? paths : ["/"]).map(parseTarget));
    const output: ListingOutput = opts.json
      ? new JsonListingOutput(opts.recursive === true, opts.verbose === true, printLine)
      : new TextListingOutput(
          { verbose: opts.verbose === true, humanReadable: opts.humanReadable === true, recursive: opts.recursive === true, namesOnly: opts.names === true },
          printLine,
          printError,
        );
    await withSession(opts, async ({ client }) => {
      const lister = new Lister(client, opts, output);
      for (const target of targets) await lister.list(target);
      output.finish(lister.totalSize);
      if (lister.failed) setExitCode(program, EXIT_FAILURE);
    });
  });
}

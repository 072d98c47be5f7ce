// hsrm (hsdel): delete domains and folders; -r also deletes everything inside a folder.
import { Command } from "commander";
import type { HsdsClient } from "../client/hsds-client.js";
import type { FolderEntry } from "../client/hsds-types.js";
import { failureMessage } from "./browse/failures.js";
import { withSession } from "./browse/session.js";
import { printLine } from "./output.js";
import { checkUsage, folderText, parseTarget, type Target } from "./browse/targets.js";
import { addCommonOptions, type CommonOptions } from "./common-options.js";
import { CliError, printError } from "./run.js";

interface HsrmOptions extends CommonOptions {
  recursive?: boolean;
  ignore?: boolean;
}

/** h5pyd's words for a failed delete, with a hint where -r would have helped. */
function deleteError(err: unknown, shown: string): CliError {
  const notFound = `domain: ${shown} not found`;
  return new CliError(
    failureMessage(err, {
      401: "Authorization failure",
      403: `Not allowed: ${shown}`,
      404: notFound,
      409: `folder has sub-items: ${shown} (use -r to delete it with its contents)`,
      410: notFound,
    }),
  );
}

class Remover {
  constructor(
    private readonly client: HsdsClient,
    private readonly opts: HsrmOptions,
  ) {}

  private say(line: string): void {
    if (this.opts.verbose) printLine(line);
  }

  async remove(target: Target): Promise<void> {
    if (target.path === "/") throw new CliError("the top-level folder / cannot be deleted");
    let isFolder: boolean;
    try {
      isFolder = (await this.client.domain(target.path).get()).class === "folder";
    } catch (err) {
      throw deleteError(err, target.text);
    }
    if (isFolder && this.opts.recursive) await this.removeContents(target.path);
    await this.removeOne(target.path, isFolder, target.text);
  }

  /** Everything in a folder, depth first; the listing is read whole before anything is deleted. */
  private async removeContents(folder: string): Promise<void> {
    const entries: FolderEntry[] = [];
    try {
      for await (const entry of this.client.listFolder(folderText(folder), { pageSize: 1000 })) entries.push(entry);
    } catch (err) {
      throw deleteError(err, folderText(folder));
    }
    for (const entry of entries) {
      const isFolder = entry.class === "folder";
      if (isFolder) await this.removeContents(entry.name);
      await this.removeOne(entry.name, isFolder, isFolder ? folderText(entry.name) : entry.name);
    }
  }

  private async removeOne(path: string, isFolder: boolean, shown: string): Promise<void> {
    try {
      await this.client.domain(path).delete();
    } catch (err) {
      throw deleteError(err, shown);
    }
    this.say(isFolder ? `Folder: ${shown} deleted` : `Domain: ${shown} deleted`);
  }
}

export function hsrmCommand(name = "hsrm"): Command {
  const program = new Command(name)
    .description("Delete domains and folders")
    .argument("<paths...>", "domains, or folders ending in /")
    .option("-r, --recursive", "delete folders together with every domain and folder in them")
    .option("--ignore", "report failures but go on with the other paths (exit code 0)")
    .addHelpText(
      "after",
      `
Paths ending in / are folders; a folder must be empty unless -r is given.
Stops at the first failure (exit code 1) unless --ignore is given. -v reports
each domain and folder deleted.`,
    )
    .showHelpAfterError();
  addCommonOptions(program);
  return program.action(async (paths: string[], opts: HsrmOptions) => {
    const targets = checkUsage(program, () => paths.map(parseTarget));
    await withSession(opts, async ({ client }) => {
      const remover = new Remover(client, opts);
      for (const target of targets) {
        try {
          await remover.remove(target);
        } catch (err) {
          if (!(opts.ignore && err instanceof CliError)) throw err;
          printError(err.message);
        }
      }
    });
  });
}

// hsinfo: without arguments, the server's state and who we are to it (h5pyd's hsinfo); with domain
// or folder arguments, their statistics (what h5pyd moved to hsstat).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { HsdsError } from "../client/errors.js";
import type { HsdsClient } from "../client/hsds-client.js";
import type { AboutInfo, DomainInfo } from "../client/hsds-types.js";
import type { ResolvedConfig } from "../config/resolve-config.js";
import { failureMessage } from "./browse/failures.js";
import { withSession } from "./browse/session.js";
import { printLine, printLines } from "./output.js";
import { checkUsage, folderText, parseTarget, type Target } from "./browse/targets.js";
import { addCommonOptions, type CommonOptions } from "./common-options.js";
import { chunkCountOf, domainStatsLines, folderStatsLines, lastScanOf, objectCountOf } from "./format/domain-stats.js";
import { jsonDocument } from "./format/json-document.js";
import { serverInfoLines } from "./format/server-info.js";
import { CliError, EXIT_FAILURE, EXIT_USAGE, printError, setExitCode } from "./run.js";

interface HsinfoOptions extends CommonOptions {
  humanReadable?: boolean;
  rescan?: boolean;
  json?: boolean;
}

const CLIENT_NAME = "hsds-tools";

/** Our version, from the package.json above this module (in src/ or in dist/src/). */
function clientVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "package.json");
    if (!existsSync(candidate)) continue;
    const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
    if (pkg.name === CLIENT_NAME) return pkg.version ?? "unknown";
  }
  return "unknown";
}

function endpointText(config: ResolvedConfig): string {
  return config.endpoint.kind === "http" ? config.endpoint.url : config.endpoint.named;
}

/** h5pyd's rule: the first folder in /home/ whose name starts the user name and that the user owns. */
async function homeFolder(client: HsdsClient, username: string | undefined): Promise<string | undefined> {
  if (!username) return undefined;
  try {
    for await (const entry of client.listFolder("/home/")) {
      const name = entry.name.slice(entry.name.lastIndexOf("/") + 1);
      if (entry.class === "folder" && username.startsWith(name) && entry.owner === username) return `${entry.name}/`;
    }
    return undefined;
  } catch {
    return "NO ACCESS";
  }
}

async function serverInfo(client: HsdsClient, config: ResolvedConfig, json: boolean): Promise<void> {
  let about: AboutInfo;
  try {
    about = await client.about();
  } catch (err) {
    if (err instanceof HsdsError && err.status === 401) {
      throw new CliError(config.username && config.password ? `username/password not valid for username: ${config.username}` : "authentication failure");
    }
    throw new CliError(`Error: ${(err as Error).message}`);
  }
  const home = about.state === "READY" ? await homeFolder(client, config.username) : undefined;
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (json) {
    const { name, state, hsds_version, node_count, start_time, username, isadmin } = about;
    const server = { name, state, version: hsds_version, node_count, start_time, uptime_seconds: start_time === undefined ? undefined : nowSeconds - start_time };
    const doc = { server, endpoint: endpointText(config), username, isadmin: isadmin === true, home: home ?? null, client: { name: CLIENT_NAME, version: clientVersion() } };
    printLine(jsonDocument(doc));
    return;
  }
  const lines = serverInfoLines({
    about,
    endpoint: endpointText(config),
    password: config.password,
    home,
    nowSeconds,
    clientName: CLIENT_NAME,
    clientVersion: clientVersion(),
  });
  printLines(lines);
}

/** h5pyd's hsstat messages for a domain or folder that cannot be read. */
function statsFailure(err: unknown, target: Target): string {
  const notFound = `domain: ${target.text} not found`;
  return failureMessage(err, { 401: "Authorization failure", 403: "Not allowed", 404: notFound, 410: notFound });
}

type Stats = { kind: "folder"; info: DomainInfo } | { kind: "domain"; info: DomainInfo };

async function statsOf(client: HsdsClient, target: Target, rescan: boolean): Promise<Stats> {
  if (target.path === "/") throw new CliError("the top-level folder / has no statistics; name a folder or domain");
  const handle = client.domain(target.path);
  if (target.isFolder) {
    const info = await handle.get();
    if (info.class !== "folder") throw new CliError(`not a folder: ${target.path} is a domain`);
    return { kind: "folder", info };
  }
  if (rescan) await handle.rescan();
  const info = await handle.get({ verbose: true });
  return { kind: info.class, info };
}

function statsJson(target: Target, stats: Stats): Record<string, unknown> {
  const { info } = stats;
  const common = { target: target.text, class: stats.kind, path: stats.kind === "folder" ? folderText(target.path) : target.path, owner: info.owner, created: info.created, lastModified: info.lastModified };
  if (stats.kind === "folder") return common;
  return {
    ...common,
    id: info.root,
    lastScan: lastScanOf(info) ?? null,
    md5_sum: info.md5_sum ?? null,
    total_size: info.total_size ?? 0,
    allocated_bytes: info.allocated_bytes ?? 0,
    metadata_bytes: info.metadata_bytes ?? 0,
    linked_bytes: info.linked_bytes ?? 0,
    num_groups: info.num_groups ?? 0,
    num_datasets: info.num_datasets ?? 0,
    num_datatypes: info.num_datatypes ?? 0,
    num_objects: objectCountOf(info),
    num_chunks: chunkCountOf(info),
    num_linked_chunks: info.num_linked_chunks ?? 0,
  };
}

export function hsinfoCommand(): Command {
  const program = new Command("hsinfo")
    .description("Show the server's state, or the statistics of domains and folders")
    .argument("[paths...]", "domains or folders (ending in /)")
    .option("-H, --human-readable", "with paths, print human readable sizes (e.g. 123M)")
    .option("--rescan", "with domains, recompute the statistics first (needs update permission)")
    .option("--json", "print one JSON document for scripts (fields below)")
    .addHelpText(
      "after",
      `
Without paths: server name, state, endpoint, your user name (and whether you
are an admin), home folder, server version, node count and uptime (h5pyd's
hsinfo). With domains or folders (ending in /): their statistics, as h5pyd's
hsstat prints them. Exit code 1 if the server or any path could not be read.

--json prints, without paths:
  {server: {name, state, version, node_count, start_time, uptime_seconds},
   endpoint, username, isadmin, home, client: {name, version}}
and with paths {results: [...]}, one per path:
  {target, class: "folder", path, owner, created, lastModified}
  {target, class: "domain", path, owner, created, lastModified, id, lastScan,
   md5_sum, total_size, allocated_bytes, metadata_bytes, linked_bytes,
   num_groups, num_datasets, num_datatypes, num_objects, num_chunks,
   num_linked_chunks}
  {target, error, status?}
Times are seconds since the epoch; num_objects counts groups, datasets and
committed datatypes.`,
    )
    .showHelpAfterError();
  addCommonOptions(program);
  return program.action(async (paths: string[], opts: HsinfoOptions) => {
    if (paths.length === 0 && (opts.humanReadable || opts.rescan)) {
      program.error("error: -H and --rescan apply to domain statistics: give a domain or folder", { exitCode: EXIT_USAGE });
    }
    const targets = checkUsage(program, () => paths.map(parseTarget));
    await withSession(opts, async ({ client, config }) => {
      if (targets.length === 0) return serverInfo(client, config, opts.json === true);
      const results: Record<string, unknown>[] = [];
      for (const target of targets) {
        try {
          const stats = await statsOf(client, target, opts.rescan === true);
          if (opts.json) results.push(statsJson(target, stats));
          else {
            const lines = stats.kind === "folder" ? folderStatsLines(target.text, stats.info) : domainStatsLines(target.text, stats.info, opts.humanReadable === true);
            printLines(lines);
          }
        } catch (err) {
          if (!(err instanceof HsdsError || err instanceof CliError)) throw err;
          const message = err instanceof CliError ? err.message : statsFailure(err, target);
          if (opts.json) results.push({ target: target.text, error: message, ...(err instanceof HsdsError ? { status: err.status } : {}) });
          else printError(message);
          setExitCode(program, EXIT_FAILURE);
        }
      }
      if (opts.json) printLine(jsonDocument({ results }));
    });
  });
}

import { type Command, Option } from "commander";
import { loadConfig } from "../config/load-config.js";
import { LOG_LEVELS, type ResolvedConfig } from "../config/resolve-config.js";

/** The options every tool shares, as commander names them (`--api_key` keeps its underscore). */
export interface CommonOptions {
  endpoint?: string;
  user?: string;
  password?: string;
  api_key?: string;
  conf?: string;
  bucket?: string;
  verbose?: boolean;
  loglevel?: string;
  logfile?: string;
}

/** Add h5pyd's common flags. No defaults here: an absent flag must let env and file decide. */
export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option("-e, --endpoint <endpoint>", "server endpoint: http(s)://host[:port], local, or file:///dir")
    .option("-u, --user <username>", "user name credential")
    .option("-p, --password <password>", "password credential")
    .option("--api_key <api_key>", "API key, sent as a bearer token (wins over user/password)")
    .option("-c, --conf <file>", "config file to read instead of ./.hscfg or ~/.hscfg")
    .option("--bucket <bucket>", "storage bucket to use")
    .option("-v, --verbose", "verbose output")
    .addOption(new Option("--loglevel <level>", "logging verbosity (default: error)").choices(LOG_LEVELS))
    .option("--logfile <file>", "write the log to this file instead of stderr");
}

export function configFromOptions(
  opts: CommonOptions,
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): ResolvedConfig {
  return loadConfig(
    {
      endpoint: opts.endpoint,
      user: opts.user,
      password: opts.password,
      apiKey: opts.api_key,
      conf: opts.conf,
      bucket: opts.bucket,
      verbose: opts.verbose,
      loglevel: opts.loglevel,
      logfile: opts.logfile,
    },
    env,
    cwd,
  );
}

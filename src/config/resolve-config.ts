import { isAbsolute, join, resolve } from "node:path";
import { ConfigError } from "./config-error.js";
import { type Endpoint, parseEndpoint } from "./endpoint.js";
import { isUnsetValue } from "./hscfg.js";

export const LOG_LEVELS = ["debug", "info", "warning", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ResolvedConfig {
  endpoint: Endpoint;
  username?: string;
  password?: string;
  apiKey?: string;
  bucket?: string;
  loglevel: LogLevel;
  logfile?: string;
  verbose: boolean;
  /** The config file that was read, if any. */
  configFile?: string;
  /** Problems that did not stop us (malformed config lines), for the logger. */
  warnings: string[];
}

/** Values given as command-line flags (unset = not given). */
export interface ConfigFlags {
  endpoint?: string;
  user?: string;
  password?: string;
  apiKey?: string;
  bucket?: string;
  loglevel?: string;
  logfile?: string;
  verbose?: boolean;
}

export interface ConfigSources {
  flags: ConfigFlags;
  env: Record<string, string | undefined>;
  file?: { path: string; values: Record<string, string>; invalidLines: number[] };
  /** Used for `local` when no username is configured. */
  osUser: string;
  home: string;
  cwd: string;
}

type SettingName = "endpoint" | "username" | "password" | "apiKey" | "bucket" | "localDir" | "loglevel" | "logfile";

interface Setting {
  fileKey: string;
  envVar?: string;
  flag?: { option: keyof ConfigFlags; name: string };
}

// One row per setting: where each source keeps it. Precedence is flag > env > file.
const SETTINGS: Record<SettingName, Setting> = {
  endpoint: { fileKey: "hs_endpoint", envVar: "HS_ENDPOINT", flag: { option: "endpoint", name: "--endpoint" } },
  username: { fileKey: "hs_username", envVar: "HS_USERNAME", flag: { option: "user", name: "--user" } },
  password: { fileKey: "hs_password", envVar: "HS_PASSWORD", flag: { option: "password", name: "--password" } },
  apiKey: { fileKey: "hs_api_key", envVar: "HS_API_KEY", flag: { option: "apiKey", name: "--api_key" } },
  bucket: { fileKey: "hs_bucket", envVar: "HS_BUCKET", flag: { option: "bucket", name: "--bucket" } },
  localDir: { fileKey: "hs_local_dir", envVar: "HS_LOCAL_DIR" },
  loglevel: { fileKey: "loglevel", flag: { option: "loglevel", name: "--loglevel" } },
  logfile: { fileKey: "logfile", flag: { option: "logfile", name: "--logfile" } },
};

interface Found {
  value: string;
  origin: string;
}

/**
 * The highest-precedence source that names a setting decides it; if that source says `None` or
 * nothing, the setting is unset (so `HS_PASSWORD=` can blank out a password in the file).
 */
function lookup(name: SettingName, sources: ConfigSources): Found | undefined {
  const setting = SETTINGS[name];
  const candidates: Array<Found | undefined> = [
    setting.flag && flagValue(sources.flags[setting.flag.option], setting.flag.name),
    setting.envVar !== undefined && sources.env[setting.envVar] !== undefined
      ? { value: sources.env[setting.envVar]!, origin: `environment variable ${setting.envVar}` }
      : undefined,
    sources.file && setting.fileKey in sources.file.values
      ? { value: sources.file.values[setting.fileKey]!, origin: sources.file.path }
      : undefined,
  ];
  const found = candidates.find((c) => c !== undefined);
  return found && !isUnsetValue(found.value) ? found : undefined;
}

function flagValue(value: ConfigFlags[keyof ConfigFlags], name: string): Found | undefined {
  return typeof value === "string" ? { value, origin: `option ${name}` } : undefined;
}

export function resolveConfig(sources: ConfigSources): ResolvedConfig {
  const get = (name: SettingName) => lookup(name, sources)?.value;
  const endpointFound = lookup("endpoint", sources) ?? { value: "local", origin: "the default" };
  const endpoint = parseEndpoint(endpointFound.value, endpointFound.origin, localDirectory(sources));
  const username = get("username") ?? (endpoint.kind === "local" ? sources.osUser : undefined);
  const logfile = get("logfile");
  return {
    endpoint,
    username,
    password: get("password"),
    apiKey: get("apiKey"),
    bucket: get("bucket"),
    loglevel: logLevel(lookup("loglevel", sources)),
    logfile: logfile === undefined ? undefined : resolve(sources.cwd, expandHome(logfile, sources.home)),
    verbose: sources.flags.verbose === true,
    configFile: sources.file?.path,
    warnings: (sources.file?.invalidLines ?? []).map(
      (line) => `${sources.file!.path} line ${line} is not "key = value"; ignored`,
    ),
  };
}

function localDirectory(sources: ConfigSources): string {
  const configured = lookup("localDir", sources)?.value;
  if (configured !== undefined) return resolve(sources.cwd, expandHome(configured, sources.home));
  const xdg = sources.env.XDG_DATA_HOME;
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const dataHome = xdg && isAbsolute(xdg) ? xdg : join(sources.home, ".local", "share");
  return join(dataHome, "hsds-tools");
}

function expandHome(path: string, home: string): string {
  return path === "~" || path.startsWith("~/") ? join(home, path.slice(1)) : path;
}

function logLevel(found: Found | undefined): LogLevel {
  if (found === undefined) return "error";
  const level = found.value.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new ConfigError(`log level "${found.value}" (from ${found.origin}) must be one of ${LOG_LEVELS.join(", ")}`);
}

import { homedir, userInfo } from "node:os";
import { findConfigFile, readConfigFile } from "./config-file.js";
import { type ConfigFlags, type ResolvedConfig, resolveConfig } from "./resolve-config.js";

/** Read the config file (if any) and resolve flags > environment > file > defaults. */
export function loadConfig(
  flags: ConfigFlags & { conf?: string },
  env: Record<string, string | undefined>,
  cwd: string,
): ResolvedConfig {
  const home = env.HOME || homedir();
  const path = findConfigFile({ explicit: flags.conf, cwd, home });
  const file = path === undefined ? undefined : { path, ...readConfigFile(path) };
  return resolveConfig({ flags, env, file, osUser: userInfo().username, home, cwd });
}

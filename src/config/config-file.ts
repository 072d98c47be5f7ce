import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ConfigError } from "./config-error.js";
import { type HscfgContent, type ParsedHscfg, formatHscfg, parseHscfg } from "./hscfg.js";

/**
 * h5pyd's discovery: `-c FILE` if given, else `./.hscfg` if it exists, else `~/.hscfg`.
 * Returns undefined when the chosen default file does not exist; a missing `-c FILE` is an error.
 */
export function findConfigFile(options: { explicit?: string; cwd: string; home: string }): string | undefined {
  if (options.explicit !== undefined) {
    const path = resolve(options.cwd, options.explicit);
    if (!existsSync(path)) throw new ConfigError(`config file not found: ${path} (from option --conf)`);
    return path;
  }
  const local = join(options.cwd, ".hscfg");
  if (existsSync(local)) return local;
  const home = join(options.home, ".hscfg");
  return existsSync(home) ? home : undefined;
}

export function readConfigFile(path: string): ParsedHscfg {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  return parseHscfg(text);
}

/**
 * Write the file hsconfigure saves. It holds a password, so it is created 0600, and it goes
 * through a temp file and a rename so a crash never leaves half a config behind.
 */
export async function writeConfigFile(path: string, content: HscfgContent): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, formatHscfg(content), { mode: 0o600, flag: "wx" });
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw new ConfigError(`cannot write config file ${path}: ${(err as Error).message}`);
  }
}

// Domain and folder arguments as users write them to h5pyd's tools: "/home/u/x.h5",
// "hdf5://home/u/x.h5", folders with a trailing "/".
import type { Command } from "commander";
import { CliError, EXIT_USAGE } from "../run.js";

export interface Target {
  /** Absolute path without a trailing "/" ("/" for the top level). */
  path: string;
  /** The argument ended in "/". */
  isFolder: boolean;
  /** The argument as given, for messages. */
  text: string;
}

export function parseTarget(arg: string): Target {
  const path = arg.startsWith("hdf5://") ? arg.slice("hdf5:/".length) : arg;
  if (!path.startsWith("/")) {
    throw new CliError(`not an absolute domain or folder path: ${arg} (write /home/user/file.h5 or hdf5://home/user/file.h5)`, EXIT_USAGE);
  }
  const isFolder = path.endsWith("/");
  const trimmed = path.replace(/\/+$/, "");
  return { path: trimmed === "" ? "/" : trimmed, isFolder, text: arg };
}

/** The folder a domain or folder lives in; "/" for top-level names. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

/** A folder as displayed and as listings want it: with its trailing "/". */
export function folderText(path: string): string {
  return path === "/" ? "/" : `${path}/`;
}

/**
 * Run argument checks inside an action: a usage CliError becomes commander's own usage error, so
 * the message is followed by the help text and the exit code is 2, like an unknown option.
 */
export function checkUsage<T>(program: Command, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof CliError && err.exitCode === EXIT_USAGE) program.error(`error: ${err.message}`, { exitCode: EXIT_USAGE });
    throw err;
  }
}

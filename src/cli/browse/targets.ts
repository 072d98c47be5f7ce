// The targets of the browse tools: domain and folder arguments on the endpoint the options name.
import type { Command } from "commander";
import { parseDomainArgument, type DomainArgument } from "../domain-argument.js";
import { CliError, EXIT_USAGE } from "../run.js";

export type Target = Omit<DomainArgument, "endpoint">;

/** Browse tools take many paths on one endpoint: an http(s):// argument would name another one. */
export function parseTarget(arg: string): Target {
  const { endpoint, ...target } = parseDomainArgument(arg);
  if (endpoint) throw new CliError(`give the endpoint with -e ${endpoint}, and the path as ${target.path}`, EXIT_USAGE);
  return target;
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

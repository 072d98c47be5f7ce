// The HDF Group's command-line tools (Debian package hdf5-tools), which tests use as the independent judge of
// files hsget writes. Missing tools fail the test with how to install them, not with a spawn error.
import { spawnSync } from "node:child_process";

export interface ToolOutput {
  /** The exit status: for h5diff 0 means equal, 1 different, 2 an error. */
  code: number;
  out: string;
}

/** One of the tools with these arguments: its exit status and all it printed. */
export function hdf5Tool(tool: "h5diff" | "h5dump", args: string[]): ToolOutput {
  const result = spawnSync(tool, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${tool} is needed for these tests (Debian: apt-get install hdf5-tools): ${result.error.message}`);
  return { code: result.status ?? 2, out: `${result.stdout}${result.stderr}` };
}

/** h5diff of two files; `options` (e.g. -v) go before them. */
export function h5diff(a: string, b: string, ...options: string[]): ToolOutput {
  return hdf5Tool("h5diff", [...options, a, b]);
}

/** h5dump's output; a non-zero exit throws with what it said. */
export function h5dump(args: string[]): string {
  const result = hdf5Tool("h5dump", args);
  if (result.code !== 0) throw new Error(`h5dump ${args.join(" ")} exited with ${result.code}: ${result.out}`);
  return result.out;
}

// Bodies HSDS 0.9.4 answered (golden/rest), for formatting tests that start from real server JSON.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseJson } from "../../src/model/json.js";
import { GOLDEN } from "../helpers/paths.js";

export function restBody<T>(file: string): T {
  return parseJson(readFileSync(join(GOLDEN, "rest", file), "utf8")) as T;
}

/** Lines of a golden CLI capture, without the final newline. */
export function cliLines(file: string): string[] {
  return readFileSync(join(GOLDEN, "cli", file), "utf8").replace(/\n$/, "").split("\n");
}

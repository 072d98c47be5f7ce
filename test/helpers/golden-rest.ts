// The requests of golden/rest/INDEX.md and what HSDS 0.9.4 answered to each.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GOLDEN } from "./paths.js";

export const REST = join(GOLDEN, "rest");

export interface GoldenCapture {
  /** Body file, relative to golden/rest. */
  file: string;
  method: string;
  path: string;
  /** Query as written in INDEX.md (values decoded). */
  query: [string, string][];
  /** "user:password" of the Basic credentials, or "none". */
  auth: string;
  /** The request asked for application/octet-stream. */
  binary: boolean;
  status: number;
  contentType: string;
}

export function goldenCaptures(): GoldenCapture[] {
  const captures: GoldenCapture[] = [];
  const index = readFileSync(join(REST, "INDEX.md"), "utf8");
  for (const line of index.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const file = /^`(.+)`$/.exec(cells[1] ?? "")?.[1];
    const request = /^`(.+)`$/.exec(cells[2] ?? "")?.[1];
    if (!file || !request) continue;
    const [method, target] = request.split(" ") as [string, string];
    const q = target.indexOf("?");
    const query = q < 0 ? [] : target.slice(q + 1).split("&").map((kv): [string, string] => {
      const eq = kv.indexOf("=");
      return [kv.slice(0, eq), kv.slice(eq + 1)];
    });
    const authColumn = cells[3]!;
    const basic = /Basic (\S+?:[^;\s]+)/.exec(authColumn);
    const headers = readFileSync(join(REST, `${file}.headers`), "utf8").split("\r\n");
    captures.push({
      file,
      method,
      path: q < 0 ? target : target.slice(0, q),
      query,
      auth: basic ? basic[1]! : "none",
      binary: authColumn.includes("application/octet-stream"),
      status: Number(headers[0]!.split(" ")[1]),
      contentType: headers.find((h) => h.toLowerCase().startsWith("content-type:"))!.slice(13).trim(),
    });
  }
  return captures;
}

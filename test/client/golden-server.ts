// A loopback server that answers each request listed in golden/rest/INDEX.md with the body and
// status HSDS 0.9.4 gave when it was captured. Requests are matched on method, decoded path,
// decoded query, credentials and Accept, so a client that sends anything else gets a 599.
// Listings (domains, links, attributes) also honour Limit/Marker over the captured full list,
// the way HSDS pages them, so paging can be tested against real answers.

import { readFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { goldenCaptures, REST, type GoldenCapture } from "../helpers/golden-rest.js";

export { REST };

export interface GoldenServer {
  endpoint: string;
  /** Raw request URLs, in order, since the last reset. */
  requests: string[];
  close(): Promise<void>;
}

function routeKey(method: string, path: string, query: Iterable<[string, string]>, auth: string, binary: boolean) {
  const sorted = [...query].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
  return `${method} ${path}?${sorted.join("&")} auth=${auth} binary=${binary}`;
}

function loadCaptures(): Map<string, GoldenCapture> {
  const captures = new Map<string, GoldenCapture>();
  for (const capture of goldenCaptures()) {
    captures.set(routeKey(capture.method, capture.path, capture.query, capture.auth, capture.binary), capture);
  }
  return captures;
}

const LIST_KEYS: Record<string, string> = { domains: "name", links: "title", attributes: "name" };

/** HSDS paging: skip up to and including Marker, then at most Limit items. */
function page(body: Buffer, limit: string | null, marker: string | null): Uint8Array {
  const json = JSON.parse(body.toString()) as Record<string, unknown>;
  const listName = Object.keys(LIST_KEYS).find((k) => Array.isArray(json[k]));
  if (listName === undefined) return body;
  let items = json[listName] as Array<Record<string, unknown>>;
  if (marker !== null) items = items.slice(items.findIndex((item) => item[LIST_KEYS[listName]!] === marker) + 1);
  if (limit !== null) items = items.slice(0, Number(limit));
  return Buffer.from(JSON.stringify({ ...json, [listName]: items }));
}

export async function startGoldenServer(): Promise<GoldenServer> {
  const captures = loadCaptures();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url!);
    const url = new URL(req.url!, "http://golden");
    const query = new URLSearchParams(url.searchParams);
    const limit = query.get("Limit");
    const marker = query.get("Marker");
    query.delete("Limit");
    query.delete("Marker");
    const authHeader = req.headers.authorization ?? "";
    const auth = authHeader.startsWith("Basic ")
      ? Buffer.from(authHeader.slice(6), "base64").toString()
      : "none";
    const key = routeKey(req.method!, decodeURIComponent(url.pathname), query, auth, req.headers.accept === "application/octet-stream");
    const capture = captures.get(key);
    req.resume();
    if (capture === undefined) {
      res.writeHead(599, { "content-type": "text/plain" });
      res.end(`599: no capture for ${key}`);
      return;
    }
    const captured = readFileSync(join(REST, capture.file));
    const body = limit !== null || marker !== null ? page(captured, limit, marker) : captured;
    res.writeHead(capture.status, { "content-type": capture.contentType, "content-length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

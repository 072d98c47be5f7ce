// The engine, serving the store a real HSDS 0.9.4 wrote, answers the captured requests of
// golden/rest with the same status, fields and values (hrefs carry our endpoint instead).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJson } from "../../src/model/json.js";
import { goldenCaptures, REST } from "../helpers/golden-rest.js";
import { serveDirectory, type TestServer } from "../helpers/engine-server.js";
import { GOLDEN } from "../helpers/paths.js";

const CAPTURED_ENDPOINT = "http://127.0.0.1:5101";
// Properties of one running server, not of the data.
const SERVER_SPECIFIC = new Set(["start_time", "node_count", "dn_urls", "dn_ids", "about", "hsds_tools_features"]);

function normalize(value: unknown, endpoint: string): unknown {
  if (typeof value === "string") return value.replaceAll(CAPTURED_ENDPOINT, endpoint);
  if (Array.isArray(value)) return value.map((v) => normalize(v, endpoint));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !SERVER_SPECIFIC.has(k))
        .map(([k, v]) => [k, normalize(v, endpoint)]),
    );
  }
  return value;
}

let server: TestServer;
beforeAll(async () => {
  server = await serveDirectory(join(GOLDEN, "hsds-store"));
});
afterAll(() => server.close());

describe("answers like HSDS 0.9.4 on its own store", () => {
  for (const capture of goldenCaptures()) {
    it(`${capture.method} ${capture.path} (${capture.file})`, async () => {
      const query = capture.query.map(([k, v]) => `${k}=${encodeURIComponent(v).replaceAll("%2F", "/").replaceAll("%3A", ":").replaceAll("%2C", ",")}`).join("&");
      const headers: Record<string, string> = {};
      if (capture.auth !== "none") headers.authorization = `Basic ${Buffer.from(capture.auth).toString("base64")}`;
      if (capture.binary) headers.accept = "application/octet-stream";
      const res = await fetch(`${server.url}${capture.path}${query ? `?${query}` : ""}`, { method: capture.method, headers });
      const body = new Uint8Array(await res.arrayBuffer());
      const expected = readFileSync(join(REST, capture.file));
      expect(res.status).toBe(capture.status);
      if (capture.contentType.startsWith("application/json")) {
        const got = normalize(parseJson(new TextDecoder().decode(body)), server.url);
        const want = normalize(parseJson(expected.toString("utf8")), server.url);
        expect(got).toEqual(want);
      } else if (capture.contentType.startsWith("application/octet-stream")) {
        expect(Buffer.from(body).equals(expected)).toBe(true);
      } else {
        expect(new TextDecoder().decode(body)).toBe(expected.toString("utf8"));
      }
    });
  }
});

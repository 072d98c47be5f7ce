import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TransportError } from "../../src/client/errors.js";
import { type HttpTransportOptions, HttpTransport } from "../../src/client/http-transport.js";
import type { HsRequest } from "../../src/client/transport.js";

// A loopback server whose answer to the n-th request (1-based) each test scripts.
type Script = (req: IncomingMessage, res: ServerResponse, n: number, body: Buffer) => void;

let server: Server;
let endpoint: string;
let script: Script;
let seen: Array<{ method: string; url: string; headers: IncomingMessage["headers"]; body: Buffer }>;
const transports: HttpTransport[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      script(req, res, seen.length, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  server.closeAllConnections();
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A transport that records its waits instead of sleeping them, so nothing here depends on time. */
function transport(options: Partial<HttpTransportOptions> = {}) {
  seen = [];
  const sleeps: number[] = [];
  const t = new HttpTransport({
    endpoint,
    retries: 3,
    baseDelayMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  transports.push(t);
  return { t, sleeps };
}

function get(path: string, query: Record<string, string> = {}): HsRequest {
  return { method: "GET", path, query, headers: {} };
}

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

describe("HttpTransport retries", () => {
  it("retries a GET after 503 and returns the 200 that follows", async () => {
    const { t, sleeps } = transport();
    script = (_req, res, n) => (n === 1 ? reply(res, 503, "503: Service Unavailable") : reply(res, 200, '{"ok":1}'));
    const response = await t.request(get("/about"));
    expect(response.status).toBe(200);
    expect(new TextDecoder().decode(response.body)).toBe('{"ok":1}');
    expect(seen).toHaveLength(2);
    expect(sleeps).toEqual([75]); // first step 100 ms, equal jitter at random 0.5
  });

  it("backs off exponentially and gives up with a one-line error after the last try", async () => {
    const { t, sleeps } = transport();
    script = (_req, res) => reply(res, 503, "503: Service Unavailable");
    const failure = t.request(get("/datasets/d-1/value", { domain: "/a/b.h5" }));
    await expect(failure).rejects.toThrow(
      `GET /datasets/d-1/value on ${endpoint}: 503 Service Unavailable after 4 attempts`,
    );
    await expect(failure).rejects.toMatchObject({ status: 503, attempts: 4 });
    expect(seen).toHaveLength(4);
    expect(sleeps).toEqual([75, 150, 300]);
  });

  it("does not retry a non-idempotent POST on 500 and hands the answer back", async () => {
    const { t, sleeps } = transport();
    script = (_req, res) => reply(res, 500, "500: Internal Server Error");
    const response = await t.request({ method: "POST", path: "/groups", query: {}, headers: {}, body: new Uint8Array([123, 125]) });
    expect(response.status).toBe(500);
    expect(seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("retries a POST the caller marked idempotent, resending the same body", async () => {
    const { t } = transport();
    script = (_req, res, n) => (n === 1 ? reply(res, 502, "bad gateway") : reply(res, 200, "{}"));
    const body = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]);
    const request = { method: "POST" as const, path: "/datasets/d-1/value", query: {}, headers: {}, body, idempotent: true };
    expect((await t.request(request)).status).toBe(200);
    expect(seen.map((s) => [...s.body])).toEqual([[...body], [...body]]);
  });

  it("does not retry client errors", async () => {
    const { t } = transport();
    script = (_req, res) => reply(res, 404, "404: Not Found", { "content-type": "text/plain" });
    expect((await t.request(get("/groups/g-1"))).status).toBe(404);
    expect(seen).toHaveLength(1);
  });

  it("honours Retry-After in seconds on 429 and as an HTTP date on 503", async () => {
    const { t, sleeps } = transport({ maxDelayMs: 60_000 });
    const later = new Date(Date.now() + 30_000).toUTCString();
    script = (_req, res, n) => {
      if (n === 1) reply(res, 429, "slow down", { "retry-after": "7" });
      else if (n === 2) reply(res, 503, "busy", { "retry-after": later });
      else reply(res, 200, "{}");
    };
    expect((await t.request(get("/about"))).status).toBe(200);
    expect(sleeps[0]).toBe(7000);
    // The date has whole seconds; whatever the clock did meanwhile, it is well past the backoff step.
    expect(sleeps[1]).toBeGreaterThan(20_000);
    expect(sleeps[1]).toBeLessThanOrEqual(30_000);
  });

  it("retries a GET whose connection is reset mid-response", async () => {
    const { t } = transport();
    const payload = Buffer.alloc(4096, 7);
    script = (_req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": payload.length });
        res.write(payload.subarray(0, 100), () => res.socket!.resetAndDestroy());
      } else {
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": payload.length });
        res.end(payload);
      }
    };
    const response = await t.request(get("/datasets/d-1/value"));
    expect(Buffer.from(response.body).equals(payload)).toBe(true);
    expect(seen).toHaveLength(2);
  });

  it("detects a body shorter than Content-Length: retried for GET, reported for POST", async () => {
    const { t } = transport({ retries: 2 });
    script = (_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": 1000 });
      res.write(Buffer.alloc(400), () => res.socket!.end());
    };
    const failure = t.request(get("/datasets/d-1/value"));
    await expect(failure).rejects.toBeInstanceOf(TransportError);
    await expect(failure).rejects.toThrow(/after 3 attempts$/);
    expect(seen).toHaveLength(3);

    seen = [];
    const post = t.request({ method: "POST", path: "/datasets", query: {}, headers: {}, body: new Uint8Array(2) });
    await expect(post).rejects.toThrow(/after 1 attempt \(not retried: the request is not idempotent\)$/);
    expect(seen).toHaveLength(1);
  });

  it("times out a request that gets no answer, and retries it", async () => {
    const { t } = transport({ timeoutMs: 200 });
    script = (_req, res, n) => {
      if (n > 1) reply(res, 200, '{"late":false}');
      // the first request is left hanging
    };
    const response = await t.request(get("/about"));
    expect(new TextDecoder().decode(response.body)).toBe('{"late":false}');
    expect(seen).toHaveLength(2);
  });

  it("reports a timeout once retries are spent", async () => {
    const { t } = transport({ timeoutMs: 100, retries: 0 });
    script = () => {};
    await expect(t.request(get("/about"))).rejects.toMatchObject({
      code: "UND_ERR_HEADERS_TIMEOUT",
      attempts: 1,
      message: expect.stringMatching(/^GET \/about on http:\/\/127\.0\.0\.1:\d+: .*imeout.* after 1 attempt$/),
    });
  });

  it("retries even a POST when the connection was refused (nothing was sent)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { t, sleeps } = transport({ endpoint: `http://127.0.0.1:${port}`, retries: 2 });
    const failure = t.request({ method: "POST", path: "/groups", query: {}, headers: {}, body: new Uint8Array(2) });
    await expect(failure).rejects.toMatchObject({ code: "ECONNREFUSED", attempts: 3 });
    await expect(failure).rejects.toThrow(
      new RegExp(`^POST /groups on http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.* after 3 attempts$`),
    );
    expect(sleeps).toHaveLength(2);
  });
});

describe("HttpTransport requests", () => {
  it("sends Basic auth from user and password", async () => {
    const { t } = transport({ username: "test_user1", password: "test" });
    script = (_req, res) => reply(res, 200, "{}");
    await t.request(get("/about"));
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from("test_user1:test").toString("base64")}`);
  });

  it("sends Bearer auth when an API key is set, even with a password", async () => {
    const { t } = transport({ username: "u", password: "p", apiKey: "tok-123" });
    script = (_req, res) => reply(res, 200, "{}");
    await t.request(get("/about"));
    expect(seen[0]!.headers.authorization).toBe("Bearer tok-123");
  });

  it("sends no Authorization without credentials", async () => {
    const { t } = transport({ username: "u" });
    script = (_req, res) => reply(res, 200, "{}");
    await t.request(get("/about"));
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it("sends the path as given, encodes the query like h5pyd, and keeps the endpoint's path prefix", async () => {
    const { t } = transport({ endpoint: `${endpoint}/hsds/` });
    script = (_req, res) => reply(res, 200, "{}");
    await t.request(
      get("/groups/g-1/links/my%20link", { domain: "/home/a/b.h5", select: "[0:10, [1,3]]", bucket: "b" }),
    );
    expect(seen[0]!.url).toBe("/hsds/groups/g-1/links/my%20link?domain=/home/a/b.h5&select=%5B0:10,%20%5B1,3%5D%5D&bucket=b");
  });

  it("passes headers and body through and returns lower-case response headers", async () => {
    const { t } = transport();
    script = (req, res, _n, body) =>
      reply(res, 201, JSON.stringify({ got: body.toString(), type: req.headers["content-type"] }), { "X-Custom": "v" });
    const response = await t.request({
      method: "PUT",
      path: "/",
      query: {},
      headers: { "content-type": "application/json" },
      body: new TextEncoder().encode('{"folder":true}'),
    });
    expect(response.status).toBe(201);
    expect(response.headers["x-custom"]).toBe("v");
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({ got: '{"folder":true}', type: "application/json" });
  });

  it("keeps connections alive across requests", async () => {
    const { t } = transport();
    const ports = new Set<number>();
    script = (req, res) => {
      ports.add(req.socket.remotePort!);
      reply(res, 200, "{}");
    };
    for (let i = 0; i < 10; i++) await t.request(get("/about"));
    // undici may alternate between two pooled sockets, but it never opens one per request.
    expect(ports.size).toBeLessThanOrEqual(2);
  });
});

// hsserve's HTTP front: node:http in, the engine's handle() out. Bodies are read whole (tens of MB
// are fine) up to max_request_size; larger ones are refused with 413 before they are read.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { HsRequest, HsResponse, HttpMethod } from "../client/transport.js";
import type { Principal } from "./acl.js";
import { HttpError } from "./http-error.js";
import { errorResponse } from "./responses.js";

export interface RequestHandler {
  handle(req: HsRequest, principal: Principal): Promise<HsResponse>;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  authenticate(authorization: string | undefined): Principal;
  log?(line: string): void;
}

const METHODS = new Set<string>(["GET", "PUT", "POST", "DELETE"]);

async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) throw new HttpError(413);
  const parts: Buffer[] = [];
  let total = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    total += part.length;
    if (total > limit) throw new HttpError(413);
    parts.push(part);
  }
  const body = Buffer.concat(parts, total);
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
}

function toHsRequest(req: IncomingMessage, body: Uint8Array): HsRequest {
  const url = new URL(req.url ?? "/", "http://localhost");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    method: req.method as HttpMethod,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
  };
}

function send(res: ServerResponse, out: HsResponse): void {
  const { "x-reason": reason, ...headers } = out.headers;
  res.writeHead(out.status, reason ?? undefined, { ...headers, "content-length": String(out.body.length) });
  res.end(out.body);
}

export async function startHttpServer(handler: RequestHandler, opts: HttpServerOptions): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const started = Date.now();
    let out: HsResponse;
    try {
      if (!METHODS.has(req.method ?? "")) throw new HttpError(405, "Method Not Allowed");
      const principal = opts.authenticate(req.headers.authorization);
      const body = await readBody(req, opts.maxBodyBytes);
      out = await handler.handle(toHsRequest(req, body), principal);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      out = errorResponse(status, (err as Error).message);
      // A refused upload is not drained: close the connection instead of reading it.
      if (status === 413) res.setHeader("connection", "close");
    }
    send(res, out);
    opts.log?.(`${req.method} ${req.url} ${out.status} ${Date.now() - started}ms`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return { server, url: `http://${host}:${address.port}` };
}

import type { HsResponse } from "../client/transport.js";
import { jsonBytes } from "../model/json.js";

export const SERVER_NAME = "Highly Scalable Data Service (HSDS)";

const COMMON_HEADERS = { server: SERVER_NAME, "x-xss-protection": "1; mode=block" };

export function json(status: number, body: unknown): HsResponse {
  return {
    status,
    headers: { ...COMMON_HEADERS, "content-type": "application/json; charset=utf-8" },
    body: jsonBytes(body),
  };
}

export function binary(body: Uint8Array): HsResponse {
  return { status: 200, headers: { ...COMMON_HEADERS, "content-type": "application/octet-stream" }, body };
}

export function noContent(): HsResponse {
  return { status: 204, headers: { ...COMMON_HEADERS }, body: new Uint8Array(0) };
}

export function errorResponse(status: number, reason: string): HsResponse {
  // The reason travels in the status line too; keep it to one printable line.
  const oneLine = reason.replace(/[\r\n]+/g, " ");
  return {
    status,
    headers: { ...COMMON_HEADERS, "content-type": "text/plain; charset=utf-8", "x-reason": oneLine },
    body: new TextEncoder().encode(`${status}: ${oneLine}`),
  };
}

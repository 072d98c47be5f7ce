import { parseJsonBytes, jsonBytes } from "../model/json.js";
import { type RequestSubject, hsdsErrorFor, reasonFromBody } from "./errors.js";
import type { RetryHint } from "./http-transport.js";
import type { HsRequest, HsResponse, HttpMethod, Transport } from "./transport.js";

export type QueryValue = string | number | boolean | undefined;

export interface RequestSpec {
  method: HttpMethod;
  path: string;
  /** Sent as `domain=`; omitted for /about. */
  domain?: string;
  /** `true` is sent as "1"; `false` and undefined are left out (HSDS tests presence). */
  query?: Record<string, QueryValue>;
  json?: unknown;
  body?: Uint8Array;
  /** Ask for `application/octet-stream`. */
  binary?: boolean;
  /** A POST that only reads and may be repeated. */
  idempotent?: boolean;
  subject: RequestSubject;
}

/** Builds HSDS requests (domain, bucket, content types) and turns error statuses into HsdsError. */
export class Requester {
  constructor(
    readonly transport: Transport,
    private readonly options: { bucket?: string; username?: string },
  ) {}

  async send(spec: RequestSpec): Promise<HsResponse> {
    const query: Record<string, string> = {};
    if (spec.domain !== undefined) query.domain = spec.domain;
    if (this.options.bucket !== undefined && spec.domain !== undefined) query.bucket = this.options.bucket;
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value === undefined || value === false) continue;
      query[key] = value === true ? "1" : String(value);
    }
    const headers: Record<string, string> = {};
    if (spec.binary) headers.accept = "application/octet-stream";
    let body: Uint8Array | undefined;
    if (spec.body !== undefined) {
      headers["content-type"] = "application/octet-stream";
      body = spec.body;
    } else if (spec.json !== undefined) {
      headers["content-type"] = "application/json";
      body = jsonBytes(spec.json);
    }
    const request: HsRequest & RetryHint = { method: spec.method, path: spec.path, query, headers, body };
    if (spec.idempotent) request.idempotent = true;
    const response = await this.transport.request(request);
    if (response.status >= 200 && response.status < 300) return response;
    throw hsdsErrorFor({
      status: response.status,
      method: spec.method,
      path: spec.path,
      domain: spec.domain,
      username: this.options.username,
      reason: reasonFromBody(response.status, response.headers["content-type"], response.body),
      subject: spec.subject,
    });
  }

  /** The parsed JSON body (HSDS may write bare NaN); undefined for an empty body (204). */
  async json<T>(spec: RequestSpec): Promise<T> {
    const response = await this.send(spec);
    return (response.body.length === 0 ? undefined : parseJsonBytes(response.body)) as T;
  }
}

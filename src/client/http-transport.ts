import { STATUS_CODES } from "node:http";
import { setTimeout as sleepFor } from "node:timers/promises";
import { Agent } from "undici";
import { TransportError } from "./errors.js";
import {
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  classifyNetworkError,
  delayBeforeRetryMs,
  isRetryableStatus,
} from "./retry-policy.js";
import type { HsRequest, HsResponse, Transport } from "./transport.js";
import { encodeQuery } from "./url-encoding.js";

/**
 * A request the caller knows is safe to repeat although it is a POST (point and selection
 * reads, batch attribute reads). GET/PUT/DELETE are idempotent by definition.
 */
export interface RetryHint {
  idempotent?: boolean;
}

export interface HttpTransportOptions extends Partial<RetryPolicy> {
  /** Base URL: http(s)://host[:port][/prefix], no trailing slash needed. */
  endpoint: string;
  username?: string;
  password?: string;
  /** Sent as `Authorization: Bearer <key>`; wins over username/password. */
  apiKey?: string;
  /** Connections kept per server (h5pyd's pool size is 16). */
  connections?: number;
  /** Longest wait for response headers, and for each piece of the body (h5pyd: 180 s). */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** false accepts any TLS certificate (h5pyd's H5PYD_VERIFY_CERT=False). */
  verifyTls?: boolean;
  log?: (level: "debug" | "warning", message: string) => void;
  /** Waiting and jitter, replaceable so tests can observe delays instead of sleeping them. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

type Outcome =
  | { kind: "response"; response: HsResponse; statusText: string }
  | { kind: "network"; error: Error; code: string | undefined };

/** Transport to any HSDS over HTTP, with keep-alive, auth and h5pyd-like retries. */
export class HttpTransport implements Transport {
  readonly endpoint: string;
  private readonly origin: string;
  private readonly pathPrefix: string;
  private readonly agent: Agent;
  private readonly authorization: string | undefined;
  private readonly policy: RetryPolicy;
  private readonly log: NonNullable<HttpTransportOptions["log"]>;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: HttpTransportOptions) {
    const url = new URL(options.endpoint);
    this.endpoint = options.endpoint.replace(/\/+$/, "");
    this.origin = url.origin;
    this.pathPrefix = url.pathname.replace(/\/+$/, "");
    const timeout = options.timeoutMs ?? 180_000;
    this.agent = new Agent({
      connections: options.connections ?? 16,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      connect: {
        timeout: options.connectTimeoutMs ?? 10_000,
        rejectUnauthorized: options.verifyTls ?? true,
      },
    });
    this.authorization = authorizationHeader(options);
    this.policy = {
      retries: options.retries ?? DEFAULT_RETRY_POLICY.retries,
      baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    };
    this.log = options.log ?? (() => {});
    this.sleep = options.sleep ?? ((ms) => sleepFor(ms));
    this.random = options.random ?? Math.random;
  }

  async request(req: HsRequest & RetryHint): Promise<HsResponse> {
    const idempotent = req.method !== "POST" || req.idempotent === true;
    const maxAttempts = this.policy.retries + 1;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(req);
      const retryable =
        outcome.kind === "response"
          ? idempotent && isRetryableStatus(outcome.response.status)
          : isRetryableNetworkFailure(outcome.code, idempotent);
      if (!retryable) {
        if (outcome.kind === "response") return outcome.response;
        const unsafe = classifyNetworkError(outcome.code) === "interrupted";
        throw this.failure(req, outcome, attempt, unsafe ? " (not retried: the request is not idempotent)" : "");
      }
      if (attempt >= maxAttempts) throw this.failure(req, outcome, attempt, "");
      const delay = delayBeforeRetryMs(
        attempt - 1,
        this.policy,
        this.random,
        outcome.kind === "response"
          ? { status: outcome.response.status, retryAfter: outcome.response.headers["retry-after"] }
          : undefined,
      );
      const next = `retry ${attempt} of ${this.policy.retries} in ${Math.round(delay)} ms`;
      this.log("warning", `${describe(req)}: ${outcomeText(outcome)}; ${next}`);
      await this.sleep(delay);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async attempt(req: HsRequest): Promise<Outcome> {
    const query = encodeQuery(req.query);
    const headers: Record<string, string> = { "user-agent": "hsds-tools", ...req.headers };
    if (this.authorization !== undefined && headers.authorization === undefined) {
      headers.authorization = this.authorization;
    }
    this.log("debug", `${describe(req)} on ${this.endpoint}`);
    try {
      const res = await this.agent.request({
        origin: this.origin,
        path: `${this.pathPrefix}${req.path}${query ? `?${query}` : ""}`,
        method: req.method,
        headers,
        body: req.body,
      });
      const body = new Uint8Array(await res.body.arrayBuffer());
      const responseHeaders = flattenHeaders(res.headers);
      const expected = responseHeaders["content-length"];
      // A streamed HSDS response that fails half-way still says 200; only the length tells.
      if (expected !== undefined && Number(expected) !== body.length) {
        const error = new Error(`response ended after ${body.length} of ${expected} bytes`);
        return { kind: "network", error, code: "HS_SHORT_BODY" };
      }
      return {
        kind: "response",
        response: { status: res.statusCode, headers: responseHeaders, body },
        statusText: res.statusText || STATUS_CODES[res.statusCode] || "",
      };
    } catch (err) {
      const error = err as Error & { code?: string };
      return { kind: "network", error, code: error.code };
    }
  }

  private failure(req: HsRequest, outcome: Outcome, attempts: number, note: string): TransportError {
    const tries = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
    const message = `${describe(req)} on ${this.endpoint}: ${outcomeText(outcome)} after ${tries}${note}`;
    return outcome.kind === "response"
      ? new TransportError(message, req.method, req.path, attempts, outcome.response.status)
      : new TransportError(message, req.method, req.path, attempts, undefined, outcome.code, { cause: outcome.error });
  }
}

function isRetryableNetworkFailure(code: string | undefined, idempotent: boolean): boolean {
  const kind = classifyNetworkError(code);
  return kind === "not-sent" || (kind === "interrupted" && idempotent);
}

function authorizationHeader(options: HttpTransportOptions): string | undefined {
  if (options.apiKey) return `Bearer ${options.apiKey}`;
  if (options.username !== undefined && options.password !== undefined) {
    return `Basic ${Buffer.from(`${options.username}:${options.password}`, "utf8").toString("base64")}`;
  }
  return undefined;
}

function describe(req: HsRequest): string {
  return `${req.method} ${req.path}`;
}

function outcomeText(outcome: Outcome): string {
  if (outcome.kind === "response") return `${outcome.response.status} ${outcome.statusText}`.trimEnd();
  const { error, code } = outcome;
  return code !== undefined && !error.message.includes(code) ? `${code} (${error.message})` : error.message;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

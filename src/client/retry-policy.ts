// When and how long HttpTransport waits before trying a request again (h5pyd's urllib3 policy,
// plus jitter and Retry-After). Pure functions; the transport does the waiting.

export interface RetryPolicy {
  /** Retries after the first attempt (h5pyd: 3 for hsload/hsinfo, 10 for File-based tools). */
  retries: number;
  /** First backoff step; doubles each retry. */
  baseDelayMs: number;
  /** Cap for one wait, Retry-After included. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 1000, maxDelayMs: 120_000 };

/** Statuses that say "try again later" rather than "this request is wrong". */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Network failures where the server may or may not have acted on the request. */
const RETRYABLE_NETWORK_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
  "HS_SHORT_BODY",
]);

/** Failures before the request left this machine: safe to retry even a non-idempotent POST. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "ENOTFOUND", "EAI_AGAIN"]);

export type NetworkErrorKind = "not-sent" | "interrupted" | "fatal";

export function classifyNetworkError(code: string | undefined): NetworkErrorKind {
  if (code !== undefined && NOT_SENT_CODES.has(code)) return "not-sent";
  if (code !== undefined && RETRYABLE_NETWORK_CODES.has(code)) return "interrupted";
  return "fatal";
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so many clients
 * that failed together do not come back together. `retry` counts from 0.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return step / 2 + (random() * step) / 2;
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The wait before the next attempt: the server's Retry-After (on 429/503) wins over backoff. */
export function delayBeforeRetryMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number,
  response?: { status: number; retryAfter?: string },
  nowMs: number = Date.now(),
): number {
  const asked =
    response && (response.status === 429 || response.status === 503)
      ? retryAfterMs(response.retryAfter, nowMs)
      : undefined;
  return Math.min(policy.maxDelayMs, asked ?? backoffDelayMs(retry, policy, random));
}

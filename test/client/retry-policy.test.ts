import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  classifyNetworkError,
  delayBeforeRetryMs,
  isRetryableStatus,
  retryAfterMs,
} from "../../src/client/retry-policy.js";

const policy = { retries: 5, baseDelayMs: 1000, maxDelayMs: 5000 };

describe("retry policy", () => {
  it("retries the statuses that mean 'later', not the ones that mean 'wrong'", () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 201, 400, 401, 403, 404, 409, 410, 413, 501].some(isRetryableStatus)).toBe(false);
  });

  it("doubles the backoff step, half fixed and half jitter, up to the cap", () => {
    expect([0, 1, 2, 3, 4].map((r) => backoffDelayMs(r, policy, () => 0))).toEqual([500, 1000, 2000, 2500, 2500]);
    expect([0, 1, 2, 3, 4].map((r) => backoffDelayMs(r, policy, () => 1))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("Sat, 21 Nov 2026 09:43:20 GMT");
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs(" 1.5 ", now)).toBe(1500);
    expect(retryAfterMs("Sat, 21 Nov 2026 09:43:24 GMT", now)).toBe(4000);
    expect(retryAfterMs("Sat, 21 Nov 2026 09:43:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it("prefers Retry-After on 429/503, capped, and ignores it on other statuses", () => {
    const random = () => 0;
    expect(delayBeforeRetryMs(0, policy, random, { status: 429, retryAfter: "2" })).toBe(2000);
    expect(delayBeforeRetryMs(0, policy, random, { status: 503, retryAfter: "60" })).toBe(5000);
    expect(delayBeforeRetryMs(0, policy, random, { status: 500, retryAfter: "2" })).toBe(500);
    expect(delayBeforeRetryMs(1, policy, random, { status: 503 })).toBe(1000);
    expect(delayBeforeRetryMs(2, policy, random)).toBe(2000);
  });

  it("tells failures before sending from failures mid-request", () => {
    expect(classifyNetworkError("ECONNREFUSED")).toBe("not-sent");
    expect(classifyNetworkError("UND_ERR_CONNECT_TIMEOUT")).toBe("not-sent");
    expect(classifyNetworkError("ECONNRESET")).toBe("interrupted");
    expect(classifyNetworkError("UND_ERR_SOCKET")).toBe("interrupted");
    expect(classifyNetworkError("UND_ERR_HEADERS_TIMEOUT")).toBe("interrupted");
    expect(classifyNetworkError("ERR_TLS_CERT_ALTNAME_INVALID")).toBe("fatal");
    expect(classifyNetworkError(undefined)).toBe("fatal");
  });
});

import { STATUS_CODES } from "node:http";
import type { HttpMethod } from "./transport.js";

/** What a request was about, so a failure can name the thing at fault. */
export interface RequestSubject {
  /** "domain", "group", "link", "attribute", "dataset", "datatype", "acl", "folder", "object", ... */
  what: string;
  /** The thing itself, e.g. "nosuch in group g-… of /home/a/f.h5". */
  name: string;
  /** Messages for statuses where the generic one would mislead (409 "folder is not empty: /x"). */
  messages?: { [status: number]: string };
}

/** An HSDS answer with an error status, turned into one line fit for the CLI. */
export class HsdsError extends Error {
  override readonly name = "HsdsError";
  constructor(
    message: string,
    readonly status: number,
    readonly method: HttpMethod,
    readonly path: string,
    readonly domain: string | undefined,
    /** The server's own reason text, when it said more than the status phrase. */
    readonly reason: string | undefined,
  ) {
    super(message);
  }
}

/**
 * A request that never got a usable answer: the connection failed, the body was cut short, or
 * every retry came back 5xx/429.
 */
export class TransportError extends Error {
  override readonly name = "TransportError";
  constructor(
    message: string,
    readonly method: HttpMethod,
    readonly path: string,
    readonly attempts: number,
    /** The last HTTP status, when the failure was a status. */
    readonly status?: number,
    /** The last network error code (ECONNRESET, UND_ERR_HEADERS_TIMEOUT, ...). */
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Id with no known collection prefix (g-, d-, t-). */
export class InvalidIdError extends Error {
  override readonly name = "InvalidIdError";
}

/** Python's (aiohttp's) phrases where they differ from Node's. */
const PYTHON_PHRASES: Record<number, string> = { 413: "Request Entity Too Large", 414: "Request-URI Too Long" };

/**
 * HSDS error bodies are aiohttp plain text ("404: Not Found", "400: Invalid selection").
 * Returns the reason only when it adds something to the standard status phrase.
 */
export function reasonFromBody(status: number, contentType: string | undefined, body: Uint8Array): string | undefined {
  if (body.length === 0 || body.length > 1000 || !(contentType ?? "").startsWith("text/")) return undefined;
  const text = new TextDecoder().decode(body).trim().replace(/^\d{3}:\s*/, "");
  if (text === "" || text.includes("\n") || text === STATUS_CODES[status] || text === PYTHON_PHRASES[status]) {
    return undefined;
  }
  return text;
}

export interface FailedRequest {
  status: number;
  method: HttpMethod;
  path: string;
  domain?: string;
  /** User the client authenticated as, for 401 messages. */
  username?: string;
  reason?: string;
  subject: RequestSubject;
}

export function hsdsErrorFor(failure: FailedRequest): HsdsError {
  return new HsdsError(
    describeFailure(failure),
    failure.status,
    failure.method,
    failure.path,
    failure.domain,
    failure.reason,
  );
}

function describeFailure(f: FailedRequest): string {
  const { what, name, messages } = f.subject;
  const because = f.reason === undefined ? "" : `: ${f.reason}`;
  const specific = messages?.[f.status];
  if (specific !== undefined) return `${specific}${because}`;
  switch (f.status) {
    case 400:
      return `bad request for ${what} ${name}${because}`;
    case 401:
      return f.username === undefined
        ? `authentication required${because}`
        : `username/password not valid for ${f.username}${because}`;
    case 403:
      return `permission denied for ${f.domain ?? `${what} ${name}`}${because}`;
    case 404:
      return `${what} not found: ${name}${because}`;
    case 409:
      return `${what} conflicts with what exists: ${name}${because}`;
    case 410:
      return `${what} was deleted: ${name}${because}`;
    case 413:
      return `request too large for ${what} ${name}: use smaller selections${because}`;
    default:
      return `${f.method} ${f.path}: ${f.status} ${f.reason ?? STATUS_CODES[f.status] ?? "error"}`;
  }
}

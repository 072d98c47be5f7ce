// HSDS answers errors as aiohttp does: status line reason and a plain-text body "<code>: <reason>".

const STANDARD_REASON: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  410: "Gone",
  413: "Request Entity Too Large",
  424: "Failed Dependency",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export class HttpError extends Error {
  constructor(
    readonly status: number,
    reason?: string,
  ) {
    super(reason ?? STANDARD_REASON[status] ?? "Error");
  }
}

export const badRequest = (reason: string) => new HttpError(400, reason);
export const notFound = (reason?: string) => new HttpError(404, reason);
export const forbidden = () => new HttpError(403);
export const conflict = (reason?: string) => new HttpError(409, reason);

/**
 * A linked source file that is gone, truncated or corrupt: "Failed Dependency", which clients do
 * not retry (it will not mend itself) and whose reason names the file, unlike a 404 that reads as
 * if the dataset were missing.
 */
export const LINKED_SOURCE_FAILED = 424;

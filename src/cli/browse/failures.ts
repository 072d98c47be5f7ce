// Each tool words failures the way h5pyd's tool of the same name does: a message per HTTP status,
// and "Unexpected error: ..." for anything else.
import { HsdsError } from "../../client/errors.js";

export function failureMessage(err: unknown, byStatus: Readonly<Partial<Record<number, string>>>): string {
  const known = err instanceof HsdsError ? byStatus[err.status] : undefined;
  return known ?? `Unexpected error: ${(err as Error).message}`;
}

/** The status of a failed request, when the server answered. */
export function statusOf(err: unknown): number | undefined {
  return err instanceof HsdsError ? err.status : undefined;
}

/** The server says the thing does not exist (404), or no longer does (410). */
export function isGone(err: unknown): boolean {
  const status = statusOf(err);
  return status === 404 || status === 410;
}

/** The server refused: no valid credentials (401) or no permission (403). */
export function isDenied(err: unknown): boolean {
  const status = statusOf(err);
  return status === 401 || status === 403;
}

// HSDS answers 404 for what does not exist and 410 for what was deleted a moment ago: to a re-runnable load
// both mean "not there", as when a stopped run already removed it.
import { HsdsError } from "../client/errors.js";

export function isMissing(err: unknown): boolean {
  return err instanceof HsdsError && (err.status === 404 || err.status === 410);
}

/** Run a removal that may find its object gone already. */
export async function ignoreMissing(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
}

/** The answer, or undefined when the thing asked for is not there. */
export async function unlessMissing<T>(request: () => Promise<T>): Promise<T | undefined> {
  try {
    return await request();
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

// Keys come from domain names and object ids that users control; a key that could escape the
// bucket (.., absolute, NUL, empty segments) is refused before any store touches the disk.

export class InvalidKeyError extends Error {
  constructor(key: string) {
    super(`invalid storage key: ${JSON.stringify(key)}`);
  }
}

export function assertSafeKey(key: string): void {
  if (key.length === 0 || key.includes("\0") || key.startsWith("/") || key.includes("\\")) {
    throw new InvalidKeyError(key);
  }
  for (const segment of key.split("/")) {
    if (segment === "" || segment === "." || segment === "..") throw new InvalidKeyError(key);
  }
}

/** A prefix may be empty or end with "/" (a folder) or be part of a name; it must still stay inside. */
export function assertSafePrefix(prefix: string): void {
  if (prefix === "") return;
  assertSafeKey(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
}

// HSDS's password_file back end: lines "username:password", "#" comments, both parts >= 3 chars.
import { timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Principal } from "./acl.js";
import { ANONYMOUS } from "./acl.js";
import { HttpError } from "./http-error.js";

export class PasswordFile {
  private constructor(private readonly passwords: Map<string, string>) {}

  static load(path: string): PasswordFile {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      throw new Error(`cannot read password file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const users = new Map<string, string>();
    for (const [i, raw] of text.split(/\r?\n/).entries()) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      const colon = line.indexOf(":");
      const user = line.slice(0, colon);
      const password = line.slice(colon + 1);
      if (colon < 0 || user.length < 3 || password.length < 3) {
        throw new Error(`${path}:${i + 1}: expected "username:password" (each at least 3 characters)`);
      }
      users.set(user, password);
    }
    return new PasswordFile(users);
  }

  users(): string[] {
    return [...this.passwords.keys()];
  }

  /** The caller named by an Authorization header; anonymous when there is none. */
  authenticate(header: string | undefined, adminUsers: readonly string[]): Principal {
    if (!header) return ANONYMOUS;
    const [scheme, value] = header.split(" ", 2);
    if (scheme?.toLowerCase() !== "basic" || !value) {
      if (scheme?.toLowerCase() === "bearer") throw new HttpError(401, "bearer tokens are not accepted by this server");
      throw new HttpError(400, "Invalid Authorization header");
    }
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw new HttpError(400, "Invalid Authorization header");
    const user = decoded.slice(0, colon);
    const given = Buffer.from(decoded.slice(colon + 1));
    const expected = this.passwords.get(user);
    if (expected === undefined || !sameBytes(given, Buffer.from(expected))) throw new HttpError(401);
    return { username: user, authenticated: true, isAdmin: adminUsers.includes(user), groups: [] };
  }
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

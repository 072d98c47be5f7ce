// What hsserve and the tools do with bad credentials, other users' domains and names that try to
// leave the storage root.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runTool } from "../helpers/cli.js";
import { type RunningServer, startHsserve } from "../helpers/hsserve.js";

let base: string;
let server: RunningServer;
const otherDomain = "/home/test_user2/private.h5";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const env = (user = "test_user1", password = "test") =>
  isolatedEnv({ HS_ENDPOINT: server.url, HS_USERNAME: user, HS_PASSWORD: password });

/** Every path under a directory, relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

beforeAll(async () => {
  // The root sits alone in its own directory, so anything written beside it would show.
  base = mkdtempSync(join(tmpdir(), "hsds-security-"));
  server = await startHsserve({ root: join(base, "root") });
  const made = await runTool("hstouch", [otherDomain], { env: env("test_user2") });
  expect(made.code).toBe(0);
});

afterAll(async () => {
  await server.stop();
  rmSync(base, { recursive: true, force: true });
});

describe("credentials", () => {
  it("answers 401 to a wrong password, and the tools say so", async () => {
    const response = await fetch(`${server.url}/?domain=/home/test_user1`, { headers: { authorization: basic("test_user1", "wrong") } });
    expect(response.status).toBe(401);
    const ls = await runTool("hsls", ["/home/test_user1/"], { env: env("test_user1", "wrong") });
    expect([ls.code, ls.stderr]).toEqual([1, "Username/Password missing or invalid\n"]);
    const info = await runTool("hsinfo", [], { env: env("test_user1", "wrong") });
    expect([info.code, info.stderr]).toEqual([1, "username/password not valid for username: test_user1\n"]);
    const touch = await runTool("hstouch", ["/home/test_user1/x.h5"], { env: env("test_user1", "wrong") });
    expect([touch.code, touch.stderr]).toEqual([1, "Authorization failure\n"]);
  });

  it("answers 403 for another user's domain, which stays untouched", async () => {
    const response = await fetch(`${server.url}/?domain=${otherDomain}`, { headers: { authorization: basic("test_user1", "test") } });
    expect(response.status).toBe(403);
    const ls = await runTool("hsls", [otherDomain], { env: env() });
    expect([ls.code, ls.stderr]).toEqual([1, `No permission to read domain: ${otherDomain}\n`]);
    const rm = await runTool("hsrm", [otherDomain], { env: env() });
    expect([rm.code, rm.stderr]).toEqual([1, `Not allowed: ${otherDomain}\n`]);
    expect((await runTool("hsls", [otherDomain], { env: env("test_user2") })).code).toBe(0);
  });
});

describe("names that try to leave the root", () => {
  const attempts = [
    "/home/test_user1/../../../escaped.h5",
    "/home/test_user1/%2e%2e/%2e%2e/%2e%2e/escaped.h5",
    "/home/test_user1/..%2f..%2f..%2fescaped.h5",
    "/home/test_user1/esc%00aped.h5",
    "../../escaped.h5",
  ];

  it("answers 400 and writes nothing outside the root", async () => {
    const before = tree(base);
    for (const domain of attempts) {
      for (const method of ["PUT", "GET", "DELETE"]) {
        const response = await fetch(`${server.url}/?domain=${domain}`, { method, headers: { authorization: basic("admin", "admin") } });
        expect([domain, method, response.status]).toEqual([domain, method, 400]);
      }
    }
    const bucket = await fetch(`${server.url}/?domain=/home/test_user1/x.h5&bucket=..`, { method: "PUT", headers: { authorization: basic("admin", "admin") } });
    expect(bucket.status).toBe(400);
    expect(readdirSync(base)).toEqual(["root"]);
    expect(tree(base)).toEqual(before);
    expect(tree(base).filter((p) => p.includes("escaped"))).toEqual([]);
  });

  it("makes the tools fail with the server's reason", async () => {
    const touch = await runTool("hstouch", ["/home/test_user1/../escaped.h5"], { env: env() });
    expect(touch.code).toBe(1);
    expect(touch.stderr).toContain("Invalid domain name");
    expect(tree(base).filter((p) => p.includes("escaped"))).toEqual([]);
  });
});

// An engine over a directory, served on an ephemeral 127.0.0.1 port, for tests.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import { Engine } from "../../src/engine/engine.js";
import { startHttpServer } from "../../src/engine/http-server.js";
import { DEFAULT_LIMITS } from "../../src/engine/local-engine.js";
import { PasswordFile } from "../../src/engine/password-file.js";
import { PosixBuckets } from "../../src/storage/posix-store.js";
import { PosixLinkedFiles } from "../../src/engine/linked-files.js";

/** The users of the golden captures (HSDS's passwd.default). */
export const GOLDEN_USERS = { test_user1: "test", test_user2: "test", admin: "admin" };

export interface TestServer {
  url: string;
  engine: Engine;
  close(): Promise<void>;
}

export async function serveDirectory(root: string, users: Record<string, string> = GOLDEN_USERS): Promise<TestServer> {
  const passwordPath = join(mkdtempSync(join(tmpdir(), "hsds-pw-")), "passwd.txt");
  writeFileSync(passwordPath, Object.entries(users).map(([u, p]) => `${u}:${p}`).join("\n"));
  const passwords = PasswordFile.load(passwordPath);
  const engine = new Engine({
    buckets: new PosixBuckets(root),
    defaultBucket: "hsdstest",
    adminUsers: ["admin"],
    defaultPublic: false,
    hrefBase: "",
    limits: DEFAULT_LIMITS,
    linkedFiles: new PosixLinkedFiles(root),
  });
  const started: { server: Server; url: string } = await startHttpServer(engine, {
    host: "127.0.0.1",
    port: 0,
    maxBodyBytes: DEFAULT_LIMITS.max_request_size,
    authenticate: (header) => passwords.authenticate(header, ["admin"]),
  });
  engine.settings.hrefBase = started.url;
  return {
    url: started.url,
    engine,
    close: async () => {
      started.server.closeAllConnections();
      await new Promise<void>((resolve) => started.server.close(() => resolve()));
      await engine.close();
    },
  };
}

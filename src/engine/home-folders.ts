// HSDS expects an admin to create /home/ and /home/<user>/ before users can store anything. The
// embedded engine and hsserve do it themselves for the users they know.
import type { HsRequest } from "../client/transport.js";
import type { Principal } from "./acl.js";
import type { Engine } from "./engine.js";

const SETUP: Principal = { username: "admin", authenticated: true, isAdmin: true, groups: [] };

async function ensureFolder(engine: Engine, path: string, owner: string): Promise<void> {
  const query = { domain: path };
  const found = await engine.handle({ method: "GET", path: "/", query, headers: {} } satisfies HsRequest, SETUP);
  if (found.status === 200) return;
  const body = new TextEncoder().encode(JSON.stringify({ folder: true, owner }));
  const made = await engine.handle({ method: "PUT", path: "/", query, headers: { "content-type": "application/json" }, body }, SETUP);
  if (made.status !== 201 && made.status !== 409) {
    throw new Error(`cannot create folder ${path}: ${new TextDecoder().decode(made.body)}`);
  }
}

export async function ensureHomeFolders(engine: Engine, users: readonly string[]): Promise<void> {
  await ensureFolder(engine, "/home", "admin");
  for (const user of users) await ensureFolder(engine, `/home/${user}`, user);
}

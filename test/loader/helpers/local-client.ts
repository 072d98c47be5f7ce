// A client on the embedded engine over a directory (a fresh one unless given), as the `local` endpoint runs it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HsdsClient } from "../../../src/client/hsds-client.js";
import { LocalTransport } from "../../../src/client/local-transport.js";
import { openLocalEngine } from "../../../src/engine/local-engine.js";

export const LOCAL_USER = "tester";

export async function localClient(dir = mkdtempSync(join(tmpdir(), "hsload-local-")), user = LOCAL_USER): Promise<{ client: HsdsClient; dir: string }> {
  const { engine, principal } = await openLocalEngine(dir, user);
  return { client: new HsdsClient(new LocalTransport("local", engine, principal)), dir };
}

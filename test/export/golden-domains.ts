// The golden HSDS store (written by a real HSDS 0.9.4), copied to a temporary directory and opened with
// the embedded engine, as test_user1, for hsget's tests. Never written in place.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HsdsClient } from "../../src/client/hsds-client.js";
import { LocalTransport } from "../../src/client/local-transport.js";
import { openLocalEngine } from "../../src/engine/local-engine.js";
import { CORPUS, GOLDEN } from "../helpers/paths.js";

export const GOLDEN_USER = "test_user1";
export const goldenDomain = (name: string) => `/home/test_user1/golden/${name}`;
/** The hdf5-json source file a golden domain was loaded from. */
export const sourceFile = (name: string) => join(CORPUS, "hdf5-json", "h5", name);

export function copyGoldenStore(): string {
  const root = mkdtempSync(join(tmpdir(), "hsget-store-"));
  cpSync(join(GOLDEN, "hsds-store"), root, { recursive: true });
  return root;
}

export async function localClient(root: string, user = GOLDEN_USER): Promise<HsdsClient> {
  const { engine, principal } = await openLocalEngine(root, user);
  return new HsdsClient(new LocalTransport("local", engine, principal));
}

// The golden HSDS store (written by a real HSDS 0.9.4), copied to a temporary directory and opened with
// the embedded engine, as test_user1, for hsget's and hsload -a's tests. Never written in place.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HsdsClient } from "../../src/client/hsds-client.js";
import { CORPUS, GOLDEN } from "../helpers/paths.js";
import { localClient } from "../loader/helpers/local-client.js";

export const GOLDEN_USER = "test_user1";
export const goldenDomain = (name: string) => `/home/test_user1/golden/${name}`;
/** The hdf5-json source file a golden domain was loaded from. */
export const sourceFile = (name: string) => join(CORPUS, "hdf5-json", "h5", name);

export function copyGoldenStore(): string {
  const root = mkdtempSync(join(tmpdir(), "hsget-store-"));
  cpSync(join(GOLDEN, "hsds-store"), root, { recursive: true });
  return root;
}

/** A client on a copy of the golden store, as the user its domains belong to. */
export async function goldenClient(root: string): Promise<HsdsClient> {
  return (await localClient(root, GOLDEN_USER)).client;
}

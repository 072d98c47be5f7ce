// Where the e2e tests point the CLI: the local engine (HS_ENDPOINT=local, or -e file://STORE) or hsserve on a
// loopback port, each with the flags and environment that name it, the home folder of its user, the directory
// its engine serves, and a client on that same store for checking what the tools wrote.
import { join } from "node:path";
import { HsdsClient } from "../../src/client/hsds-client.js";
import { HttpTransport } from "../../src/client/http-transport.js";
import { localClient } from "../loader/helpers/local-client.js";
import { isolatedEnv } from "./cli.js";
import { startHsserve } from "./hsserve.js";

export interface CliEndpoint {
  name: "local" | "hsserve";
  /** The directory the engine serves (HSDS's root_dir): buckets are directories under it. */
  store: string;
  env: Record<string, string>;
  args: string[];
  home: string;
  client(): Promise<HsdsClient>;
  stop(): Promise<void>;
}

/**
 * The local engine as `user`: with no `store`, the default endpoint (HS_ENDPOINT=local, its directory under the
 * test's XDG data home); with one, `-e file://STORE`.
 */
export async function localEndpoint(options: { store?: string; user?: string } = {}): Promise<CliEndpoint> {
  const user = options.user ?? "tester";
  const env = isolatedEnv({ HS_USERNAME: user, ...(options.store ? {} : { HS_ENDPOINT: "local" }) });
  const store = options.store ?? join(env.XDG_DATA_HOME!, "hsds-tools");
  let opened: HsdsClient | undefined;
  return {
    name: "local",
    store,
    env,
    args: options.store ? ["-e", `file://${store}`] : [],
    home: `/home/${user}`,
    // Opened when first asked for: the default store exists once a tool has run.
    client: async () => (opened ??= (await localClient(store, user)).client),
    stop: async () => opened?.close(),
  };
}

/** hsserve on a loopback port over `root` (a fresh directory unless given), used as test_user1. */
export async function hsserveEndpoint(options: { root?: string } = {}): Promise<CliEndpoint> {
  const server = await startHsserve({ root: options.root });
  const client = new HsdsClient(new HttpTransport({ endpoint: server.url, username: "test_user1", password: "test" }));
  return {
    name: "hsserve",
    store: server.root,
    env: isolatedEnv(),
    args: ["-e", server.url, "-u", "test_user1", "-p", "test"],
    home: "/home/test_user1",
    client: async () => client,
    stop: async () => {
      await client.close();
      await server.stop();
    },
  };
}

export const CLI_ENDPOINTS = [
  ["local", localEndpoint],
  ["hsserve", hsserveEndpoint],
] as const;

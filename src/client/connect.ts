// From a resolved configuration to a client: HTTP for http(s) endpoints, the embedded engine for
// local and file:// ones (loaded only then, so remote use does not pay for it).
import type { ResolvedConfig } from "../config/resolve-config.js";
import { HsdsClient } from "./hsds-client.js";
import { HttpTransport } from "./http-transport.js";
import { LocalTransport } from "./local-transport.js";
import type { Transport } from "./transport.js";

export interface ConnectOptions {
  /** HTTP retries (h5pyd: 3 for hsload, 10 for the browse tools). */
  retries?: number;
  /** Requests in flight to one server. */
  connections?: number;
  log?: (level: "debug" | "warning", message: string) => void;
}

export async function openTransport(config: ResolvedConfig, opts: ConnectOptions = {}): Promise<Transport> {
  const endpoint = config.endpoint;
  if (endpoint.kind === "http") {
    return new HttpTransport({
      endpoint: endpoint.url,
      username: config.username,
      password: config.password,
      apiKey: config.apiKey,
      retries: opts.retries,
      connections: opts.connections,
      log: opts.log,
    });
  }
  const { openLocalEngine } = await import("../engine/local-engine.js");
  const { engine, principal } = await openLocalEngine(endpoint.dir, config.username!);
  return new LocalTransport(endpoint.named, engine, principal);
}

export async function connect(config: ResolvedConfig, opts: ConnectOptions = {}): Promise<HsdsClient> {
  const transport = await openTransport(config, opts);
  return new HsdsClient(transport, { bucket: config.bucket, username: config.username });
}

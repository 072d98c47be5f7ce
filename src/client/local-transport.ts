// The embedded engine as a Transport: requests go straight to its handler, no socket. The caller
// is the OS user with full rights over the local store.
import type { Principal } from "../engine/acl.js";
import type { HsRequest, HsResponse, Transport } from "./transport.js";

export interface LocalEngine {
  handle(req: HsRequest, principal: Principal): Promise<HsResponse>;
  close(): Promise<void>;
}

export class LocalTransport implements Transport {
  constructor(
    readonly endpoint: string,
    private readonly engine: LocalEngine,
    private readonly principal: Principal,
  ) {}

  request(req: HsRequest): Promise<HsResponse> {
    return this.engine.handle(req, this.principal);
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

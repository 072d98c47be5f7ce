import type { HsResponse } from "../../client/transport.js";
import type { RequestContext } from "../context.js";
import { json, SERVER_NAME } from "../responses.js";
import { CHUNK_PUT_FEATURE } from "../../client/hsds-types.js";
import { HSDS_VERSION } from "./domains.js";

const startTime = Math.floor(Date.now() / 1000);

export function about(ctx: RequestContext): HsResponse {
  return json(200, {
    start_time: startTime,
    state: "READY",
    // h5pyd gates features on "0.9" (hyper-chunking, server-side broadcast): we speak 0.9.4's API.
    hsds_version: HSDS_VERSION,
    name: SERVER_NAME,
    greeting: "Welcome to HSDS!",
    about: "HSDS-compatible engine of hsds-tools",
    node_count: 1,
    dn_urls: [],
    dn_ids: [],
    username: ctx.principal.authenticated ? ctx.principal.username : "anonymous",
    isadmin: ctx.principal.isAdmin,
    // What this engine offers beyond HSDS's API; clients use it only when it is listed here.
    hsds_tools_features: [CHUNK_PUT_FEATURE],
  });
}

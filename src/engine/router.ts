// (method, path) -> handler: the only HTTP-shaped code of the engine besides the server.
import type { HsRequest, HsResponse } from "../client/transport.js";
import type { OpenDomain, RequestContext } from "./context.js";
import type { Permission } from "./documents.js";
import { badRequest, HttpError } from "./http-error.js";
import type { ObjectClass } from "./ids.js";

export type Handler = (ctx: RequestContext, params: string[]) => Promise<HsResponse> | HsResponse;
export type DomainHandler = (ctx: RequestContext, dom: OpenDomain, params: string[]) => Promise<HsResponse>;

interface Route {
  method: HsRequest["method"];
  pattern: string[];
  handler: Handler;
}

/**
 * Patterns are path segments; "*" captures one segment, "{cls}" captures a collection name
 * (groups|datasets|datatypes) so that attribute routes are written once for all three.
 */
export class Router {
  private readonly routes: Route[] = [];

  on(method: HsRequest["method"], path: string, handler: Handler): this {
    this.routes.push({ method, pattern: path.split("/").filter((s) => s !== ""), handler });
    return this;
  }

  /** A handler that needs the request's domain opened with a permission checked first. */
  onDomain(method: HsRequest["method"], path: string, perm: Permission, handler: DomainHandler): this {
    return this.on(method, path, async (ctx, params) => handler(ctx, await ctx.openDomain(perm), params));
  }

  route(req: HsRequest): { handler: Handler; params: string[] } {
    let segments: string[];
    try {
      segments = req.path.split("/").filter((s) => s !== "").map(decodeURIComponent);
    } catch {
      throw badRequest("Invalid path");
    }
    let pathMatched = false;
    for (const route of this.routes) {
      const params = match(route.pattern, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === req.method) return { handler: route.handler, params };
    }
    throw new HttpError(pathMatched ? 405 : 404, pathMatched ? "Method Not Allowed" : "Not Found");
  }
}

const COLLECTIONS: readonly string[] = ["groups", "datasets", "datatypes"] satisfies ObjectClass[];

function match(pattern: string[], segments: string[]): string[] | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = segments[i]!;
    if (p === "*") params.push(s);
    else if (p === "{cls}") {
      if (!COLLECTIONS.includes(s)) return undefined;
      params.push(s);
    } else if (p !== s) return undefined;
  }
  return params;
}

// /datatypes: committed (named) datatypes.
import type { HsResponse } from "../../client/transport.js";
import type { OpenDomain, RequestContext } from "../context.js";
import { json } from "../responses.js";
import { typeFromBody } from "./datasets.js";
import { createFromRequest } from "./new-object.js";
import { createdJson } from "./objects.js";

export async function createDatatype(ctx: RequestContext, dom: OpenDomain): Promise<HsResponse> {
  const body = ctx.body();
  const type = await typeFromBody(ctx, dom, body.type);
  const id = await createFromRequest(ctx, dom, "datatypes", body, { type });
  return json(201, createdJson(ctx, dom, "datatypes", await dom.meta.datatype(id)));
}

// /datatypes: committed (named) datatypes.
import type { HsResponse } from "../../client/transport.js";
import type { OpenDomain, RequestContext } from "../context.js";
import { Hrefs } from "../hrefs.js";
import { json } from "../responses.js";
import { typeFromBody } from "./datasets.js";
import { createFromRequest } from "./new-object.js";

export async function createDatatype(ctx: RequestContext, dom: OpenDomain): Promise<HsResponse> {
  const body = ctx.body();
  const type = await typeFromBody(ctx, dom, body.type);
  const id = await createFromRequest(ctx, dom, "datatypes", body, { type });
  const doc = await dom.meta.datatype(id);
  const hrefs = new Hrefs(ctx.settings.hrefBase, dom.name.path);
  return json(201, {
    id,
    root: dom.rootId,
    created: doc.created,
    lastModified: doc.lastModified,
    type: doc.type,
    attributeCount: 0,
    hrefs: hrefs.forObject("datatypes", id, dom.rootId),
  });
}

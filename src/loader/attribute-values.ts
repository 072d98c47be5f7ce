// A planned attribute as the JSON an attribute PUT carries: references rewritten to the copied objects, the
// value decoded to JSON, or sent as base64 when it has no JSON form (bytes that are not UTF-8 text).
import type { AttributeDefinition, TypeJson } from "../client/hsds-types.js";
import { isVariableLength } from "../model/datatype.js";
import { decodeValues, encodeBase64, ValueError } from "../model/values.js";
import type { PlannedAttribute } from "./load-plan.js";
import { type ReferenceResolver, rewriteReferences } from "./reference-rewrite.js";

/** A value that HSDS cannot hold: variable-length text that is not UTF-8. */
class AttributeValueError extends Error {
  override name = "AttributeValueError";
}

export function attributeDefinition(attribute: PlannedAttribute, type: TypeJson, resolve: ReferenceResolver): AttributeDefinition {
  const definition: AttributeDefinition = { type, shape: attribute.shape };
  if (!attribute.value || attribute.shape === "H5S_NULL") return definition;
  const t = attribute.type.type;
  const count = attribute.shape.reduce((a, b) => a * b, 1);
  const bytes = rewriteReferences(attribute.value.slice(), t, count, resolve);
  try {
    definition.value = decodeValues(bytes, t, attribute.shape);
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    if (isVariableLength(t)) throw new AttributeValueError(`attribute ${attribute.name} has no JSON form: ${err.message}`);
    definition.value = encodeBase64(bytes);
    definition.encoding = "base64";
  }
  return definition;
}

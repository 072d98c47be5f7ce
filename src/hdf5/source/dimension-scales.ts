// Dimension scales as the HDF5 Dimension Scales convention stores them in attributes: a scale has
// CLASS = "DIMENSION_SCALE" and an optional NAME; a dataset's DIMENSION_LIST holds, per dimension, references
// to the scales attached to it. The attributes themselves are copied like any other; this only reads them.
import { decodeValues } from "../../model/values.js";
import { type ObjectKey, type SourceAttribute, isMapped, parseSourceReference } from "./source-tree.js";

export interface ScaleInfo {
  scales?: ObjectKey[][];
  scaleName?: string;
}

export function dimensionScaleInfo(attributes: readonly SourceAttribute[]): ScaleInfo {
  const info: ScaleInfo = {};
  const byName = new Map(attributes.map((a) => [a.name, a]));
  if (valueOf(byName.get("CLASS")) === "DIMENSION_SCALE") {
    const name = valueOf(byName.get("NAME"));
    info.scaleName = typeof name === "string" ? name : "";
  }
  const list = valueOf(byName.get("DIMENSION_LIST"));
  if (Array.isArray(list)) {
    info.scales = list.map((refs) =>
      (Array.isArray(refs) ? refs : []).flatMap((ref) => {
        const key = typeof ref === "string" ? parseSourceReference(ref) : undefined;
        return key === undefined ? [] : [key];
      }),
    );
  }
  return info;
}

function valueOf(attribute: SourceAttribute | undefined): unknown {
  if (!attribute?.value || !isMapped(attribute.type) || attribute.shape === null) return undefined;
  try {
    return decodeValues(attribute.value, attribute.type.type, attribute.shape);
  } catch {
    return undefined; // not text: not the convention's attribute
  }
}

// Attribute values of an aggregated domain that depend on its structure (pure). A dataset that gains a
// leading dimension keeps its dimension scales on the dimensions they were on: its DIMENSION_LIST gets an
// empty entry in front, and a scale's REFERENCE_LIST entry for it names the dimension one further on. When a
// concatenation replaces a dataset by a new one, references to the old one become references to the new one.
import type { AttributeDefinition, ShapeSpec } from "../client/hsds-types.js";

export const DIMENSION_LIST = "DIMENSION_LIST";
export const REFERENCE_LIST = "REFERENCE_LIST";
const DATASETS = "datasets/";

/**
 * The definition with the structure changes applied: `stacked` tells whether a dataset ("datasets/<id>") gains
 * a leading dimension; `ownerStacked` whether the attribute's own object does. Returns the same object when
 * nothing changes.
 */
export function adjustForStacking(
  name: string,
  definition: AttributeDefinition,
  ownerStacked: boolean,
  stacked: (reference: string) => boolean,
): AttributeDefinition {
  if (name === DIMENSION_LIST && ownerStacked && Array.isArray(definition.value)) {
    return { ...definition, shape: grownShape(definition.shape), value: [[], ...definition.value] };
  }
  if (name === REFERENCE_LIST && Array.isArray(definition.value)) {
    let changed = false;
    const value = definition.value.map((entry: unknown) => {
      if (!Array.isArray(entry) || typeof entry[0] !== "string" || typeof entry[1] !== "number" || !stacked(entry[0])) return entry;
      changed = true;
      return [entry[0], entry[1] + 1];
    });
    return changed ? { ...definition, value } : definition;
  }
  return definition;
}

/** The definition with references to replaced datasets (old id → new id) turned into references to their successors. */
export function replaceReferences(definition: AttributeDefinition, replaced: ReadonlyMap<string, string>): AttributeDefinition {
  let changed = false;
  const visit = (value: unknown): unknown => {
    if (typeof value === "string" && value.startsWith(DATASETS)) {
      const successor = replaced.get(value.slice(DATASETS.length));
      if (successor === undefined) return value;
      changed = true;
      return `${DATASETS}${successor}`;
    }
    return Array.isArray(value) ? value.map(visit) : value;
  };
  const value = visit(definition.value);
  return changed ? { ...definition, value } : definition;
}

/** Whether an attribute value mentions one of the datasets. */
export function mentionsAny(value: unknown, ids: ReadonlySet<string>): boolean {
  if (typeof value === "string") return value.startsWith(DATASETS) && ids.has(value.slice(DATASETS.length));
  return Array.isArray(value) && value.some((v) => mentionsAny(v, ids));
}

function grownShape(shape: ShapeSpec | undefined): ShapeSpec | undefined {
  if (Array.isArray(shape) && shape.length === 1) return [shape[0]! + 1];
  if (typeof shape === "number") return shape + 1;
  if (shape && typeof shape === "object" && !Array.isArray(shape) && shape.dims?.length === 1) {
    const dims = [shape.dims[0]! + 1];
    return shape.maxdims ? { ...shape, dims, maxdims: dims } : { ...shape, dims };
  }
  return shape;
}

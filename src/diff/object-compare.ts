// One paired object compared without its dataset values (pure): type (and the committed datatype it uses),
// shape and maxshape, attributes (names, types, shapes, values with references compared by the object they
// point to). Also says whether a dataset's values can then be compared: same type and shape, readable in the file.
import type { ShapeJson, TypeJson } from "../client/hsds-types.js";
import type { AttributeSnapshot } from "../export/domain-snapshot.js";
import { isMapped, type ObjectKey, type SourceAttribute, type SourceType } from "../hdf5/source/source-tree.js";
import { type ReferenceResolver, rewriteReferences } from "../loader/reference-rewrite.js";
import { type HsdsType, normalizeType, product, TypeJsonError } from "../model/datatype.js";
import { unravel } from "../model/shape.js";
import { decodeBase64, encodeValues, ValueError } from "../model/values.js";
import { attributePath, type Difference } from "./difference.js";
import { elementComparer } from "./element-compare.js";
import { elementText } from "./element-text.js";
import type { ObjectPair } from "./pairing.js";
import { typeText } from "./type-text.js";

/** What the pairing knows that comparisons need: which domain object stands for which file object, and paths. */
export interface PairContext {
  domainIds: ReadonlyMap<ObjectKey, string>;
  /** The path of a paired domain object, by id. */
  paths: ReadonlyMap<string, string>;
  /** A file reference placeholder as the reference text the domain should hold ("datasets/d-…", "" for none). */
  resolve: ReferenceResolver;
}

export interface CompareOptions {
  attributes: boolean;
  values: boolean;
}

export interface ObjectComparison {
  differences: Difference[];
  /** Attributes compared (present in both). */
  attributes: number;
  /** Set when the dataset's values are to be compared: the type and shape both sides share. */
  values?: { type: HsdsType; shape: number[] };
}

export function compareObject(pair: ObjectPair, ctx: PairContext, options: CompareOptions): ObjectComparison {
  const differences: Difference[] = [];
  const result: ObjectComparison = { differences, attributes: 0 };
  const { file, domain, path } = pair;
  if (file.kind === "datatype" && domain.kind === "datatype") {
    compareType(path, file.type, domain.type, ctx, differences);
  } else if (file.kind === "dataset" && domain.kind === "dataset") {
    const type = compareType(path, file.type, domain.type, ctx, differences);
    const shape = file.shape;
    const sameShape = compareShape(path, shape, domain.shape, differences);
    if (sameShape && shape !== null && shape.length > 0) compareMaxShape(path, file.maxShape ?? shape, domain.shape, differences);
    if (options.values && type && sameShape && shape !== null && product(shape) > 0) {
      if (file.unreadable) differences.push({ path, kind: "not-comparable", file: `its values cannot be read: ${file.unreadable}` });
      else result.values = { type, shape };
    }
  }
  if (options.attributes) result.attributes = compareAttributes(path, file.attributes, domain.attributes, ctx, differences);
  return result;
}

/** The type both sides share (the file's), or undefined after reporting how they differ. */
function compareType(path: string, fileType: SourceType, domainJson: TypeJson, ctx: PairContext, out: Difference[]): HsdsType | undefined {
  if (!isMapped(fileType)) {
    out.push({ path, kind: "not-comparable", file: `its type cannot be held by HSDS: ${fileType.unsupported}` });
    return undefined;
  }
  const expected = typeText(fileType.type);
  let domainType: HsdsType;
  try {
    domainType = normalizeType(domainJson);
  } catch (err) {
    if (!(err instanceof TypeJsonError)) throw err;
    out.push({ path, kind: "type", file: expected, domain: `a type HSDS does not accept (${err.message})` });
    return undefined;
  }
  const actual = typeText(domainType);
  if (actual !== expected) {
    out.push({ path, kind: "type", file: expected, domain: actual });
    return undefined;
  }
  const expectedId = fileType.committed === undefined ? undefined : ctx.domainIds.get(fileType.committed);
  // A committed datatype the walk did not pair has a line of its own (its link); its users need none.
  if (fileType.committed !== undefined && expectedId === undefined) return fileType.type;
  if (domainType.id !== expectedId) {
    const describe = (id: string | undefined) => (id === undefined ? "an inline type" : `the datatype at ${ctx.paths.get(id) ?? id}`);
    out.push({ path, kind: "committed-type", file: describe(expectedId), domain: describe(domainType.id) });
  }
  return fileType.type;
}

function dimsOf(shape: ShapeJson): number[] | null {
  if (shape.class === "H5S_NULL") return null;
  return shape.class === "H5S_SCALAR" ? [] : (shape.dims ?? []);
}

function shapeText(shape: readonly number[] | null): string {
  if (shape === null) return "null dataspace";
  return shape.length === 0 ? "scalar" : `[${shape.join(", ")}]`;
}

function compareShape(path: string, shape: number[] | null, domainShape: ShapeJson, out: Difference[]): boolean {
  const expected = shapeText(shape);
  const actual = shapeText(dimsOf(domainShape));
  if (expected === actual) return true;
  out.push({ path, kind: "shape", file: expected, domain: actual });
  return false;
}

/** Unlimited is null in the file, 0 (or, in old documents, "H5S_UNLIMITED") in HSDS maxdims; no maxdims: fixed. */
function compareMaxShape(path: string, maxShape: readonly (number | null)[], domainShape: ShapeJson, out: Difference[]): void {
  const text = (extents: readonly unknown[]) => `[${extents.join(", ")}]`;
  const expected = text(maxShape.map((e) => e ?? "unlimited"));
  const maxdims: readonly unknown[] | undefined = domainShape.maxdims;
  const actual = text(maxdims?.map((e) => (e === 0 || e === "H5S_UNLIMITED" ? "unlimited" : e)) ?? domainShape.dims ?? []);
  if (expected !== actual) out.push({ path, kind: "maxshape", file: expected, domain: actual });
}

function compareAttributes(
  objectPath: string,
  fileAttributes: readonly SourceAttribute[],
  domainAttributes: readonly AttributeSnapshot[],
  ctx: PairContext,
  out: Difference[],
): number {
  const unmatched = new Map(domainAttributes.map((a) => [a.name, a]));
  let compared = 0;
  for (const attribute of fileAttributes) {
    const path = attributePath(objectPath, attribute.name);
    const other = unmatched.get(attribute.name);
    unmatched.delete(attribute.name);
    if (!other) {
      out.push({ path, kind: "only-in-file", file: "attribute" });
      continue;
    }
    compared++;
    const type = compareType(path, attribute.type, other.type, ctx, out);
    if (!type || !compareShape(path, attribute.shape, other.shape, out)) continue;
    if (attribute.shape !== null && attribute.value) compareAttributeValue(path, attribute.value, type, attribute.shape, other, ctx, out);
  }
  for (const other of unmatched.values()) out.push({ path: attributePath(objectPath, other.name), kind: "only-in-domain", domain: "attribute" });
  return compared;
}

function compareAttributeValue(
  path: string,
  value: Uint8Array,
  type: HsdsType,
  shape: number[],
  other: AttributeSnapshot,
  ctx: PairContext,
  out: Difference[],
): void {
  const count = product(shape);
  const expected = rewriteReferences(value.slice(), type, count, ctx.resolve);
  let actual: Uint8Array;
  try {
    actual = other.encoding === "base64" ? decodeBase64(String(other.value)) : encodeValues(other.value, type, shape);
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    out.push({ path, kind: "values", file: "values of the type", domain: `a value that is not of the type (${err.message})` });
    return;
  }
  const index = elementComparer(type)(expected, actual, count);
  if (index < 0) return;
  const pathOf = (id: string) => ctx.paths.get(id);
  out.push({
    path,
    kind: "values",
    at: unravel(index, shape),
    file: elementText(expected, type, count, index, pathOf),
    domain: elementText(actual, type, count, index, pathOf),
  });
}

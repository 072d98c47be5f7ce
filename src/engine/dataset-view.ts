// A dataset document read for value I/O: parsed type, extents, chunk grid, fill value, filters.
import type { HsdsFilter } from "../codecs/filters.js";
import { isVariableLength, itemSize, normalizeType, product, type HsdsType } from "../model/datatype.js";
import { fillValueBytes, type FillValueProperties } from "../model/values.js";
import type { DatasetDoc, LayoutJson } from "./documents.js";
import { HttpError } from "./http-error.js";
import { dimsOf, maxdimsOf } from "./shape.js";

export interface DatasetView {
  id: string;
  doc: DatasetDoc;
  type: HsdsType;
  isNull: boolean;
  isScalar: boolean;
  /** Extents for selections and chunking; a scalar is stored as rank 1 with one element. */
  dims: number[];
  maxdims: number[] | undefined;
  chunkDims: number[];
  chunkElements: number;
  /** Bytes per element, or undefined for variable-length types. */
  itemSize: number | undefined;
  /** One element of fill value; undefined = zero bytes (or empty elements for variable-length types). */
  fill: Uint8Array | undefined;
  filters: HsdsFilter[];
  partitionCount: number;
  /** The reference layout (creationProperties first, as HSDS reads it) when the data lives in HDF5 files. */
  linkedLayout: LayoutJson | undefined;
}

const LINKED_CLASSES = new Set(["H5D_CONTIGUOUS_REF", "H5D_CHUNKED_REF", "H5D_CHUNKED_REF_INDIRECT"]);

export function datasetView(doc: DatasetDoc): DatasetView {
  const type = normalizeType(doc.type);
  const isNull = doc.shape.class === "H5S_NULL";
  const isScalar = doc.shape.class === "H5S_SCALAR";
  const dims = isScalar ? [1] : dimsOf(doc.shape);
  const layout = doc.layout ?? doc.creationProperties?.layout;
  const chunkDims = isScalar ? [1] : (layout?.dims ?? dims.map((d) => Math.max(d, 1)));
  if (!isNull && chunkDims.length !== dims.length) throw new HttpError(500, `dataset ${doc.id} has a layout of the wrong rank`);
  const size = itemSize(type);
  const cpLayout = doc.creationProperties?.layout;
  const linkedLayout = [cpLayout, doc.layout].find((l) => l !== undefined && LINKED_CLASSES.has(l.class));
  return {
    id: doc.id,
    doc,
    type,
    isNull,
    isScalar,
    dims,
    maxdims: maxdimsOf(doc.shape),
    chunkDims,
    chunkElements: product(chunkDims),
    itemSize: isVariableLength(type) ? undefined : (size as number),
    fill: fillValueBytes(type, doc.creationProperties as FillValueProperties | undefined),
    filters: (doc.creationProperties?.filters ?? []) as HsdsFilter[],
    partitionCount: layout?.partition_count ?? 0,
    linkedLayout,
  };
}

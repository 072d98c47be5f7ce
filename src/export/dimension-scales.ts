// Dimension scales as HSDS keeps them — ordinary attributes (CLASS, NAME, REFERENCE_LIST on the scale,
// DIMENSION_LIST on the dataset) whose references are "datasets/<id>" strings — turned back into
// H5DSset_scale / H5DSattach_scale calls, so HDF5 and h5py see real scales attached to the same
// dimensions. The HSDS attributes those calls recreate are not copied as attributes. Written by hand:
// it follows the HDF5 Dimension Scale specification's attribute conventions.

import type { AttributeSnapshot } from "./domain-snapshot.js";

export interface ScaleDataset {
  id: string;
  path: string;
  rank: number;
  attributes: readonly AttributeSnapshot[];
}

export interface ScaleSetup {
  /** Datasets to make scales, with the name to give (undefined: no NAME attribute). */
  scales: Array<{ path: string; name?: string }>;
  attachments: Array<{ path: string; dim: number; scale: string }>;
  /** "path\0name" of attributes the scale calls recreate, which must not be copied. */
  recreated: Set<string>;
  /** What could not be kept, by HDF5 path. */
  changes: Array<{ path: string; change: string }>;
}

export const attributeKey = (path: string, name: string) => `${path}\0${name}`;

export function planDimensionScales(datasets: readonly ScaleDataset[]): ScaleSetup {
  const byId = new Map(datasets.map((d) => [d.id, d]));
  const isScale = new Set(datasets.filter((d) => stringValue(find(d, "CLASS")) === "DIMENSION_SCALE").map((d) => d.id));
  const setup: ScaleSetup = { scales: [], attachments: [], recreated: new Set(), changes: [] };
  const attachedScales = new Set<string>();

  for (const d of datasets) {
    const list = find(d, "DIMENSION_LIST");
    if (list === undefined || !Array.isArray(list.value)) continue;
    if (isScale.has(d.id)) {
      // H5DSattach_scale refuses a dimension scale as the target dataset.
      setup.changes.push({ path: d.path, change: "dimension scales attached to this dimension scale are not kept (HDF5 does not allow it)" });
      continue;
    }
    setup.recreated.add(attributeKey(d.path, "DIMENSION_LIST"));
    list.value.forEach((entry, dim) => {
      for (const ref of Array.isArray(entry) ? entry : [entry]) {
        if (typeof ref !== "string" || ref === "") continue;
        const scale = byId.get(ref.slice(ref.lastIndexOf("/") + 1));
        if (dim >= d.rank || scale === undefined || scale.id === d.id) {
          setup.changes.push({ path: d.path, change: `dimension scale ${ref} of dimension ${dim} is not in the file; not attached` });
          continue;
        }
        if (!isScale.has(scale.id) && !attachedScales.has(scale.id)) {
          setup.changes.push({ path: scale.path, change: "attached to a dimension without CLASS=DIMENSION_SCALE; made a dimension scale" });
        }
        if (find(scale, "DIMENSION_LIST") !== undefined && !isScale.has(scale.id)) {
          setup.changes.push({ path: d.path, change: `${scale.path} has dimension scales itself and cannot be attached` });
          continue;
        }
        attachedScales.add(scale.id);
        setup.attachments.push({ path: d.path, dim, scale: scale.path });
      }
    });
  }

  setup.attachments = inReferenceListOrder(setup.attachments, datasets);

  for (const d of datasets) {
    if (!isScale.has(d.id) && !attachedScales.has(d.id)) continue;
    const name = stringValue(find(d, "NAME"));
    setup.scales.push(name === undefined ? { path: d.path } : { path: d.path, name });
    for (const attr of ["CLASS", "REFERENCE_LIST", ...(name === undefined ? [] : ["NAME"])]) {
      if (find(d, attr) !== undefined) setup.recreated.add(attributeKey(d.path, attr));
    }
  }
  return setup;
}

/**
 * Attachments grouped by scale, in the order of the scale's REFERENCE_LIST (the order they were first
 * attached in), so H5DSattach_scale rebuilds that list as it was. Scales come in the order the dataset
 * walk first met them, which keeps the order of several scales on one dimension.
 */
function inReferenceListOrder(attachments: ScaleSetup["attachments"], datasets: readonly ScaleDataset[]): ScaleSetup["attachments"] {
  const byPath = new Map(datasets.map((d) => [d.path, d]));
  const groups = new Map<string, ScaleSetup["attachments"]>();
  for (const a of attachments) groups.set(a.scale, [...(groups.get(a.scale) ?? []), a]);
  return [...groups.entries()].flatMap(([scalePath, group]) => {
    const referenceList = find(byPath.get(scalePath)!, "REFERENCE_LIST")?.value;
    const listed = Array.isArray(referenceList) ? referenceList : [];
    const position = (a: ScaleSetup["attachments"][number]) => {
      const id = byPath.get(a.path)!.id;
      const at = listed.findIndex(
        (entry) => Array.isArray(entry) && typeof entry[0] === "string" && entry[0].endsWith(id) && entry[1] === a.dim,
      );
      return at === -1 ? listed.length : at;
    };
    return group.map((a) => ({ a, at: position(a) })).sort((x, y) => x.at - y.at).map(({ a }) => a);
  });
}

function find(d: ScaleDataset, name: string): AttributeSnapshot | undefined {
  return d.attributes.find((a) => a.name === name);
}

/** The value of a scalar string attribute (HSDS JSON), else undefined. */
function stringValue(attr: AttributeSnapshot | undefined): string | undefined {
  if (attr === undefined || attr.shape.class !== "H5S_SCALAR" || typeof attr.value !== "string") return undefined;
  const type = attr.type;
  return typeof type === "object" && type.class === "H5T_STRING" ? attr.value : undefined;
}

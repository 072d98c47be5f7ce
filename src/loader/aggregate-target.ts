// What an aggregate load plans against: every path of the target domain (groups, datasets with their type,
// shape and creation properties, committed datatypes, soft and external links) and where each object is
// linked, read with one request per group and per dataset.
import type { DomainHandle } from "../client/hsds-client.js";
import type { CreationProperties, LayoutJson, TypeJson } from "../client/hsds-types.js";
import { type HsdsType, normalizeType } from "../model/datatype.js";
import { forEachLimited } from "./concurrency.js";

export interface TargetDataset {
  kind: "dataset";
  id: string;
  type: HsdsType;
  typeJson: TypeJson;
  /** [] scalar, null for H5S_NULL. */
  shape: number[] | null;
  /** 0 = unlimited; absent = not extensible. */
  maxdims?: number[];
  creationProperties?: CreationProperties;
  /** The server's chunk layout. */
  layout?: LayoutJson;
}

export type TargetEntry =
  | { kind: "group"; id: string }
  | { kind: "datatype"; id: string; type: HsdsType }
  | TargetDataset
  | { kind: "soft"; h5path: string }
  | { kind: "external"; h5path: string; h5domain: string };

/** A hard link: the group it is in and its name. */
export interface LinkLocation {
  group: string;
  title: string;
}

export interface TargetState {
  rootId: string;
  /** By absolute path; "/" is the root group. An object linked twice appears under both paths. */
  entries: Map<string, TargetEntry>;
  /** Where each object is linked, by object id. */
  linksTo: Map<string, LinkLocation[]>;
}

export function emptyTarget(rootId = ""): TargetState {
  return { rootId, entries: new Map([["/", { kind: "group", id: rootId }]]), linksTo: new Map() };
}

export function joinPath(group: string, name: string): string {
  return group === "/" ? `/${name}` : `${group}/${name}`;
}

/** Every object of the target, once. */
export function objectIds(state: TargetState): string[] {
  const ids = new Set<string>();
  for (const entry of state.entries.values()) if ("id" in entry && entry.id !== "") ids.add(entry.id);
  return [...ids];
}

export async function readTarget(domain: DomainHandle, rootId: string, parallel: number): Promise<TargetState> {
  const state = emptyTarget(rootId);
  const datasets = new Map<string, string[]>();
  const datatypes = new Map<string, string[]>();
  const visited = new Set<string>([rootId]);
  let level: { id: string; path: string }[] = [{ id: rootId, path: "/" }];
  while (level.length > 0) {
    const next: { id: string; path: string }[] = [];
    await forEachLimited(level, parallel, async ({ id, path }) => {
      const group = await domain.getGroup(id, { includeLinks: true });
      for (const [title, link] of Object.entries(group.links ?? {})) {
        const at = joinPath(path, title);
        if (link.class === "H5L_TYPE_SOFT") {
          state.entries.set(at, { kind: "soft", h5path: link.h5path! });
        } else if (link.class === "H5L_TYPE_EXTERNAL") {
          state.entries.set(at, { kind: "external", h5path: link.h5path!, h5domain: link.h5domain! });
        } else {
          const target = link.id!;
          const locations = state.linksTo.get(target) ?? [];
          locations.push({ group: id, title });
          state.linksTo.set(target, locations);
          if (target.startsWith("g-")) {
            state.entries.set(at, { kind: "group", id: target });
            if (!visited.has(target)) {
              visited.add(target);
              next.push({ id: target, path: at });
            }
          } else {
            const byId = target.startsWith("d-") ? datasets : datatypes;
            byId.set(target, [...(byId.get(target) ?? []), at]);
          }
        }
      }
    });
    level = next;
  }
  await forEachLimited(datasets, parallel, async ([id, paths]) => {
    const info = await domain.getDataset(id);
    const entry: TargetDataset = {
      kind: "dataset",
      id,
      type: normalizeType(info.type),
      typeJson: info.type,
      shape: info.shape.class === "H5S_NULL" ? null : info.shape.class === "H5S_SCALAR" ? [] : (info.shape.dims ?? []),
      maxdims: info.shape.maxdims,
      creationProperties: info.creationProperties,
      layout: info.layout,
    };
    for (const path of paths) state.entries.set(path, entry);
  });
  await forEachLimited(datatypes, parallel, async ([id, paths]) => {
    const info = await domain.getDatatype(id);
    for (const path of paths) state.entries.set(path, { kind: "datatype", id, type: normalizeType(info.type) });
  });
  return state;
}

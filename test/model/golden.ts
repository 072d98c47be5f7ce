// Readers for the golden data under ../shared/golden (read in place, never copied).
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parseJson } from "../../src/model/json.js";
import { GOLDEN } from "../helpers/paths.js";

export const STORE_DB = join(GOLDEN, "hsds-store", "hsdstest", "db");
export const REST = join(GOLDEN, "rest");

export interface StoredObject {
  /** path relative to STORE_DB */
  path: string;
  json: Record<string, any>;
}

function readJson(path: string): any {
  return parseJson(readFileSync(path, "utf8"));
}

/** Every .dataset.json (kind "d") or .group.json (kind "g" plus the root group) in the golden store. */
export function storedObjects(kind: "dataset" | "group"): StoredObject[] {
  const out: StoredObject[] = [];
  for (const domain of readdirSync(STORE_DB).sort()) {
    const root = join(STORE_DB, domain);
    if (kind === "group" && existsSync(join(root, ".group.json"))) {
      out.push({ path: `${domain}/.group.json`, json: readJson(join(root, ".group.json")) });
    }
    const sub = join(root, kind === "dataset" ? "d" : "g");
    if (!existsSync(sub)) continue;
    for (const id of readdirSync(sub).sort()) {
      const file = join(sub, id, `.${kind}.json`);
      if (existsSync(file)) out.push({ path: `${domain}/${kind[0]}/${id}/.${kind}.json`, json: readJson(file) });
    }
  }
  return out;
}

/** The stored JSON and directory of a dataset given its id ("d-<16 hex>-<rest>"). */
export function storedDataset(id: string): { json: Record<string, any>; dir: string } {
  const hex = id.slice(2);
  const dir = join(STORE_DB, hex.slice(0, 17), "d", hex.slice(18));
  return { json: readJson(join(dir, ".dataset.json")), dir };
}

export function restJson(rel: string): any {
  return readJson(join(REST, rel));
}

export function restBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(REST, rel)));
}

/** Shape JSON -> dims, with [] for scalar (null for a null dataspace). */
export function shapeDims(shape: { class: string; dims?: number[] }): number[] | null {
  if (shape.class === "H5S_NULL") return null;
  if (shape.class === "H5S_SCALAR") return [];
  return shape.dims!;
}

// Shared by the hsload -a tests: where the CLI writes (a copy of the golden store, served by the local engine
// or by hsserve, so results sit beside the domains the real HSDS wrote), seed paths, files made for a test, and
// a domain-by-domain comparison that names every difference.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import type { DomainHandle } from "../../src/client/hsds-client.js";
import { normalizeType } from "../../src/model/datatype.js";
import { isInternalAttribute, LOCK_ATTRIBUTE } from "../../src/loader/internal-attributes.js";
import { Ledger } from "../../src/loader/ledger.js";
import type { SourceRecord } from "../../src/loader/ledger-records.js";
import { runTool, toolPath, type CliResult } from "../helpers/cli.js";
import { type CliEndpoint, hsserveEndpoint, localEndpoint } from "../helpers/endpoints.js";
import { CORPUS } from "../helpers/paths.js";
import { copyGoldenStore, GOLDEN_USER } from "../export/golden-domains.js";

export const SEEDS = join(CORPUS, "seeds");
export const seed = (set: string, file: string) => join(SEEDS, set, file);
export const SPLICE = ["g1.h5", "g2.h5", "g3.h5"].map((f) => seed("splice", f));
export const CONCAT = ["file1.h5", "file2.h5", "file3.h5"].map((f) => seed("concat", f));
export const IMERG = ["0000", "0030", "0100", "0130"].map((t) => seed("imerg", `imerg_${t}.h5`));
export const NCEP3 = ["01", "02", "03", "04", "05"].map((d) => seed("ncep3", `GSSTF_NCEP.3.1987.07.${d}.he5`));
export const HOME = "/home/test_user1";
export const golden = (name: string) => `${HOME}/golden/${name}`;

/** Where hsload writes: a copy of the golden store, served by the local engine or by hsserve. */
export type Target = CliEndpoint;

/** The local engine on a copy of the golden store (-e file://), as test_user1. */
export const localTarget = () => localEndpoint({ store: copyGoldenStore(), user: GOLDEN_USER });

/** hsserve on a copy of the golden store. */
export const hsserveTarget = () => hsserveEndpoint({ root: copyGoldenStore() });

export const TARGETS = [
  ["local", localTarget],
  ["hsserve", hsserveTarget],
] as const;

export function tool(target: Target, name: string, args: string[], timeoutMs = 120_000): Promise<CliResult> {
  return runTool(name, [...target.args, ...args], { env: target.env, timeoutMs });
}

/** Whether the domain's lock is held, i.e. a run is writing. */
export async function domainLocked(target: Target, domain: string): Promise<boolean> {
  const handle = (await target.client()).domain(domain);
  const info = await handle.getIfExists();
  return info !== undefined && (await handle.getGroup(info.root!, { includeAttrs: true })).attributes?.[LOCK_ATTRIBUTE] !== undefined;
}

/**
 * hsload with `args` (ending with the domain) as a child process; with `killAfter`, SIGKILL that many ms after it
 * starts writing (takes the lock). Resolves with how long it wrote and whether it was killed.
 */
export function watchedLoad(target: Target, args: string[], killAfter?: number): Promise<{ writingMs: number; killed: boolean }> {
  const domain = args.at(-1)!;
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [toolPath("hsload"), ...target.args, ...args], { env: target.env, stdio: "ignore" });
    let lockedAt: number | undefined;
    let exited = false;
    child.once("exit", (code, signal) => {
      exited = true;
      if (killAfter === undefined && code !== 0) reject(new Error(`hsload exited with ${code ?? signal}`));
      resolve({ writingMs: lockedAt === undefined ? 0 : performance.now() - lockedAt, killed: signal === "SIGKILL" });
    });
    void (async () => {
      while (!exited && lockedAt === undefined) {
        if (await domainLocked(target, domain)) lockedAt = performance.now();
        else await new Promise((r) => setTimeout(r, 5));
      }
      if (killAfter !== undefined && !exited) setTimeout(() => child.kill("SIGKILL"), killAfter);
    })();
  });
}

/**
 * Runs hsload with `args` `times` times in a row, each SIGKILLed at a random point of the `writingMs` a run writes
 * for; says when, for assertion messages.
 */
export async function killedAtRandom(target: Target, args: string[], writingMs: number, times: number): Promise<string> {
  const kills: string[] = [];
  for (let k = 0; k < times; k++) {
    const ms = Math.round(Math.random() * writingMs);
    const { killed } = await watchedLoad(target, args, ms);
    kills.push(`${ms} ms${killed ? "" : " (finished first)"}`);
  }
  return `killed ${kills.join(", then ")} into writing (the reference run wrote for ${Math.round(writingMs)} ms)`;
}

/** The source records of a domain's ledger. */
export async function ledgerRecords(target: Target, domain: string): Promise<SourceRecord[]> {
  const handle = (await target.client()).domain(domain);
  const ledger = await Ledger.open(handle, (await handle.get()).root!);
  return (ledger?.records ?? []).map((r) => r.record).filter((r): r is SourceRecord => "name" in r);
}

// ---- comparing domains --------------------------------------------------------------------------

interface Walked {
  /** Object path → id, datasets and groups. */
  ids: Map<string, string>;
  paths: Map<string, string>;
  datasets: string[];
}

async function walk(domain: DomainHandle): Promise<Walked> {
  const ids = new Map<string, string>();
  const datasets: string[] = [];
  const visit = async (id: string, path: string) => {
    ids.set(path, id);
    const group = await domain.getGroup(id, { includeLinks: true });
    for (const [title, link] of Object.entries(group.links ?? {})) {
      const at = path === "/" ? `/${title}` : `${path}/${title}`;
      if (link.id?.startsWith("g-")) await visit(link.id, at);
      else if (link.id?.startsWith("d-")) {
        ids.set(at, link.id);
        datasets.push(at);
      }
    }
  };
  await visit((await domain.get()).root!, "/");
  return { ids, paths: new Map([...ids].map(([p, i]) => [i, p])), datasets: datasets.sort() };
}

/** References ("datasets/<id>") as the path of the object they name, so two domains compare. */
function byPath(value: unknown, paths: Map<string, string>): unknown {
  if (typeof value === "string" && /^(datasets|groups|datatypes)\/[dgt]-/.test(value)) return `<${paths.get(value.split("/")[1]!) ?? "unknown object"}>`;
  return Array.isArray(value) ? value.map((v) => byPath(v, paths)) : value;
}

export interface CompareOptions {
  /** Compare attribute values too (types may differ where h5pyd rewrote fixed-length strings). */
  attributes?: boolean;
}

/** Every difference between two domains' datasets: paths, shapes, maxdims, types, values; optionally attributes. */
export async function domainDifferences(ours: DomainHandle, theirs: DomainHandle, options: CompareOptions = {}): Promise<string[]> {
  const differences: string[] = [];
  const [a, b] = await Promise.all([walk(ours), walk(theirs)]);
  if (a.datasets.join("\n") !== b.datasets.join("\n")) differences.push(`datasets ${JSON.stringify(a.datasets)} vs ${JSON.stringify(b.datasets)}`);
  for (const path of b.datasets) {
    if (!a.ids.has(path)) continue;
    const [x, y] = await Promise.all([ours.getDataset(a.ids.get(path)!), theirs.getDataset(b.ids.get(path)!)]);
    const shape = (d: typeof x) => JSON.stringify([d.shape.class, d.shape.dims ?? null, d.shape.maxdims ?? d.shape.dims ?? null]);
    if (shape(x) !== shape(y)) differences.push(`${path}: shape ${shape(x)} vs ${shape(y)}`);
    const type = (t: unknown) => JSON.stringify(normalizeType(t), (k, v) => (k === "strPad" || k === "charSet" ? undefined : v));
    if (type(x.type) !== type(y.type)) differences.push(`${path}: type ${type(x.type)} vs ${type(y.type)}`);
    else if (shape(x) === shape(y)) {
      const [vx, vy] = await Promise.all([ours.readValue(x.id), theirs.readValue(y.id)]);
      if (Buffer.compare(Buffer.from(vx), Buffer.from(vy)) !== 0) differences.push(`${path}: values differ`);
    }
  }
  if (options.attributes) {
    for (const [path, id] of b.ids) {
      if (!a.ids.has(path)) continue;
      const list = async (domain: DomainHandle, objectId: string, paths: Map<string, string>) => {
        const out: Record<string, unknown> = {};
        for await (const attr of domain.listAttributes(objectId, { includeData: true })) if (!isInternalAttribute(attr.name)) out[attr.name] = byPath(attr.value, paths);
        return out;
      };
      const [ax, ay] = await Promise.all([list(ours, a.ids.get(path)!, a.paths), list(theirs, id, b.paths)]);
      if (JSON.stringify(ax, Object.keys(ax).sort()) !== JSON.stringify(ay, Object.keys(ay).sort())) {
        differences.push(`${path}: attributes ${JSON.stringify(ax).slice(0, 300)} vs ${JSON.stringify(ay).slice(0, 300)}`);
      }
    }
  }
  return differences;
}

// ---- files made for a test -----------------------------------------------------------------------

/** An HDF5 file with one int or float dataset at `path`, of `shape`, values start, start+1, ... */
export async function makeFile(file: string, path: string, shape: number[], options: { dtype?: "int32" | "float32" | "float64"; start?: number; chunks?: number[]; compression?: boolean } = {}): Promise<string> {
  await h5wasm.ready;
  const f = new h5wasm.File(file, "w");
  try {
    const count = shape.reduce((x, y) => x * y, 1);
    const start = options.start ?? 0;
    const type = options.dtype ?? "int32";
    const data = type === "int32" ? Int32Array.from({ length: count }, (_, i) => start + i) : type === "float32" ? Float32Array.from({ length: count }, (_, i) => start + (i % 4096) * 0.5) : Float64Array.from({ length: count }, (_, i) => start + i);
    // h5wasm takes struct-module type codes.
    const dtype = { int32: "<i", float32: "<f", float64: "<d" }[type];
    const slash = path.lastIndexOf("/");
    if (slash > 0) f.create_group(path.slice(0, slash));
    f.create_dataset({ name: path, data, shape, dtype, chunks: options.chunks ?? null, compression: options.compression ? "gzip" : undefined, compression_opts: options.compression ? 1 : undefined });
  } finally {
    f.close();
  }
  return file;
}

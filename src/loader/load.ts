// One source file into one domain, leaving the target complete or untouched: the copy goes into a temporary
// sibling domain, which on success is moved into place the way h5pyd's hsmv moves a domain (a new domain that
// shares its root group, then the temporary name deleted with keep_root); on failure it is deleted. An existing
// target is only replaced (--force) once the new copy is complete.
import { randomBytes } from "node:crypto";
import { HsdsError } from "../client/errors.js";
import type { DomainHandle, HsdsClient } from "../client/hsds-client.js";
import { Hdf5Source } from "../hdf5/source/hdf5-source.js";
import { StoredChunks } from "./chunk-passthrough.js";
import type { LoadPlan } from "./load-plan.js";
import { checkLinkedFileReadable } from "./link-run.js";
import { readLinkSource } from "./link-source.js";
import type { LinkOptions } from "./link-uri.js";
import { plan, type PlanOptions } from "./plan.js";
import { type LoadProgress, runPlan, type RunSummary } from "./run.js";

export interface LoadOptions extends Omit<PlanOptions, "compressors" | "maxChunkSize" | "link"> {
  /** --link: datasets reference the source's chunks instead of copying them. */
  link?: LinkOptions;
  parallel: number;
  /** Replace an existing target once the new copy is complete. */
  force?: boolean;
  /** Leave an existing target alone and report the source as skipped. */
  noClobber?: boolean;
  memoryBudget?: number;
  signal?: AbortSignal;
  /** Called once the plan is made, before anything is written. */
  onPlan?: (plan: LoadPlan) => void;
  onProgress?: (progress: LoadProgress) => void;
}

export type LoadOutcome =
  | { status: "loaded"; source: string; domain: string; plan: LoadPlan; summary: RunSummary; seconds: number; replaced: boolean }
  | { status: "skipped"; source: string; domain: string; reason: string };

/** A target that cannot be loaded into as asked (exists, is a folder, its folder is missing). */
export class TargetError extends Error {
  override name = "TargetError";
}

export async function loadFile(client: HsdsClient, file: string, target: string, options: LoadOptions): Promise<LoadOutcome> {
  const started = performance.now();
  const existing = await client.domain(target).getIfExists();
  if (existing?.class === "folder") throw new TargetError(`${target} is a folder; end the target with "/" to load into it`);
  if (existing && options.noClobber) return { status: "skipped", source: file, domain: target, reason: "the domain exists (--no-clobber)" };
  if (existing && !options.force) throw new TargetError(`domain exists: ${target} (--force replaces it)`);

  const source = await Hdf5Source.open(file);
  try {
    const tree = await source.tree();
    // Fails here, before anything is written, when the source holds what HSDS cannot (and --ignore is not given).
    const link = options.link ? await readLinkSource(file, tree, options.link) : undefined;
    const draft = plan(tree, { ...options, link });
    const temporary = client.domain(temporaryName(target));
    const info = await createTemporary(temporary, target, draft);
    try {
      const loadPlan = plan(tree, { ...options, link, compressors: info.compressors, maxChunkSize: info.limits?.max_chunk_size });
      options.onPlan?.(loadPlan);
      // Chunks are copied as stored where the engine takes them so (never with --link: nothing is copied then).
      const storedChunks = !link && (await client.takesEncodedChunks()) ? await StoredChunks.open(file, loadPlan.datasets) : undefined;
      let summary: RunSummary;
      try {
        summary = await runPlan(loadPlan, temporary, source, { ...options, storedChunks });
      } finally {
        await storedChunks?.close();
      }
      if (link) await checkLinkedFileReadable(temporary, loadPlan);
      await temporary.flush();
      await moveInto(client, temporary, target, existing !== undefined);
      return { status: "loaded", source: file, domain: target, plan: loadPlan, summary, seconds: (performance.now() - started) / 1000, replaced: existing !== undefined };
    } catch (err) {
      await discard(temporary, err);
      throw err;
    }
  } finally {
    await source.close();
  }
}

/** A hidden sibling of the target, unique to this run. */
function temporaryName(target: string): string {
  const slash = target.lastIndexOf("/");
  return `${target.slice(0, slash + 1)}.${target.slice(slash + 1)}.hsload-${randomBytes(4).toString("hex")}`;
}

async function createTemporary(temporary: DomainHandle, target: string, draft: LoadPlan) {
  try {
    return await temporary.create({ rootCreationProperties: draft.rootCreationProperties });
  } catch (err) {
    throw targetCreationError(err, target) ?? err;
  }
}

/** A failure to create a domain that is the target's (its folder is missing or not writable), said in its terms. */
export function targetCreationError(err: unknown, target: string): TargetError | undefined {
  if (!(err instanceof HsdsError)) return undefined;
  const folder = target.slice(0, target.lastIndexOf("/") + 1);
  if (err.status === 404) return new TargetError(`folder ${folder} not found for ${target} (hstouch ${folder} creates it)`);
  if (err.status === 403) return new TargetError(`no permission to create ${target} in ${folder}`);
  return undefined;
}

async function moveInto(client: HsdsClient, temporary: DomainHandle, target: string, replace: boolean): Promise<void> {
  const destination = client.domain(target);
  if (replace) await destination.delete();
  await destination.create({ linkedDomain: temporary.path });
  await temporary.delete({ keepRoot: true });
}

/** Delete the temporary domain after a failure; if even that fails, the error says what is left behind. */
async function discard(temporary: DomainHandle, cause: unknown): Promise<void> {
  try {
    await temporary.delete();
  } catch {
    if (cause instanceof Error) cause.message += ` (the unfinished copy ${temporary.path} could not be removed)`;
  }
}

// hsget's work: a domain into a new HDF5 file. The file is written under a temporary name beside the
// target and renamed into place at the end, so a failure (or an abort) never leaves a partial file.
// Values stream in chunk-aligned blocks, a few reads in flight while the writer thread writes.

import { randomBytes } from "node:crypto";
import { accessSync, constants, existsSync, linkSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { DomainHandle } from "../client/hsds-client.js";
import { selectionToString } from "../model/selection.js";
import { blockSelection, blocksOf } from "./blocks.js";
import { snapshotDomain } from "./domain-snapshot.js";
import { conversionPlan } from "./element-conversion.js";
import { type DatasetPlan, type ExportPlan, planExport } from "./export-plan.js";
import type { FileWriter } from "./file-writer.js";
import { startWorkerWriter } from "./worker-writer.js";
import { isAllZero } from "../model/bytes.js";

export class ExportError extends Error {
  override name = "ExportError";
}

export interface ExportTotals {
  /** Blocks of values to copy (progress runs over these). */
  blocks: number;
}

export interface ExportProgress {
  blocks: number;
  /** HSDS value bytes read so far. */
  bytes: number;
}

export interface ExportOptions {
  /** Structure and attributes only (h5pyd's --nodata). */
  nodata?: boolean;
  /** Fail if the target exists (h5pyd's -n). */
  noClobber?: boolean;
  /** Bytes a block of values aims at; default 4 MiB (HSDS's largest chunk). */
  blockBytes?: number;
  /** Block reads in flight, which is also how many blocks are held in memory; default 4. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Default: h5wasm in a worker thread. */
  openWriter?: (path: string) => Promise<FileWriter>;
  /** What the file does not keep as the domain has it, one call per HDF5 path. */
  onChanges?: (path: string, changes: string[]) => void;
  onStart?: (totals: ExportTotals) => void;
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportSummary {
  /** Groups and datasets written. */
  objects: number;
  /** HSDS value bytes copied. */
  bytes: number;
  /** HDF5 paths with changes reported. */
  changed: number;
}

const DEFAULT_BLOCK_BYTES = 4 * 1024 * 1024;
const DEFAULT_CONCURRENCY = 4;

export async function exportDomain(handle: DomainHandle, target: string, options: ExportOptions = {}): Promise<ExportSummary> {
  if (options.noClobber && existsSync(target)) throw new ExportError(`file exists: ${target}`);
  try {
    accessSync(dirname(target), constants.W_OK);
  } catch (err) {
    throw new ExportError(`cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const snapshot = await snapshotDomain(handle, options.signal);
  const plan = planExport(snapshot, { blockBytes: options.blockBytes ?? DEFAULT_BLOCK_BYTES });
  const changes = new Map(plan.changes);
  for (const [path, list] of plan.changes) options.onChanges?.(path, list);
  options.signal?.throwIfAborted();

  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.hsget-partial`);
  let writer: FileWriter | undefined;
  try {
    writer = await (options.openWriter ?? startWorkerWriter)(temp);
    const unresolved = new Map<string, number>();
    const countUnresolved = (path: string, n: number) => {
      if (n > 0) unresolved.set(path, (unresolved.get(path) ?? 0) + n);
    };
    await writeStructure(writer, plan, countUnresolved, options.signal);
    let bytes = 0;
    if (!options.nodata) {
      const datasets = plan.datasets.filter((d) => d.blocks > 0);
      options.onStart?.({ blocks: datasets.reduce((n, d) => n + d.blocks, 0) });
      bytes = await copyValues(handle, writer, datasets, options, countUnresolved);
    }
    await writer.close();
    writer = undefined;
    for (const [path, n] of unresolved) {
      const change = `${n} reference${n === 1 ? "" : "s"} to objects not in the file written as null references`;
      changes.set(path, [...(changes.get(path) ?? []), change]);
      options.onChanges?.(path, [change]);
    }
    moveIntoPlace(temp, target, options.noClobber ?? false);
    return { objects: plan.objects.length, bytes, changed: changes.size };
  } catch (err) {
    await writer?.abort();
    rmSync(temp, { force: true });
    throw err;
  }
}

/** Groups, datasets (empty), links, scales and attributes: everything but values. */
async function writeStructure(
  writer: FileWriter,
  plan: ExportPlan,
  countUnresolved: (path: string, n: number) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (const group of plan.groups) await writer.createGroup(group.path, group.trackOrder);
  for (const d of plan.datasets) {
    signal?.throwIfAborted();
    await writer.createDataset({
      path: d.path,
      type: d.type.h5,
      conversion: conversionPlan(d.type),
      shape: d.shape,
      extraDims: d.type.extraDims,
      maxshape: d.maxshape,
      chunks: d.chunks,
      filter: d.filter,
    });
  }
  for (const link of plan.links) {
    if (link.kind === "hard") await writer.hardLink(link.path, link.target);
    else if (link.kind === "soft") await writer.softLink(link.path, link.target);
    else await writer.externalLink(link.path, link.file, link.target);
  }
  for (const { id, path } of plan.objects) await writer.registerObject(id, path);
  for (const scale of plan.scales) await writer.makeScale(scale.path, scale.name);
  for (const a of plan.attachments) await writer.attachScale(a.path, a.dim, a.scale);
  for (const a of plan.attributes) {
    signal?.throwIfAborted();
    const unresolved = await writer.createAttribute({
      objectPath: a.objectPath,
      name: a.name,
      type: a.type.h5,
      conversion: conversionPlan(a.type),
      shape: a.shape,
      elements: a.shape.slice(0, a.shape.length - a.type.extraDims.length).reduce((x, y) => x * y, 1),
      value: a.value,
    });
    countUnresolved(`${a.objectPath} attribute ${a.name}`, unresolved);
  }
}

/**
 * Datasets of which the domain holds no chunk at all (none stored, none linked): their source was
 * never written, or held only fill. Their blocks of zeros are not written, so the file leaves their
 * storage unallocated too; every other dataset gets all its blocks, zeros included, because h5diff
 * refuses to compare a dataset whose storage is allocated in one file and not in the other, and the
 * domain cannot tell zeros a source wrote from chunks nobody wrote (HSDS keeps no all-fill chunks).
 */
async function unallocatedDatasets(handle: DomainHandle): Promise<Set<string>> {
  const info = await handle.get({ verbose: true });
  const scanned = (info.scan_info as { datasets?: Record<string, { num_chunks?: number; num_linked_chunks?: number }> } | undefined)?.datasets;
  if (!scanned) return new Set();
  return new Set(Object.entries(scanned).filter(([, d]) => (d.num_chunks ?? 0) + (d.num_linked_chunks ?? 0) === 0).map(([id]) => id));
}

/** Every block of every dataset, `concurrency` at a time: read from HSDS, then handed to the writer. */
async function copyValues(
  handle: DomainHandle,
  writer: FileWriter,
  datasets: readonly DatasetPlan[],
  options: ExportOptions,
  countUnresolved: (path: string, n: number) => void,
): Promise<number> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const unallocated = await unallocatedDatasets(handle);
  const progress: ExportProgress = { blocks: 0, bytes: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;

  const copyBlock = async (d: DatasetPlan, start: number[], count: number[]) => {
    const select = selectionToString(blockSelection({ start, count }));
    const bytes = await handle.readValue(d.id, { select: select === "" ? undefined : select }).catch((err: Error) => {
      throw new ExportError(`cannot read values of ${d.path}${select}: ${err.message}`);
    });
    const skip = unallocated.has(d.id) && !d.type.variable && isAllZero(bytes);
    if (!skip) countUnresolved(d.path, await writer.writeBlock(d.path, start, count, bytes));
    progress.blocks++;
    progress.bytes += bytes.length;
    options.onProgress?.(progress);
  };

  outer: for (const d of datasets) {
    for (const { start, count } of blocksOf(d.dims, d.blockShape)) {
      if (failure) break outer;
      options.signal?.throwIfAborted();
      const task: Promise<void> = copyBlock(d, start, count)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return progress.bytes;
}


/** Rename into place; with noClobber, a hard link fails rather than replace a file that appeared meanwhile. */
function moveIntoPlace(temp: string, target: string, noClobber: boolean): void {
  try {
    if (noClobber) {
      linkSync(temp, target);
      rmSync(temp);
    } else {
      renameSync(temp, target);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ExportError(code === "EEXIST" ? `file exists: ${target}` : `cannot write ${target}: ${code ?? (err as Error).message}`);
  }
}

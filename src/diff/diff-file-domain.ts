// hsdiff's comparison of one HDF5 file with one domain: the file's tree (the loader's source layer, so types are
// mapped exactly as hsload maps them) and the domain's metadata (hsget's snapshot) are paired object by object,
// each pair compared, and dataset values streamed from both sides. Each object's report goes out in the walk's
// order as soon as it and every object before it are done.
import { HsdsError, TransportError } from "../client/errors.js";
import type { DomainHandle } from "../client/hsds-client.js";
import { type DomainSnapshot, snapshotDomain } from "../export/domain-snapshot.js";
import { Hdf5Source } from "../hdf5/source/hdf5-source.js";
import { SourceFileError } from "../hdf5/source/source-errors.js";
import type { SourceTree } from "../hdf5/source/source-tree.js";
import { forEachLimited, Semaphore } from "../loader/concurrency.js";
import { referenceResolver } from "../loader/run.js";
import type { Difference } from "./difference.js";
import { compareObject, type ObjectComparison, type PairContext } from "./object-compare.js";
import { type ObjectPair, pairObjects } from "./pairing.js";
import { compareValues, type ValueCompareContext } from "./value-compare.js";

export interface DiffOptions {
  /** Compare no dataset values (--nodata). */
  nodata?: boolean;
  /** Compare no attributes (--noattr). */
  noattr?: boolean;
  /** Blocks of values in flight (each one domain read); default 8. */
  parallel?: number;
  /** Bytes of values held in memory at once; default 64 MiB. */
  memoryBudget?: number;
  /** Largest block read at once (at least one domain chunk); default 4 MiB. */
  maxBlockBytes?: number;
}

/** What was compared of one object, and the differences found there (then those of links the walk met next). */
export interface ObjectReport {
  path: string;
  kind: "group" | "dataset" | "datatype";
  /** Links of a group. */
  links?: number;
  /** Attributes compared (absent with --noattr). */
  attributes?: number;
  /** Blocks of values compared (absent when values were not compared). */
  blocks?: number;
  differences: Difference[];
}

/** The file or the domain cannot be opened at all: an error, not a difference. */
export class DiffOpenError extends Error {
  override name = "DiffOpenError";
  constructor(
    readonly side: "file" | "domain",
    readonly reason: string,
  ) {
    super(`cannot open the ${side}: ${reason}`);
  }
}

const MIB = 1024 * 1024;
/** Objects compared at once: with many small datasets, enough to keep the blocks in flight busy. */
const OBJECTS_IN_FLIGHT = 4;

/** Compares, calling `onObject` for each paired object in walk order; returns the number of differences. */
export async function diffFileDomain(file: string, domain: DomainHandle, options: DiffOptions, onObject: (report: ObjectReport) => void): Promise<number> {
  const source = await Hdf5Source.open(file).catch((err: unknown) => {
    throw err instanceof SourceFileError ? new DiffOpenError("file", err.message) : err;
  });
  try {
    const [tree, snapshot] = await Promise.all([readTree(source), openDomain(domain)]);
    const pairing = pairObjects(tree, snapshot);
    const pairContext: PairContext = { ...pairing, resolve: referenceResolver(pairing.domainIds, () => undefined) };
    const compareOptions = { attributes: !options.noattr, values: !options.nodata };
    const values: ValueCompareContext = {
      file: source,
      domain,
      resolve: pairContext.resolve,
      pathOf: (id) => pairing.paths.get(id),
      blocksInFlight: new Semaphore(options.parallel ?? 8),
      memory: new Semaphore(options.memoryBudget ?? 64 * MIB),
      maxBlockBytes: options.maxBlockBytes ?? 4 * MIB,
    };
    const reports: (ObjectReport | undefined)[] = pairing.pairs.map(() => undefined);
    let emitted = 0;
    let differences = 0;
    const emitReady = () => {
      for (; reports[emitted] !== undefined; emitted++) {
        differences += reports[emitted]!.differences.length;
        onObject(reports[emitted]!);
      }
    };
    await forEachLimited(pairing.pairs.entries(), OBJECTS_IN_FLIGHT, async ([index, pair]) => {
      const comparison = compareObject(pair, pairContext, compareOptions);
      reports[index] = await reportOf(pair, comparison, options, values);
      emitReady();
    });
    return differences;
  } finally {
    await source.close();
  }
}

async function reportOf(pair: ObjectPair, comparison: ObjectComparison, options: DiffOptions, values: ValueCompareContext): Promise<ObjectReport> {
  const { file, domain, path } = pair;
  const report: ObjectReport = { path, kind: file.kind, differences: [...comparison.differences] };
  if (!options.noattr) report.attributes = comparison.attributes;
  if (file.kind === "group") report.links = file.links.length;
  if (comparison.values && file.kind === "dataset" && domain.kind === "dataset") {
    const result = await compareValues(
      {
        path,
        key: file.key,
        id: domain.id,
        ...comparison.values,
        chunks: chunkShape(domain.layout?.dims ?? (domain.creationProperties?.layout?.dims as number[] | undefined), comparison.values.shape),
        sourceChunks: file.layout.class === "chunked" ? file.layout.chunks : undefined,
        fill: file.fillValue,
      },
      values,
    );
    report.blocks = result.blocks;
    if (result.difference) report.differences.push(result.difference);
  }
  report.differences.push(...pair.following);
  return report;
}

/** The domain's chunk shape; a layout without one (or with zeros) makes the whole dataset one block. */
function chunkShape(dims: number[] | undefined, shape: number[]): number[] {
  return dims && dims.length === shape.length && dims.every((d) => d > 0) ? dims : shape.map((extent) => Math.max(1, extent));
}

async function readTree(source: Hdf5Source): Promise<SourceTree> {
  try {
    return await source.tree();
  } catch (err) {
    throw err instanceof SourceFileError ? new DiffOpenError("file", err.message) : err;
  }
}

async function openDomain(domain: DomainHandle): Promise<DomainSnapshot> {
  try {
    const info = await domain.get();
    if (info.class === "folder" || info.root === undefined) throw new DiffOpenError("domain", `${domain.path} is a folder, not a domain`);
    return await snapshotDomain(domain);
  } catch (err) {
    if (err instanceof HsdsError || err instanceof TransportError) throw new DiffOpenError("domain", err.message);
    throw err;
  }
}

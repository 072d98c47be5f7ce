// HSDS filter JSON (hsds-reference §2.5): the filter table, the normalisation HSDS applies on
// POST /datasets, which entries its data nodes act on, and the mapping to and from HDF5 filter
// pipelines. The rules are HSDS 0.9.4's (hsds/util/dsetUtil.py), reproduced by hand.
import { BITSHUFFLE_HDF5_COMPRESSION } from "./bitshuffle.js";
import { BLOSC_COMPRESSORS, type BloscCompressor } from "./blosc.js";
import { FilterError } from "./codec.js";
import type { Hdf5Filter } from "./hdf5-chunk.js";

/** One entry of `creationProperties.filters` after normalisation; other keys (level, ...) are kept. */
export interface HsdsFilter {
  class: string;
  id: number;
  name: string;
  level?: unknown;
  [key: string]: unknown;
}

interface FilterTableEntry {
  class: string;
  id: number;
  name: string;
}

export const HSDS_FILTER_TABLE: readonly FilterTableEntry[] = [
  { class: "H5Z_FILTER_NONE", id: 0, name: "none" },
  { class: "H5Z_FILTER_DEFLATE", id: 1, name: "gzip" },
  { class: "H5Z_FILTER_SHUFFLE", id: 2, name: "shuffle" },
  { class: "H5Z_FILTER_FLETCHER32", id: 3, name: "fletcher32" },
  { class: "H5Z_FILTER_SZIP", id: 4, name: "szip" },
  { class: "H5Z_FILTER_NBIT", id: 5, name: "nbit" },
  { class: "H5Z_FILTER_SCALEOFFSET", id: 6, name: "scaleoffset" },
  { class: "H5Z_FILTER_LZF", id: 32000, name: "lzf" },
  { class: "H5Z_FILTER_BLOSC", id: 32001, name: "blosclz" },
  { class: "H5Z_FILTER_SNAPPY", id: 32003, name: "snappy" },
  { class: "H5Z_FILTER_LZ4", id: 32004, name: "lz4" },
  { class: "H5Z_FILTER_LZ4HC", id: 32005, name: "lz4hc" },
  { class: "H5Z_FILTER_BITSHUFFLE", id: 32008, name: "bitshuffle" },
  { class: "H5Z_FILTER_ZSTD", id: 32015, name: "zstd" },
];

const USER_CLASS = "H5Z_FILTER_USER";

/** What HSDS 0.9.4 reports as a domain's `compressors` (its Blosc build, zlib renamed gzip, plus deflate). */
export const HSDS_COMPRESSORS: readonly string[] = ["blosclz", "lz4", "lz4hc", "snappy", "gzip", "zstd", "deflate"];
const SUPPORTED_NAMES = new Set(["shuffle", "fletcher32", "nbit", "scaleoffset", ...HSDS_COMPRESSORS]);

/** Classes and user-filter names that HSDS's data node treats as "the compressor". */
const COMPRESSION_CLASSES = new Set([
  "H5Z_FILTER_DEFLATE", "H5Z_FILTER_SZIP", "H5Z_FILTER_SCALEOFFSET", "H5Z_FILTER_LZF", "H5Z_FILTER_BLOSC",
  "H5Z_FILTER_SNAPPY", "H5Z_FILTER_LZ4", "H5Z_FILTER_LZ4HC", "H5Z_FILTER_ZSTD",
]);
const COMPRESSION_USER_NAMES = new Set(["gzip", "szip", "lzf", "blosclz", "snappy", "lz4", "lz4hc", "zstd"]);
const SHUFFLE_CLASSES = new Set(["H5Z_FILTER_SHUFFLE", "H5Z_FILTER_BITSHUFFLE"]);
/** HSDS's compression level when an entry has none. */
export const HSDS_DEFAULT_LEVEL = 5;

/** H5Pset_scaleoffset's scale types. */
const SCALE_TYPES: Record<string, number> = { H5Z_SO_FLOAT_DSCALE: 0, H5Z_SO_FLOAT_ESCALE: 1, H5Z_SO_INT: 2 };
/** HDF5 filter flags: an optional filter may be skipped for a chunk it cannot shrink. */
const OPTIONAL = 1;
const MANDATORY = 0;

/** HSDS's lookup by class, id or name (`getFilterItem`); "deflate" is an alias of gzip. */
function tableEntry(key: unknown): FilterTableEntry | undefined {
  const wanted = key === "deflate" ? "gzip" : key;
  return HSDS_FILTER_TABLE.find((e) => e.class === wanted || e.id === wanted || e.name === wanted);
}

export interface NormalizeOptions {
  /** Accept bitshuffle, which HSDS 0.9.4 refuses from clients but reads from linked HDF5 sources. */
  allowBitshuffle: boolean;
}

/**
 * Normalises `creationProperties.filters` as HSDS does on POST /datasets: bare names and ids become
 * {class, id, name}; dicts keep their keys (and class) and get a missing id or name filled in.
 */
export function normalizeFilters(input: unknown, options: NormalizeOptions = { allowBitshuffle: false }): HsdsFilter[] {
  if (!Array.isArray(input)) throw new FilterError("filters in creationProperties must be a list");
  const isSupported = (name: unknown) =>
    typeof name === "string" && (SUPPORTED_NAMES.has(name) || (options.allowBitshuffle && name === "bitshuffle"));
  return input.map((filter): HsdsFilter => {
    if (typeof filter === "string" || (typeof filter === "number" && Number.isInteger(filter))) {
      const entry = tableEntry(filter);
      if (!entry) throw new FilterError(`filter ${filter} not recognized`);
      if (!isSupported(entry.name)) throw new FilterError(`filter ${filter} is not supported`);
      return { ...entry };
    }
    if (filter === null || typeof filter !== "object" || Array.isArray(filter)) {
      throw new FilterError(`unexpected type for filter: ${JSON.stringify(filter)}`);
    }
    const dict = { ...(filter as Record<string, unknown>) };
    if (!("class" in dict)) throw new FilterError("expected 'class' key for filter property");
    const entry =
      dict.class !== USER_CLASS ? tableEntry(dict.class)
      : "id" in dict ? tableEntry(dict.id)
      : "name" in dict ? tableEntry(dict.name)
      : undefined;
    if (!entry) throw new FilterError(`filter ${String(dict.class)} not recognized`);
    if (!("id" in dict)) dict.id = entry.id;
    else if (dict.id !== entry.id) throw new FilterError(`expected ${String(dict.class)} to have id: ${entry.id} but got ${JSON.stringify(dict.id)}`);
    if (!("name" in dict)) dict.name = entry.name;
    if (!isSupported(dict.name)) throw new FilterError(`filter ${JSON.stringify(dict)} is not supported`);
    return dict as HsdsFilter;
  });
}

/** What HSDS's data node does with a dataset's chunks (`getFilterOps`). */
export interface HsdsFilterOps {
  /** Blosc compressor name ("zlib" for DEFLATE); "scaleoffset", "szip" and "lzf" count but do nothing. */
  compressor?: string;
  level: number;
  /** 0 none, 1 byte shuffle, 2 bitshuffle; always 0 for variable-length types. */
  shuffle: 0 | 1 | 2;
}

/**
 * The effective filters: the first compression entry is the compressor, the first shuffle entry the
 * shuffle; everything else (fletcher32, nbit, later compressors) is stored but ignored.
 */
export function hsdsFilterOps(filters: readonly unknown[], variableLength: boolean): HsdsFilterOps {
  const entries = filters.filter((f): f is Record<string, unknown> => typeof f === "object" && f !== null && "class" in f);
  const compression = entries.find(
    (f) => COMPRESSION_CLASSES.has(f.class as string) || (f.class === USER_CLASS && COMPRESSION_USER_NAMES.has(f.name as string)),
  );
  const shuffleEntry = variableLength ? undefined : entries.find((f) => SHUFFLE_CLASSES.has(f.class as string));
  const shuffle = shuffleEntry?.name === "shuffle" ? 1 : shuffleEntry?.name === "bitshuffle" ? 2 : 0;
  if (!compression) return { level: HSDS_DEFAULT_LEVEL, shuffle };
  const compressor =
    compression.class === "H5Z_FILTER_DEFLATE" ? "zlib"
    : typeof compression.name === "string" ? compression.name
    : "lz4";
  return { compressor, level: "level" in compression ? integerLevel(compression.level) : HSDS_DEFAULT_LEVEL, shuffle };
}

/** Python's int() on the JSON value, as HSDS applies it. */
function integerLevel(level: unknown): number {
  if (typeof level === "number" && Number.isFinite(level)) return Math.trunc(level);
  if (typeof level === "string" && /^\s*[-+]?\d+\s*$/.test(level)) return Number.parseInt(level, 10);
  throw new FilterError(`filter level ${JSON.stringify(level)} is not an integer`);
}

export type HsdsFilterMapping = { filter: HsdsFilter; reason?: undefined } | { filter: undefined; reason: string };
export type Hdf5FilterMapping = { filter: Hdf5Filter; reason?: undefined } | { filter: undefined; reason: string };

/**
 * The HSDS entry that h5pyd's hsload sends for one filter of an HDF5 source pipeline, in the form HSDS
 * stores it; or why the filter is dropped.
 */
export function hdf5FilterToHsds(f: Pick<Hdf5Filter, "id" | "name" | "cdValues">): HsdsFilterMapping {
  const user = (name: string, id: number): HsdsFilterMapping => ({ filter: { class: USER_CLASS, name, id } });
  switch (f.id) {
    case 1:
      return { filter: { class: "H5Z_FILTER_DEFLATE", id: 1, level: f.cdValues[0] ?? 4, name: "gzip" } };
    case 2:
      return { filter: { class: "H5Z_FILTER_SHUFFLE", id: 2, name: "shuffle" } };
    case 32001:
      return user("blosclz", 32001);
    case 32004:
      return user("lz4", 32004);
    case 32008:
      return { filter: { class: "H5Z_FILTER_BITSHUFFLE", id: 32008, name: "bitshuffle" } };
    case 32015:
      return user("zstd", 32015);
    case 3:
    case 5:
    case 6:
      return { filter: undefined, reason: `HDF5 filter ${f.id} (${hdf5Name(f)}) is not supported by HSDS and is dropped, as h5pyd does` };
    default:
      return { filter: undefined, reason: `HDF5 filter ${f.id} (${hdf5Name(f)}) has no HSDS equivalent` };
  }
}

/**
 * Why HSDS cannot decode chunks of this HDF5 pipeline in place (hsload --link), or undefined if it
 * can. HSDS first undoes one Blosc frame or zlib stream, then a byte shuffle (skipped after Blosc,
 * which it assumes did the shuffling) or a bitshuffle-LZ4 stream. Per-chunk filter masks are not
 * considered: HSDS ignores them.
 */
export function linkedPipelineProblem(filters: readonly Pick<Hdf5Filter, "id" | "name" | "cdValues">[]): string | undefined {
  const compressors = filters.filter((f) => f.id === 1 || f.id === 32001);
  const shuffles = filters.filter((f) => f.id === 2 || f.id === 32008);
  const other = filters.find((f) => !compressors.includes(f) && !shuffles.includes(f));
  if (other) return `HSDS cannot decode chunks stored with HDF5 filter ${other.id} (${hdf5Name(other)})`;
  if (compressors.length > 1 || shuffles.length > 1) return "HSDS decodes at most one compressor and one shuffle per chunk";
  const [compressor] = compressors;
  const [shuffle] = shuffles;
  if (shuffle?.id === 32008 && shuffle.cdValues[4] !== BITSHUFFLE_HDF5_COMPRESSION.lz4) return "HSDS decodes bitshuffle only with LZ4 compression";
  if (shuffle && compressor && filters.indexOf(shuffle) > filters.indexOf(compressor)) return "HSDS undoes the compressor before the shuffle";
  if (shuffle?.id === 2 && compressor?.id === 32001) return "HSDS skips the byte unshuffle of Blosc-compressed chunks";
  return undefined;
}

/**
 * The HDF5 filter that writes one HSDS entry into an HDF5 file (hsget). The cd_values are what
 * H5Pset_filter (h5wasm's `compression_opts`) takes; the plugins' set_local callbacks complete them
 * in the file (Blosc fills slots 0-3, bitshuffle prepends three values). Byte shuffle stays a filter
 * of its own, so Blosc is set up without its internal shuffle.
 */
export function hsdsFilterToHdf5(f: HsdsFilter): Hdf5FilterMapping {
  const entry = f.class === USER_CLASS ? (tableEntry(f.id) ?? tableEntry(f.name)) : tableEntry(f.class);
  const level = "level" in f && f.level !== undefined ? integerLevel(f.level) : HSDS_DEFAULT_LEVEL;
  const hdf5 = (id: number, name: string, cdValues: number[], flags = OPTIONAL): Hdf5FilterMapping => ({
    filter: { id, name, flags, cdValues },
  });
  // Blosc's compressor code is the compressor's position in BLOSC_COMPRESSORS.
  const blosc = (cname: BloscCompressor) => hdf5(32001, "blosc", [0, 0, 0, 0, level, 0, BLOSC_COMPRESSORS.indexOf(cname)]);
  switch (entry?.name) {
    case "gzip":
      return hdf5(1, "deflate", [level]);
    case "shuffle":
      return hdf5(2, "shuffle", []);
    case "fletcher32":
      return hdf5(3, "fletcher32", [], MANDATORY);
    case "nbit":
      return hdf5(5, "nbit", []);
    case "scaleoffset": {
      const scaleType = SCALE_TYPES[String(f.scaleType)];
      if (scaleType === undefined || typeof f.scaleOffset !== "number") {
        return { filter: undefined, reason: `scaleoffset entry ${JSON.stringify(f)} lacks scaleType or scaleOffset` };
      }
      return hdf5(6, "scaleoffset", [scaleType, f.scaleOffset]);
    }
    case "bitshuffle":
      return hdf5(32008, "bitshuffle", [0, BITSHUFFLE_HDF5_COMPRESSION.lz4]);
    case "blosclz":
    case "lz4hc":
    case "snappy":
      return blosc(entry.name as BloscCompressor);
    case "lz4":
      return hdf5(32004, "lz4", []);
    case "zstd":
      return hdf5(32015, "zstd", [level]);
    default:
      return { filter: undefined, reason: `filter ${JSON.stringify(f)} has no HDF5 equivalent that can be written` };
  }
}

function hdf5Name(f: Pick<Hdf5Filter, "id" | "name">): string {
  return f.name ?? HSDS_FILTER_TABLE.find((e) => e.id === f.id)?.name ?? "unnamed";
}

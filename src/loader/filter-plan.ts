// The HSDS filters a copied dataset gets: the source's HDF5 pipeline mapped the way h5pyd maps it (keeping the
// compressor's own level and, for Blosc, its internal compressor), minus what HSDS cannot create or apply,
// plus the default compressor of -z/--compression for datasets that have none.
import { BLOSC_COMPRESSORS } from "../codecs/blosc.js";
import { HSDS_FILTER_TABLE, hdf5FilterToHsds, type HsdsFilter } from "../codecs/filters.js";
import type { Hdf5Filter } from "../hdf5/storage-info.js";

export interface FilterOptions {
  /** Do not carry the source's filters over. */
  ignoreFilters: boolean;
  /** Compressor for datasets that end up with none (-z / --compression). */
  defaultCompression?: { name: string; level: number };
  /** Compressor names the target domain accepts (its `compressors`). */
  compressors: readonly string[];
  /** HSDS never shuffles variable-length types. */
  variableLength: boolean;
}

export interface FilterPlan {
  filters: HsdsFilter[];
  /** What was dropped or changed, one sentence each. */
  notes: string[];
}

const SHUFFLE_CLASSES = new Set(["H5Z_FILTER_SHUFFLE", "H5Z_FILTER_BITSHUFFLE"]);

/** The HSDS entry of a compressor, in the form h5pyd sends for `compression=name, compression_opts=level`. */
function compressorEntry(name: string, level: number): HsdsFilter {
  const canonical = name === "deflate" || name === "zlib" ? "gzip" : name;
  if (canonical === "gzip") return { class: "H5Z_FILTER_DEFLATE", id: 1, name: "gzip", level };
  const entry = HSDS_FILTER_TABLE.find((e) => e.name === canonical);
  return { class: "H5Z_FILTER_USER", id: entry?.id ?? 0, name: canonical, level };
}

export function planFilters(source: readonly Hdf5Filter[], options: FilterOptions): FilterPlan {
  const notes: string[] = [];
  const filters: HsdsFilter[] = [];
  for (const f of options.ignoreFilters ? [] : source) {
    const mapped = mapFilter(f);
    if (!mapped.filter) {
      notes.push(mapped.reason);
    } else if (mapped.filter.class === "H5Z_FILTER_BITSHUFFLE") {
      notes.push("the bitshuffle filter is dropped: HSDS 0.9.4 cannot create bitshuffle datasets");
    } else if (SHUFFLE_CLASSES.has(mapped.filter.class) && options.variableLength) {
      notes.push("the shuffle filter is dropped: HSDS does not shuffle variable-length types");
    } else if (!SHUFFLE_CLASSES.has(mapped.filter.class) && !options.compressors.includes(mapped.filter.name)) {
      notes.push(`the ${mapped.filter.name} compressor is dropped: the server does not offer it`);
    } else {
      filters.push(mapped.filter);
    }
  }
  const hasCompressor = filters.some((f) => !SHUFFLE_CLASSES.has(f.class));
  if (!hasCompressor && options.defaultCompression) {
    const { name, level } = options.defaultCompression;
    filters.push(compressorEntry(name, level));
  } else if (!hasCompressor && filters.length > 0) {
    // HSDS 0.9.4 writes shuffle-only chunks unshuffled but reads them unshuffling (reference §3.2).
    notes.push("the shuffle filter is dropped: HSDS 0.9.4 mishandles shuffle without a compressor");
    filters.length = 0;
  }
  return { filters, notes };
}

/** hdf5FilterToHsds, plus the compression level the plugins keep in their cd_values and Blosc's compressor. */
function mapFilter(f: Hdf5Filter): { filter: HsdsFilter; reason?: undefined } | { filter: undefined; reason: string } {
  const cd = f.cdValues;
  if (f.id === 32001) {
    // cd_values: [revision, blosc version, typesize, chunk bytes, clevel, shuffle, compressor code]
    const cname = BLOSC_COMPRESSORS[cd[6] ?? 0];
    if (cname === undefined) return { filter: undefined, reason: `Blosc compressor code ${cd[6]} is unknown; the filter is dropped` };
    return { filter: compressorEntry(cname, cd[4] ?? 5) };
  }
  const mapped = hdf5FilterToHsds(f);
  if (mapped.filter && f.id === 32015 && cd[0] !== undefined) return { filter: { ...mapped.filter, level: cd[0] } };
  return mapped;
}

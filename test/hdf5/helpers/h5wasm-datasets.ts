import h5wasm, { type Dataset, type File, type Metadata } from "h5wasm/node";

export { h5wasm };

/** The h5wasm module, ready and throwing on HDF5 errors. */
export async function h5Module() {
  const Module = await h5wasm.ready;
  Module.activate_throwing_error_handler();
  return Module;
}

/** Opens an HDF5 file with h5wasm for the duration of `use`. */
export async function withH5File<T>(path: string, use: (file: File) => T | Promise<T>): Promise<T> {
  await h5Module();
  const file = new h5wasm.File(path, "r");
  try {
    return await use(file);
  } finally {
    file.close();
  }
}

export interface DatasetEntry {
  path: string;
  /** Object header address (hobj_ref_t). */
  address: number;
  metadata: Metadata;
  dataset: Dataset;
}

/** The object header address h5wasm reports for a dataset: its hobj_ref_t, 8 bytes little-endian. */
export function objectAddress(dataset: Dataset): number {
  const ref = Array.from(dataset.create_reference().ref_data);
  return ref.slice(0, 8).reduceRight((value, byte) => value * 256 + byte, 0);
}

/** Every dataset reachable from the root, once per object (hard links to the same object are skipped). */
export function listDatasets(file: File): DatasetEntry[] {
  const seen = new Set<number>();
  const out: DatasetEntry[] = [];
  const walk = (groupPath: string) => {
    const group = file.get(groupPath);
    if (!(group instanceof h5wasm.Group)) return;
    for (const name of group.keys()) {
      const path = groupPath === "/" ? `/${name}` : `${groupPath}/${name}`;
      const entity = file.get(path);
      if (entity instanceof h5wasm.Group) {
        walk(path);
      } else if (entity instanceof h5wasm.Dataset) {
        const address = objectAddress(entity);
        if (seen.has(address)) continue;
        seen.add(address);
        out.push({ path, address, metadata: entity.metadata, dataset: entity });
      }
    }
  };
  walk("/");
  return out;
}

/**
 * The dataset's bytes as HDF5 reads them into memory: the file's own type except that h5wasm asks for
 * little-endian order, so big-endian atomic types come back swapped.
 */
export async function readMemoryBytes(file: File, path: string, metadata: Metadata): Promise<Uint8Array> {
  const Module = await h5Module();
  const nbytes = metadata.size * metadata.total_size;
  const pointer = Module._malloc(Math.max(nbytes, 1));
  try {
    Module.get_dataset_data(file.file_id, path, null, null, null, BigInt(pointer));
    return Module.HEAPU8.slice(pointer, pointer + nbytes);
  } finally {
    Module._free(pointer);
  }
}

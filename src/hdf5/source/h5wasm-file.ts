// One HDF5 file opened with h5wasm, through the module's low-level functions: the high-level classes decode
// values to JavaScript (losing float16, big-endian order, references in compounds), while the loader needs
// the library's memory buffers as they are. h5wasm runs with its throwing error handler on, so a failed call
// throws instead of returning garbage; its multi-line HDF5 error stack is cut down to the innermost reason.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Metadata } from "h5wasm/node";
import { containsVariable } from "./type-mapping.js";

type H5Module = Awaited<typeof import("h5wasm/node").default.ready>;

export type ObjectKind = "group" | "dataset" | "datatype";

export type LinkInfo =
  | { kind: "soft"; target: string }
  | { kind: "external"; file: string; path: string }
  | { kind: "hard"; object: ObjectKind };

/** HDF5 reported a failure; `reason` is the innermost message of its error stack. */
export class Hdf5LibraryError extends Error {
  override name = "Hdf5LibraryError";
  constructor(readonly reason: string) {
    super(reason);
  }
}

let modulePromise: Promise<H5Module> | undefined;

/**
 * The h5wasm module, ready, throwing on errors, and able to load the compression plugins of h5wasm-plugins.
 * Imported on first use, so a file refused by the checks before it does not wait for the wasm to compile.
 */
function h5Module(): Promise<H5Module> {
  modulePromise ??= import("h5wasm/node").then(({ default: h5wasm }) => h5wasm.ready).then((module) => {
    module.activate_throwing_error_handler();
    const plugins = join(dirname(createRequire(import.meta.url).resolve("h5wasm-plugins")), "plugins");
    module.insert_plugin_search_path(plugins, 0);
    return module;
  });
  return modulePromise;
}

/** The last "in FUNCTION(): message" of an HDF5 error stack: the most specific reason. */
function hdf5Reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const reasons = [...text.matchAll(/ in (\w+)\(\): (.+)$/gm)].map((m) => m[2]!.trim());
  return reasons.at(-1) ?? text.split("\n")[0]!.trim();
}

function call<T>(what: () => T): T {
  try {
    return what();
  } catch (err) {
    throw new Hdf5LibraryError(hdf5Reason(err));
  }
}

export class H5WasmFile {
  private constructor(
    private readonly module: H5Module,
    private readonly fileId: bigint,
  ) {}

  static async open(path: string): Promise<H5WasmFile> {
    const module = await h5Module();
    const fileId = call(() => module.open(path, module.H5F_ACC_RDONLY, false, -1, -1));
    return new H5WasmFile(module, fileId);
  }

  /** Link names of a group, in creation order when the group indexes it, else by name. */
  linkNames(groupPath: string): string[] {
    return call(() => this.module.get_names(this.fileId, groupPath, false));
  }

  link(path: string): LinkInfo {
    const m = this.module;
    const target = call(() => m.get_symbolic_link(this.fileId, path));
    if (typeof target === "string") return { kind: "soft", target };
    const external = call(() => m.get_external_link(this.fileId, path));
    if (typeof external.filename === "string") return { kind: "external", file: external.filename, path: external.obj_path };
    const type = call(() => m.get_type(this.fileId, path));
    if (type === m.H5G_GROUP) return { kind: "hard", object: "group" };
    if (type === m.H5G_DATASET) return { kind: "hard", object: "dataset" };
    if (type === m.H5G_TYPE) return { kind: "hard", object: "datatype" };
    throw new Hdf5LibraryError(`link to an object of unknown type ${type}`);
  }

  /** The object's header address (its hobj_ref_t). */
  address(path: string): number {
    const ref = call(() => this.module.create_object_reference(this.fileId, path));
    let address = 0;
    for (let i = 7; i >= 0; i--) address = address * 256 + ref[i]!;
    return address;
  }

  datasetMetadata(path: string): Metadata {
    return call(() => this.module.get_dataset_metadata(this.fileId, path));
  }

  datatypeMetadata(path: string): Metadata {
    return call(() => this.module.get_datatype_metadata(this.fileId, path));
  }

  attributeNames(path: string): string[] {
    return call(() => this.module.get_attribute_names(this.fileId, path));
  }

  attributeMetadata(path: string, name: string): Metadata {
    return call(() => this.module.get_attribute_metadata(this.fileId, path, name));
  }

  /**
   * Read `count` elements at `start` (the whole dataset when both are undefined) in the library's memory form
   * and hand them to `use` together with the heap their variable-length parts point into; the memory is
   * released when `use` returns, so it must copy what it keeps.
   */
  readDataset<T>(path: string, metadata: Metadata, box: { start: number[]; count: number[] } | undefined, use: (bytes: Uint8Array, heap: Uint8Array) => T): T {
    const m = this.module;
    const elements = box ? box.count.reduce((a, b) => a * b, 1) : metadata.total_size;
    const variable = containsVariable(metadata);
    return this.withBuffer(elements * metadata.size, (pointer) => {
      const bigCount = box?.count.map(BigInt) ?? null;
      call(() => m.get_dataset_data(this.fileId, path, bigCount, box?.start.map(BigInt) ?? null, box ? box.count.map(() => 1n) : null, BigInt(pointer)));
      try {
        return use(m.HEAPU8.subarray(pointer, pointer + elements * metadata.size), m.HEAPU8);
      } finally {
        if (variable) {
          if (bigCount) call(() => m.reclaim_vlen_memory_count(this.fileId, path, "", BigInt(pointer), bigCount));
          else call(() => m.reclaim_vlen_memory(this.fileId, path, "", BigInt(pointer)));
        }
      }
    });
  }

  /** Like readDataset, for a whole attribute. */
  readAttribute<T>(path: string, name: string, metadata: Metadata, use: (bytes: Uint8Array, heap: Uint8Array) => T): T {
    const m = this.module;
    const bytes = metadata.total_size * metadata.size;
    return this.withBuffer(bytes, (pointer) => {
      call(() => m.get_attribute_data(this.fileId, path, name, BigInt(pointer)));
      try {
        return use(m.HEAPU8.subarray(pointer, pointer + bytes), m.HEAPU8);
      } finally {
        if (containsVariable(metadata)) call(() => m.reclaim_vlen_memory(this.fileId, path, name, BigInt(pointer)));
      }
    });
  }

  close(): void {
    call(() => this.module.close_file(this.fileId));
  }

  private withBuffer<T>(bytes: number, use: (pointer: number) => T): T {
    const pointer = this.module._malloc(Math.max(bytes, 1));
    if (pointer === 0) throw new Hdf5LibraryError(`cannot allocate ${bytes} bytes in the wasm heap`);
    try {
      return use(pointer);
    } finally {
      this.module._free(pointer);
    }
  }
}

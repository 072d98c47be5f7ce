// Writes one HDF5 file through h5wasm, synchronously (it runs in the writer worker). It calls h5wasm's
// module functions with raw memory rather than its high-level classes, which take JavaScript values: that
// is what lets compounds, references and variable-length strings be written block by block from HSDS's
// bytes. Every HDF5 failure becomes an H5WriteError naming the operation and the HDF5 path.

import h5wasm from "h5wasm/node";
import { type ConversionPlan, type ConvertedElements, convertElements, zeroElements } from "./element-conversion.js";
import type { FilterSpec } from "./export-plan.js";
import { H5WriteError } from "./file-writer.js";
import type { H5TypeSpec } from "./writable-type.js";

type H5Module = Awaited<typeof h5wasm.ready>;

export interface DatasetSpec {
  path: string;
  type: H5TypeSpec;
  conversion: ConversionPlan;
  /** HDF5 extent: the HSDS extent followed by `extraDims`. */
  shape: number[];
  /** Trailing dimensions the type became (array, opaque); selections always cover them whole. */
  extraDims: number[];
  maxshape: Array<number | null>;
  chunks?: number[];
  filter?: FilterSpec;
}

export interface AttributeSpec {
  objectPath: string;
  name: string;
  type: H5TypeSpec;
  conversion: ConversionPlan;
  shape: number[];
  /** HSDS elements in `value` (the shape without the type's extra dimensions). */
  elements: number;
  value: Uint8Array;
}

/** HDF5's H5S_UNLIMITED (2^64 - 1), which h5wasm passes as a BigInt. */
const H5S_UNLIMITED = 18446744073709551615n;
/**
 * Object formats of HDF5 1.8 to 1.10: what HDF5 1.10 readers (Debian's hdf5-tools, h5py builds of that era)
 * read, and at least 1.8 so attributes over 64 KiB go to dense storage instead of failing.
 */
const LIBVER: ["v108", "v110"] = ["v108", "v110"];

export class H5FileWriter {
  private readonly datasets = new Map<string, DatasetSpec>();
  private readonly objectPaths = new Map<string, string>();
  private readonly references = new Map<string, Uint8Array>();

  private constructor(
    private readonly module: H5Module,
    private readonly file: InstanceType<typeof h5wasm.File>,
  ) {}

  /** Create a new file; fails if `path` exists. */
  static async create(path: string): Promise<H5FileWriter> {
    const module = await h5wasm.ready;
    module.activate_throwing_error_handler();
    const file = attempt(`create HDF5 file ${path}`, () => new h5wasm.File(path, "x", { libver: LIBVER }));
    return new H5FileWriter(module, file);
  }

  private get id(): bigint {
    return this.file.file_id;
  }

  createGroup(path: string, trackOrder: boolean): void {
    attempt(`create group ${path}`, () => this.module.create_group(this.id, path, trackOrder));
  }

  /**
   * Chunked datasets start empty and are resized to their extent, so values can follow block by block.
   * Contiguous ones (scalar, null, fixed empty extent) are written whole at once with zero elements.
   */
  createDataset(spec: DatasetSpec): void {
    attempt(`create dataset ${spec.path}`, () => {
      const chunked = spec.chunks !== undefined;
      const rank = spec.shape.length - spec.extraDims.length;
      const initial = chunked ? [...spec.shape.slice(0, rank).map(() => 0), ...spec.extraDims] : spec.shape;
      const elements = chunked ? 0 : product(spec.shape.slice(0, rank));
      const metadata = {
        ...this.typeMetadata(spec.type),
        shape: initial.map(BigInt),
        maxshape: spec.maxshape.map((m) => (m === null ? H5S_UNLIMITED : BigInt(m))),
        chunks: chunked ? spec.chunks!.map(BigInt) : null,
        compression: spec.filter?.id ?? 0,
        compression_opts: spec.filter?.cdValues ?? [],
        track_order: false,
      };
      const empty = convertElements(zeroElements(spec.conversion.steps, elements), spec.conversion, elements, () => undefined);
      this.withMemory(empty, (ptr) => this.module.create_dataset(this.id, spec.path, ptr, metadata as never));
      if (chunked) this.module.resize_dataset(this.id, spec.path, spec.shape.map(BigInt));
    });
    this.datasets.set(spec.path, spec);
  }

  /** Write HSDS bytes of the hyperslab `start`/`count` (over the HSDS extent); returns unresolved references. */
  writeBlock(path: string, start: number[], count: number[], data: Uint8Array): number {
    const spec = this.datasets.get(path);
    if (spec === undefined) throw new H5WriteError(`cannot write values of ${path}: the dataset was not created`);
    return attempt(`write values of ${path}`, () => {
      const converted = convertElements(data, spec.conversion, product(count), (id) => this.referenceTo(id));
      // Scalar datasets take no selection; the type's extra dimensions are always selected whole.
      const whole = count.length === 0;
      this.withMemory(converted, (ptr) =>
        this.module.set_dataset_data(
          this.id,
          path,
          whole ? null : [...count, ...spec.extraDims].map(BigInt),
          whole ? null : [...start, ...spec.extraDims.map(() => 0)].map(BigInt),
          whole ? null : spec.shape.map(() => 1n),
          ptr,
        ),
      );
      return converted.unresolvedReferences;
    });
  }

  /** Create an attribute from HSDS bytes; returns unresolved references. */
  createAttribute(spec: AttributeSpec): number {
    return attempt(`create attribute ${spec.name} of ${spec.objectPath}`, () => {
      const converted = convertElements(spec.value, spec.conversion, spec.elements, (id) => this.referenceTo(id));
      const metadata = { ...this.typeMetadata(spec.type), shape: spec.shape.map(BigInt), maxshape: spec.shape.map(BigInt) };
      this.withMemory(converted, (ptr) => this.module.create_attribute(this.id, spec.objectPath, spec.name, ptr, metadata as never));
      return converted.unresolvedReferences;
    });
  }

  hardLink(path: string, target: string): void {
    attempt(`create hard link ${path}`, () => this.module.create_hard_link(this.id, target, path));
  }

  softLink(path: string, target: string): void {
    attempt(`create soft link ${path}`, () => this.module.create_soft_link(this.id, target, path));
  }

  externalLink(path: string, file: string, target: string): void {
    attempt(`create external link ${path}`, () => this.module.create_external_link(this.id, file, target, path));
  }

  /** Where the domain object `id` is in the file, for object references. */
  registerObject(id: string, path: string): void {
    this.objectPaths.set(id, path);
  }

  /** Make a dataset a dimension scale; without a name it gets no NAME attribute. */
  makeScale(path: string, name: string | undefined): void {
    attempt(`make ${path} a dimension scale`, () => {
      this.module.set_scale(this.id, path, name ?? "");
      // H5DSset_scale writes NAME even for "", which the domain did not have.
      if (name === undefined) this.module.delete_attribute(this.id, path, "NAME");
    });
  }

  attachScale(path: string, dim: number, scale: string): void {
    attempt(`attach dimension scale ${scale} to dimension ${dim} of ${path}`, () => this.module.attach_scale(this.id, path, scale, dim));
  }

  close(): void {
    attempt("close the HDF5 file", () => this.file.close());
  }

  private referenceTo(id: string): Uint8Array | undefined {
    let ref = this.references.get(id);
    if (ref === undefined) {
      const path = this.objectPaths.get(id);
      if (path === undefined) return undefined;
      ref = Uint8Array.from(this.module.create_object_reference(this.id, path));
      this.references.set(id, ref);
    }
    return ref;
  }

  /** h5wasm's write metadata for a type (only the keys its create_h5_datatype_from_metadata reads). */
  private typeMetadata(type: H5TypeSpec): Record<string, unknown> {
    const classes = this.module.H5T_class_t;
    switch (type.kind) {
      case "integer":
        return { type: classes.H5T_INTEGER.value, size: type.size, signed: type.signed, vlen: false };
      case "float":
        return { type: classes.H5T_FLOAT.value, size: type.size, signed: false, vlen: false };
      case "string":
        return { type: classes.H5T_STRING.value, size: type.size, vlen: false, cset: type.utf8 ? 1 : 0 };
      case "vlen-string":
        return { type: classes.H5T_STRING.value, size: 4, vlen: true, cset: type.utf8 ? 1 : 0 };
      case "reference":
        return { type: classes.H5T_REFERENCE.value, size: this.module.SIZEOF_OBJ_REF, vlen: false };
      case "compound":
        return {
          type: classes.H5T_COMPOUND.value,
          size: type.size,
          vlen: false,
          compound_type: {
            nmembers: type.members.length,
            members: type.members.map((m) => ({ ...this.typeMetadata(m.type), name: m.name, offset: m.offset })),
          },
        };
    }
  }

  /**
   * Copy converted elements into the wasm heap (strings NUL-terminated, their pointers patched into the
   * slots), run `use` on the address, and free everything.
   */
  private withMemory<T>(converted: ConvertedElements, use: (ptr: bigint) => T): T {
    const m = this.module;
    const { bytes, strings, stringSlots } = converted;
    const ptr = m._malloc(Math.max(1, bytes.length));
    let stringsPtr = 0;
    try {
      m.HEAPU8.set(bytes, ptr);
      if (strings.length > 0) {
        stringsPtr = m._malloc(strings.reduce((total, s) => total + s.length + 1, 0));
        const heap = m.HEAPU8;
        const view = new DataView(heap.buffer);
        let at = stringsPtr;
        strings.forEach((s, i) => {
          heap.set(s, at);
          heap[at + s.length] = 0;
          view.setUint32(ptr + stringSlots[i]!, at, true);
          at += s.length + 1;
        });
      }
      return use(BigInt(ptr));
    } finally {
      if (stringsPtr !== 0) m._free(stringsPtr);
      m._free(ptr);
    }
  }
}

function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

/** Run an h5wasm call; its HDF5 error stack becomes one line: the operation and the innermost reason. */
function attempt<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (err) {
    if (err instanceof H5WriteError) throw err;
    throw new H5WriteError(`cannot ${what}: ${innermostReason(err)}`);
  }
}

/** The last "#NNN: … in Function(): reason" line of an HDF5 error stack, else the first line. */
function innermostReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const reasons = [...text.matchAll(/#\d+: .* in [\w.]+\(\): (.*)$/gm)].map((m) => m[1]!.trim());
  return reasons.at(-1) ?? text.split("\n")[0]!.trim();
}

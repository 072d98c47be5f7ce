/** The source file as a whole cannot be read: missing, unreadable, a directory, not HDF5, truncated. */
export class SourceFileError extends Error {
  override name = "SourceFileError";
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** One object of the source cannot be read or copied. */
export class SourceObjectError extends Error {
  override name = "SourceObjectError";
  constructor(
    readonly file: string,
    /** The HDF5 path of the object (with "@name" for an attribute). */
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${file}: ${path}: ${reason}`);
  }
}

/** What crosses the worker boundary for an error. */
export interface SerializedError {
  name: string;
  message: string;
  file?: string;
  path?: string;
  reason?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof SourceObjectError) return { name: err.name, message: err.message, file: err.file, path: err.path, reason: err.reason };
  if (err instanceof SourceFileError) return { name: err.name, message: err.message, file: err.file, reason: err.reason };
  return { name: err instanceof Error ? err.name : "Error", message: err instanceof Error ? err.message : String(err) };
}

/** The source-side error again; errors of other kinds come back as SourceFileError naming `file`. */
export function deserializeError(e: SerializedError, file: string): Error {
  if (e.name === "SourceObjectError") return new SourceObjectError(e.file!, e.path!, e.reason!);
  if (e.name === "SourceFileError") return new SourceFileError(e.file!, e.reason!);
  return new SourceFileError(file, e.message);
}

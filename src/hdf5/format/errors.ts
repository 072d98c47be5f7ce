/** A file that is not HDF5, is truncated, or uses a structure this reader does not handle. */
export class Hdf5FormatError extends Error {
  /**
   * @param file what the ByteSource calls itself (path or URI)
   * @param detail the structure at fault, with its version and address
   */
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = "Hdf5FormatError";
  }
}

/** File addresses in messages are printed the way h5debug prints them. */
export function hex(address: number): string {
  return `0x${address.toString(16)}`;
}

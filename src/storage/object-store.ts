// Keys and bytes, nothing else: the engine never knows whether a bucket is a directory, an S3
// bucket or memory.

export interface ObjectInfo {
  key: string;
  size: number;
  /** Seconds since the epoch, like HSDS timestamps. */
  lastModified: number;
}

export interface ObjectStore {
  /** undefined when the key does not exist (a zero-length object counts as absent, as in HSDS). */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Bytes [offset, offset+length) of an object; undefined when the key does not exist. */
  getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined>;
  /** Atomic: readers see the old or the new object, never a torn one. */
  put(key: string, data: Uint8Array): Promise<void>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with prefix, in no particular order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Immediate "sub-folders" of prefix (which ends with "/"), without the trailing "/", sorted. */
  listFolders(prefix: string): Promise<string[]>;
  /**
   * Hold `key` against other processes sharing this store for the duration of a read-modify-write
   * (within one process the engine serialises updates itself). Resolves to the release function.
   */
  lock(key: string): Promise<() => Promise<void>>;
}

/** The buckets an engine serves; HSDS keeps each bucket apart (a directory under root_dir, or an S3 bucket). */
export interface BucketProvider {
  bucket(name: string): ObjectStore;
}

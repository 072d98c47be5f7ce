import { jsonBytes, parseJsonBytes } from "../model/json.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { DatasetDoc, DatatypeDoc, DomainDoc, GroupDoc, ObjectDoc } from "./documents.js";
import { domainKey } from "./domain-name.js";
import { HttpError } from "./http-error.js";
import { classOfId, objectKey } from "./ids.js";
import { exclusive, KeyedLock } from "./keyed-lock.js";

/** JSON documents of one bucket, with per-key serialisation of updates. */
export class MetadataStore {
  constructor(
    readonly store: ObjectStore,
    private readonly locks: KeyedLock,
  ) {}

  async read<T>(key: string): Promise<T | undefined> {
    const bytes = await this.store.get(key);
    if (!bytes) return undefined;
    try {
      return parseJsonBytes(bytes) as T;
    } catch (err) {
      throw new HttpError(500, `corrupt JSON in ${key}: ${(err as Error).message}`);
    }
  }

  write(key: string, doc: unknown): Promise<void> {
    return this.store.put(key, jsonBytes(doc));
  }

  /** Read, change and write one document with no other update of that key in between. */
  update<T>(key: string, change: (doc: T) => T | Promise<T>, missing: () => HttpError): Promise<T> {
    return exclusive(this.locks, this.store, key, async () => {
      const doc = await this.read<T>(key);
      if (!doc) throw missing();
      const next = await change(doc);
      await this.write(key, next);
      return next;
    });
  }

  /** Write a new document; 409 if the key already holds one. */
  create<T>(key: string, build: () => Promise<T>): Promise<T> {
    return exclusive(this.locks, this.store, key, async () => {
      if (await this.store.get(key)) throw new HttpError(409, "Conflict: resource exists");
      const doc = await build();
      await this.write(key, doc);
      return doc;
    });
  }

  domain(path: string): Promise<DomainDoc | undefined> {
    return this.read<DomainDoc>(domainKey(path));
  }

  object<T extends ObjectDoc = ObjectDoc>(id: string): Promise<T | undefined> {
    return this.read<T>(objectKey(id));
  }

  async group(id: string): Promise<GroupDoc> {
    return this.required<GroupDoc>(id);
  }

  async dataset(id: string): Promise<DatasetDoc> {
    return this.required<DatasetDoc>(id);
  }

  async datatype(id: string): Promise<DatatypeDoc> {
    return this.required<DatatypeDoc>(id);
  }

  private async required<T extends ObjectDoc>(id: string): Promise<T> {
    const doc = await this.object<T>(id);
    if (!doc) throw new HttpError(404, `${classOfId(id) ?? "object"} ${id} not found`);
    return doc;
  }

  updateObject<T extends ObjectDoc>(id: string, change: (doc: T) => T | Promise<T>): Promise<T> {
    return this.update<T>(objectKey(id), change, () => new HttpError(404, `${classOfId(id) ?? "object"} ${id} not found`));
  }
}

// The ledger of an aggregated domain in the domain itself: an anonymous (unlinked) 1-D extensible dataset of
// UTF-8 strings, one JSON record per element (ledger-records.ts), found through the root attribute
// `_hsds_tools_ledger`, an object reference to it. Records are appended (a resize, then one write) and changed
// in place (one one-element write); only the holder of the domain's lock writes. It is created linked under
// that name in the root group and unlinked once the attribute names it, so that a run stopped in between
// leaves a ledger the next run finds, not an orphan.
import type { DomainHandle } from "../client/hsds-client.js";
import type { AttributeDefinition } from "../client/hsds-types.js";
import { ignoreMissing, unlessMissing } from "./aggregate-missing.js";
import { LEDGER_ATTRIBUTE, UTF8_TEXT } from "./internal-attributes.js";
import { type Indexed, type LedgerRecord, LedgerError, parseLedger, serializeRecord } from "./ledger-records.js";

const REFERENCE_PREFIX = "datasets/";

export class Ledger {
  private constructor(
    private readonly domain: DomainHandle,
    readonly id: string,
    private extent: number,
    readonly records: Indexed<LedgerRecord>[],
    /** Still linked in the root group (its creation was cut short, or it is being created). */
    private linked: boolean,
  ) {}

  /** The domain's ledger, or undefined when no aggregate load has written one. */
  static async open(domain: DomainHandle, rootId: string): Promise<Ledger | undefined> {
    const [value, linkedId] = await Promise.all([referenceValue(domain, rootId), linkTarget(domain, rootId)]);
    if (value === undefined && linkedId === undefined) return undefined;
    if (value !== undefined && (typeof value !== "string" || !value.startsWith(REFERENCE_PREFIX))) {
      throw new LedgerError(`the ${LEDGER_ATTRIBUTE} attribute of ${domain.path} is not a dataset reference`);
    }
    const id = value !== undefined ? (value as string).slice(REFERENCE_PREFIX.length) : linkedId!;
    const info = await domain.getDataset(id);
    const extent = info.shape.dims?.[0] ?? 0;
    const elements = extent === 0 ? [] : ((await domain.readValueJson(id)) as string[]);
    return new Ledger(domain, id, extent, parseLedger(elements, domain.path), linkedId !== undefined);
  }

  /** A new, empty ledger, ready for records. */
  static async create(domain: DomainHandle, rootId: string): Promise<Ledger> {
    const created = await domain.createDataset({ type: UTF8_TEXT, shape: [0], maxdims: [0], link: { id: rootId, name: LEDGER_ATTRIBUTE } });
    const ledger = new Ledger(domain, created.id, 0, [], true);
    await ledger.settle(rootId);
    return ledger;
  }

  /** Make the root attribute name the ledger, and unlink it: what create() began, if a run stopped half-way. */
  async settle(rootId: string): Promise<void> {
    if (!this.linked) return;
    const reference: AttributeDefinition = { type: { class: "H5T_REFERENCE", base: "H5T_STD_REF_OBJ" }, shape: [], value: `${REFERENCE_PREFIX}${this.id}` };
    await this.domain.putAttribute(rootId, LEDGER_ATTRIBUTE, reference);
    await ignoreMissing(() => this.domain.deleteLink(rootId, LEDGER_ATTRIBUTE));
    this.linked = false;
  }

  /** Append records; returns their indices. */
  async append(records: readonly LedgerRecord[]): Promise<number[]> {
    if (records.length === 0) return [];
    const start = this.extent;
    const end = start + records.length;
    await this.domain.resizeDataset(this.id, [end]);
    this.extent = end;
    await this.domain.writeValueJson(this.id, records.map(serializeRecord), { select: `[${start}:${end}]` });
    return records.map((record, i) => {
      this.records.push({ index: start + i, record });
      return start + i;
    });
  }

  /** Replace the record at `index`. */
  async rewrite(index: number, record: LedgerRecord): Promise<void> {
    await this.domain.writeValueJson(this.id, [serializeRecord(record)], { select: `[${index}:${index + 1}]` });
    const known = this.records.find((r) => r.index === index);
    if (known) known.record = record;
    else this.records.push({ index, record });
  }
}

/** The root attribute's value (null when it has none), or undefined without the attribute. */
async function referenceValue(domain: DomainHandle, rootId: string): Promise<unknown> {
  const attribute = await unlessMissing(() => domain.getAttribute(rootId, LEDGER_ATTRIBUTE));
  return attribute && (attribute.value ?? null);
}

async function linkTarget(domain: DomainHandle, rootId: string): Promise<string | undefined> {
  return (await unlessMissing(() => domain.getLink(rootId, LEDGER_ATTRIBUTE)))?.id;
}

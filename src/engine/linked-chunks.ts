// Reading the chunks of a linked dataset from its HDF5 source files (hsds-reference §5.3): byte
// ranges located by the reference layout, decoded with the dataset's filters as an HDF5 pipeline,
// hyper-chunks assembled into one HSDS chunk; unallocated pieces keep the fill value.
import { hdf5ChunkDecoder, type Hdf5ChunkDecoder, type Hdf5Filter } from "../codecs/hdf5-chunk.js";
import { hsdsFilterToHdf5, type HsdsFilter } from "../codecs/filters.js";
import { BITSHUFFLE_HDF5_COMPRESSION } from "../codecs/bitshuffle.js";
import { product } from "../model/datatype.js";
import { chunksOfSelection, copyBetween, selectAll, type Selection } from "../model/selection.js";
import { unravel } from "../model/shape.js";
import { decodeElements } from "../model/values.js";
import type { ByteSource } from "../hdf5/byte-source.js";
import { DatasetChunks, type ChunkData } from "./chunk-io.js";
import type { ChunkSource } from "./chunk-source.js";
import { datasetView, type DatasetView } from "./dataset-view.js";
import type { LayoutJson } from "./documents.js";
import { HttpError, LINKED_SOURCE_FAILED } from "./http-error.js";
import type { KeyedLock } from "./keyed-lock.js";
import type { LinkedFileOpener } from "./linked-files.js";
import type { MetadataStore } from "./metadata.js";
import { readSelection } from "./value-io.js";

/** HSDS reads neighbouring pieces of one chunk with one range read when they are this close. */
const MAX_RANGE_GAP = 1024;

interface Piece {
  /** Position of the piece (an HDF5 chunk) inside the HSDS chunk, in units of the piece shape. */
  at: number[];
  uri: string;
  offset: number;
  size: number;
}

/** The HDF5 pipeline that undoes the HSDS filter list of a linked dataset. */
function linkedPipeline(filters: HsdsFilter[]): Hdf5Filter[] {
  return filters.map((entry) => {
    const mapped = hsdsFilterToHdf5(entry);
    if (!mapped.filter) throw new HttpError(500, `linked data filter cannot be decoded: ${mapped.reason}`);
    // HSDS decodes bitshuffle as bitshuffle-LZ4: give the decoder the cd_values a file would hold.
    if (mapped.filter.id === 32008) return { ...mapped.filter, cdValues: [0, 0, 0, 0, BITSHUFFLE_HDF5_COMPRESSION.lz4] };
    return mapped.filter;
  });
}

export class LinkedChunks implements ChunkSource {
  private readonly layout: LayoutJson;
  private readonly pieceDims: number[];
  private readonly decoder: Hdf5ChunkDecoder | undefined;
  private readonly files = new Map<string, Promise<ByteSource>>();
  private table: Promise<{ view: DatasetView; chunks: DatasetChunks }> | undefined;

  constructor(
    readonly view: DatasetView,
    private readonly meta: MetadataStore,
    private readonly locks: KeyedLock,
    private readonly opener: LinkedFileOpener,
  ) {
    this.layout = view.linkedLayout!;
    const hyper = this.layout.hyper_dims as number[] | undefined;
    this.pieceDims = this.layout.class === "H5D_CONTIGUOUS_REF" ? view.chunkDims : (hyper ?? view.chunkDims);
    const pieceBytes = product(this.pieceDims) * view.itemSize!;
    this.decoder = view.filters.length > 0 ? hdf5ChunkDecoder(linkedPipeline(view.filters), { itemSize: view.itemSize!, chunkBytes: pieceBytes }) : undefined;
  }

  async readOrFill(index: readonly number[]): Promise<ChunkData> {
    const pieces = await this.piecesOf(index);
    const chunk = new DatasetChunks(this.view, this.meta.store, this.locks).filled() as Uint8Array;
    if (pieces.length === 0) return chunk;
    const whole = this.pieceDims.every((d, i) => d === this.view.chunkDims[i]);
    const decoded = await this.readPieces(pieces);
    if (whole) return decoded[0]!;
    const placement = new Map(
      [...chunksOfSelection(selectAll(this.view.chunkDims), this.view.chunkDims, this.pieceDims)].map((part) => [part.index.join("_"), part]),
    );
    pieces.forEach((piece, i) => copyBetween(decoded[i]!, chunk, placement.get(piece.at.join("_"))!, this.view.itemSize!, "read"));
    return chunk;
  }

  async close(): Promise<void> {
    const opened = await Promise.allSettled(this.files.values());
    await Promise.all(opened.map((o) => (o.status === "fulfilled" ? o.value.close() : undefined)));
  }

  /** The byte ranges that make up HSDS chunk `index`. */
  private async piecesOf(index: readonly number[]): Promise<Piece[]> {
    const { layout, view } = this;
    const uri = layout.file_uri as string | undefined;
    switch (layout.class) {
      case "H5D_CONTIGUOUS_REF": {
        const size = Number(layout.size ?? 0);
        if (size === 0) return [];
        let offset = Number(layout.offset);
        let stride = view.itemSize!;
        for (let d = view.dims.length - 1; d >= 0; d--) {
          offset += index[d]! * view.chunkDims[d]! * stride;
          stride *= view.dims[d]!;
        }
        const length = product(view.chunkDims) * view.itemSize!;
        const end = Math.min(offset + length, Number(layout.offset) + size);
        return end > offset ? [{ at: index.map(() => 0), uri: uri!, offset, size: end - offset }] : [];
      }
      case "H5D_CHUNKED_REF": {
        const entry = (layout.chunks as Record<string, [number, number]> | undefined)?.[index.join("_")];
        return entry && Number(entry[1]) > 0 ? [{ at: index.map(() => 0), uri: uri!, offset: Number(entry[0]), size: Number(entry[1]) }] : [];
      }
      default:
        return this.tablePieces(index, uri);
    }
  }

  private async tablePieces(index: readonly number[], layoutUri: string | undefined): Promise<Piece[]> {
    this.table ??= this.meta.dataset(this.layout.chunk_table as string).then((doc) => {
      const view = datasetView(doc);
      return { view, chunks: new DatasetChunks(view, this.meta.store, this.locks) };
    });
    const { view: tableView, chunks } = await this.table;
    const factor = this.view.chunkDims.map((d, i) => d / this.pieceDims[i]!);
    const sel: Selection = index.map((c, d) => {
      const start = c * factor[d]!;
      return { kind: "slice", start, stop: Math.min(start + factor[d]!, tableView.dims[d]!), step: 1 };
    });
    if (sel.some((s) => s.kind === "slice" && s.stop <= s.start)) return [];
    const data = await readSelection(chunks, sel);
    const count = sel.reduce((n, s) => n * (s.kind === "slice" ? s.stop - s.start : 1), 1);
    const rows = Array.isArray(data) ? data.map((e) => decodeElements(e, tableView.type, 1)[0]) : decodeElements(data, tableView.type, count);
    const extents = sel.map((s) => (s.kind === "slice" ? s.stop - s.start : 1));
    const pieces: Piece[] = [];
    rows.forEach((row, n) => {
      const [offset, size, rowUri] = row as [number | bigint, number, string | undefined];
      if (Number(size) <= 0) return;
      const at = unravel(n, extents);
      const pieceUri = layoutUri ?? rowUri;
      if (!pieceUri) throw new HttpError(500, `chunk table of dataset ${this.view.id} names no file for chunk ${at.join(",")}`);
      pieces.push({ at, uri: pieceUri, offset: Number(offset), size: Number(size) });
    });
    return pieces;
  }

  private file(uri: string): Promise<ByteSource> {
    let source = this.files.get(uri);
    if (!source) {
      source = this.opener.open(uri);
      this.files.set(uri, source);
    }
    return source;
  }

  /** Read and decode pieces; neighbours in the same file come in one range read. */
  private async readPieces(pieces: Piece[]): Promise<Uint8Array[]> {
    const order = pieces.map((_, i) => i).sort((a, b) => pieces[a]!.uri.localeCompare(pieces[b]!.uri) || pieces[a]!.offset - pieces[b]!.offset);
    const raw = new Array<Uint8Array>(pieces.length);
    let run: number[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      const first = pieces[run[0]!]!;
      const last = pieces[run.at(-1)!]!;
      const source = await this.file(first.uri);
      const bytes = await source.read(first.offset, last.offset + last.size - first.offset);
      for (const i of run) {
        const p = pieces[i]!;
        const slice = bytes.subarray(p.offset - first.offset, p.offset - first.offset + p.size);
        // Requests never reach beyond the data the layout names: a short read is a truncated file.
        if (slice.length < p.size) {
          throw new HttpError(LINKED_SOURCE_FAILED, `linked file ${p.uri} is truncated: data at ${p.offset} needs ${p.size} bytes, found ${slice.length}`);
        }
        raw[i] = slice;
      }
      run = [];
    };
    for (const i of order) {
      const prev = run.length > 0 ? pieces[run.at(-1)!]! : undefined;
      const p = pieces[i]!;
      if (prev && (prev.uri !== p.uri || p.offset - (prev.offset + prev.size) > MAX_RANGE_GAP)) await flush();
      run.push(i);
    }
    await flush();
    return Promise.all(raw.map((bytes, i) => this.decode(bytes, pieces[i]!)));
  }

  private async decode(bytes: Uint8Array, piece: Piece): Promise<Uint8Array> {
    const expected = product(this.pieceDims) * this.view.itemSize!;
    if (!this.decoder) {
      if (bytes.length === expected) return bytes;
      // Contiguous data ends where the dataset ends: the rest of the last chunk is beyond the edge.
      const padded = new Uint8Array(expected);
      padded.set(bytes.subarray(0, expected));
      return padded;
    }
    try {
      return await this.decoder.decode(bytes);
    } catch (err) {
      throw new HttpError(LINKED_SOURCE_FAILED, `linked chunk at ${piece.offset} of ${piece.uri} cannot be decoded: ${(err as Error).message}`);
    }
  }
}

/**
 * ObjectReader for Parquet objects: footer and statistics via hyparquet (ranges of the Blob),
 * row groups pruned against the fragment filter, then pages decoded by our own decoder
 * (parquet-chunk-decoder.ts: flat columns, PLAIN and dictionary pages, the usual codecs) straight
 * into Arrow buffers. Whatever it does not handle, or gives up on, goes to parquet-wasm (in a
 * worker, see parquet-decoder.ts) a few row groups at a time so its memory, which never shrinks,
 * stays bounded, then to apache-arrow as an IPC stream, normalized to our column types.
 */
import diagnostics from 'node:diagnostics_channel';
import { debuglog } from 'node:util';
import { tableFromIPC, type Data, type RecordBatch } from 'apache-arrow';
import { CancelledError, CorruptDataError, InvalidArgumentError } from '@pushdown/proto';
import type { Schema } from '../plan/types.js';
import type { ObjectReader, ScanCounters, ScanOptions } from './object-reader.js';
import { arrowSchemaOf, batchOf } from './arrow-schema.js';
import { decodeRowGroups } from './parquet-decoder.js';
import { normalizeColumn } from './parquet-normalize.js';
import { pruneRowGroups } from './parquet-pruning.js';
import {
  readParquetMetadata,
  type ParquetColumnInfo,
  type ParquetObjectMetadata,
} from './parquet-metadata.js';
import { codecsReady, UnsupportedPageError } from './parquet-codecs.js';
import { PageFormatError } from './parquet-page-header.js';
import { decodeRowGroup, nativeRowGroup, readChunks, type NativeChunk } from './parquet-native-row-group.js';
import { byteSourceOf, type ByteSource } from './parquet-byte-source.js';
import { resolveBatchRows, resolveColumns } from './scan-options.js';

/** Decoded bytes (uncompressed column chunks) one parquet-wasm read may cover. */
const READ_BUDGET_BYTES = 64 * 2 ** 20;
const MIN_DECODE_BATCH = 65_536;
const debug = debuglog('pushdown:parquet');

/** Which decoder a scan may use (OpenObjectOptions.parquetDecoder). */
export type ParquetDecoderChoice = 'auto' | 'parquet-wasm';

/**
 * Published once per decoded run of row groups when someone subscribes: which decoder read them
 * and, for a fallback from our own decoder, why.
 */
export interface ParquetDecodeEvent {
  readonly rowGroups: readonly number[];
  readonly decoder: 'native' | 'parquet-wasm';
  readonly reason?: string;
}
export const parquetDecodeChannel = diagnostics.channel('pushdown:parquet:decode');

export class ParquetObjectReader implements ObjectReader {
  readonly format = 'parquet' as const;
  private meta: Promise<ParquetObjectMetadata> | null = null;

  constructor(
    private readonly blob: Blob,
    private readonly decoder: ParquetDecoderChoice = 'auto',
  ) {
    if (decoder !== 'auto' && decoder !== 'parquet-wasm')
      throw new InvalidArgumentError(
        `parquetDecoder must be "auto" or "parquet-wasm", not "${String(decoder)}"`,
      );
  }

  /** The mapped footer (cached). */
  metadata(): Promise<ParquetObjectMetadata> {
    this.meta ??= readParquetMetadata(this.blob);
    return this.meta;
  }

  async schema(): Promise<Schema> {
    return (await this.metadata()).schema;
  }

  async numRows(): Promise<number | null> {
    return (await this.metadata()).numRows;
  }

  async *scan(options: ScanOptions, counters: ScanCounters): AsyncGenerator<RecordBatch> {
    const meta = await this.metadata();
    for (const name of options.columns) {
      const u = meta.unsupported.find((x) => x.name === name);
      if (u)
        throw new InvalidArgumentError(`column ${name} of this Parquet object cannot be read: ${u.reason}`);
    }
    const outputs = resolveColumns(meta.schema, options.columns, 'Parquet object');
    const batchRows = resolveBatchRows(options.batchRows);
    const groups = meta.metadata.row_groups;
    for (const rg of options.rowGroups ?? []) {
      if (!Number.isInteger(rg) || rg < 0 || rg >= groups.length) {
        throw new InvalidArgumentError(`row group ${rg} does not exist (the object has ${groups.length})`);
      }
    }
    const keep = pruneRowGroups(meta, options.filter, options.rowGroups);
    counters.rowGroupsTotal += options.rowGroups?.length ?? groups.length;
    counters.rowGroupsScanned += keep.length;
    const fields = outputs.map((i) => meta.columns[i]!);
    const arrowSchema = arrowSchemaOf(fields.map((c) => c.field));

    if (fields.length === 0) {
      // Nothing to decode: row counts come from the footer.
      for (const rg of keep) {
        let left = Number(groups[rg]!.num_rows);
        counters.rowsScanned += left;
        while (left > 0) {
          const n = Math.min(left, batchRows);
          left -= n;
          yield batchOf(arrowSchema, n, []);
        }
      }
      return;
    }

    for (const rg of keep) {
      for (const c of fields)
        counters.bytesScanned += Number(groups[rg]!.columns[c.leaf]?.meta_data?.total_compressed_size ?? 0);
    }
    const unique = [...new Map(fields.map((c) => [c.leaf, c])).values()];
    const native = keep.map((rg) => (this.decoder === 'auto' ? nativeRowGroup(meta, rg, unique) : null));
    if (native.some((n) => n !== null)) await codecsReady();
    const emit = function* (rows: number, columns: readonly Data[]): Generator<RecordBatch> {
      const byLeaf = new Map(unique.map((c, i) => [c.leaf, columns[i]!]));
      const whole = batchOf(
        arrowSchema,
        rows,
        fields.map((c) => byLeaf.get(c.leaf)!),
      );
      counters.rowsScanned += rows;
      for (let a = 0; a < rows; a += batchRows) {
        yield a === 0 && rows <= batchRows ? whole : whole.slice(a, Math.min(rows, a + batchRows));
      }
    };

    // Row groups our decoder takes, one at a time with the next one's bytes read meanwhile;
    // runs of the others (and any row group it gives up on) go to parquet-wasm.
    const source = native.some((n) => n !== null) ? await byteSourceOf(this.blob) : null;
    try {
      yield* this.scanRowGroups(keep, native, source, unique, batchRows, counters, options.signal, emit);
    } finally {
      await source?.close();
    }
  }

  private async *scanRowGroups(
    keep: readonly number[],
    native: readonly (NativeChunk[] | null)[],
    source: ByteSource | null,
    unique: readonly ParquetColumnInfo[],
    batchRows: number,
    counters: ScanCounters,
    signal: AbortSignal | undefined,
    emit: (rows: number, columns: readonly Data[]) => Generator<RecordBatch>,
  ): AsyncGenerator<RecordBatch> {
    const meta = await this.metadata();
    const groups = meta.metadata.row_groups;
    let prefetched: Prefetched | null = null;
    let i = 0;
    while (i < keep.length) {
      if (signal?.aborted) throw new CancelledError('Parquet scan cancelled');
      const chunks = native[i];
      if (!chunks) {
        let j = i;
        while (j < keep.length && !native[j]) j++;
        for (const part of planReads(
          meta,
          keep.slice(i, j),
          unique.map((c) => c.leaf),
        )) {
          if (signal?.aborted) throw new CancelledError('Parquet scan cancelled');
          if (parquetDecodeChannel.hasSubscribers)
            parquetDecodeChannel.publish({
              rowGroups: part,
              decoder: 'parquet-wasm',
            } satisfies ParquetDecodeEvent);
          yield* this.wasmRowGroups(part, unique, batchRows, counters, emit);
        }
        i = j;
        continue;
      }
      const t0 = performance.now();
      let decoded: { columns: Data[]; bytesWritten: number } | null = null;
      let reason: string | undefined;
      try {
        const ahead: Prefetched | null = prefetched;
        const slot = i % 2;
        const bytes = await (ahead && ahead.rg === keep[i]
          ? ahead.bytes
          : readChunks(source!, this.blob.size, chunks, slot));
        const nextChunks = native[i + 1];
        prefetched = nextChunks
          ? prefetch(source!, this.blob.size, keep[i + 1]!, nextChunks, 1 - slot)
          : null;
        decoded = decodeRowGroup(chunks, bytes);
      } catch (cause) {
        if (!(
          cause instanceof PageFormatError ||
          cause instanceof UnsupportedPageError ||
          cause instanceof RangeError
        ))
          throw cause;
        reason = messageOf(cause);
        debug('row group %d: own decoder gave up (%s); parquet-wasm reads it', keep[i], reason);
      }
      if (parquetDecodeChannel.hasSubscribers) {
        const event: ParquetDecodeEvent = decoded
          ? { rowGroups: [keep[i]!], decoder: 'native' }
          : { rowGroups: [keep[i]!], decoder: 'parquet-wasm', reason: reason ?? '' };
        parquetDecodeChannel.publish(event);
      }
      if (decoded) {
        counters.bytesCopied += decoded.bytesWritten;
        counters.decodeMs += performance.now() - t0;
        yield* emit(Number(groups[keep[i]!]!.num_rows), decoded.columns);
      } else yield* this.wasmRowGroups([keep[i]!], unique, batchRows, counters, emit);
      i++;
    }
  }

  /** Row groups `part` through parquet-wasm (in its worker), normalized to our column types. */
  private async *wasmRowGroups(
    part: number[],
    unique: readonly ParquetColumnInfo[],
    batchRows: number,
    counters: ScanCounters,
    emit: (rows: number, columns: readonly Data[]) => Generator<RecordBatch>,
  ): AsyncGenerator<RecordBatch> {
    const t0 = performance.now();
    let ipc: Uint8Array;
    try {
      ipc = await decodeRowGroups(this.blob, {
        rowGroups: part,
        columns: unique.map((c) => c.field.name),
        batchSize: Math.max(batchRows, MIN_DECODE_BATCH),
      });
    } catch (cause) {
      throw new CorruptDataError(
        `corrupt Parquet data in row group${part.length > 1 ? 's' : ''} ${part.join(', ')}: ${messageOf(cause)}`,
        { cause },
      );
    }
    counters.bytesCopied += ipc.byteLength;
    const decoded = tableFromIPC(ipc);
    counters.decodeMs += performance.now() - t0;
    for (const batch of decoded.batches) {
      const t1 = performance.now();
      const columns = unique.map((c) => {
        const child = batch.getChild(c.field.name);
        if (!child) throw new CorruptDataError(`Parquet decoder returned no column ${c.field.name}`);
        const n = normalizeColumn(child.data[0]!, c.field.type, c.field.name);
        counters.bytesCopied += n.copiedBytes;
        return n.data;
      });
      counters.decodeMs += performance.now() - t1;
      yield* emit(batch.numRows, columns);
    }
  }
}

interface Prefetched {
  readonly rg: number;
  readonly bytes: Promise<Uint8Array[]>;
}

function prefetch(
  source: ByteSource,
  size: number,
  rg: number,
  chunks: readonly NativeChunk[],
  slot: number,
): Prefetched {
  const bytes = readChunks(source, size, chunks, slot);
  // Awaited (and its failure handled) only when the scan gets there; don't let an early stop
  // turn it into an unhandled rejection.
  bytes.catch(() => undefined);
  return { rg, bytes };
}

/** Consecutive runs of row groups whose requested columns decode to at most READ_BUDGET_BYTES. */
function planReads(
  meta: ParquetObjectMetadata,
  rowGroups: readonly number[],
  leaves: readonly number[],
): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  for (const rg of rowGroups) {
    const g = meta.metadata.row_groups[rg]!;
    const size = leaves.reduce(
      (s, l) => s + Number(g.columns[l]?.meta_data?.total_uncompressed_size ?? 0),
      0,
    );
    if (cur.length > 0 && bytes + size > READ_BUDGET_BYTES) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(rg);
    bytes += size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

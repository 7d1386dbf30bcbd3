/**
 * ObjectReader for Parquet objects: footer and statistics via hyparquet (ranges of the Blob),
 * row groups pruned against the fragment filter, pages decoded by parquet-wasm (in a worker, see
 * parquet-decoder.ts) a few row groups at a time so its memory, which never shrinks, stays
 * bounded, then handed to apache-arrow as an IPC stream and normalized to our column types.
 */
import { tableFromIPC, type RecordBatch } from 'apache-arrow';
import { CancelledError, CorruptDataError, InvalidArgumentError } from '@pushdown/proto';
import type { Schema } from '../plan/types.js';
import type { ObjectReader, ScanCounters, ScanOptions } from './object-reader.js';
import { arrowSchemaOf, batchOf } from './arrow-schema.js';
import { decodeRowGroups } from './parquet-decoder.js';
import { normalizeColumn } from './parquet-normalize.js';
import { pruneRowGroups } from './parquet-pruning.js';
import { readParquetMetadata, type ParquetObjectMetadata } from './parquet-metadata.js';
import { resolveBatchRows, resolveColumns } from './scan-options.js';

/** Decoded bytes (uncompressed column chunks) one parquet-wasm read may cover. */
const READ_BUDGET_BYTES = 64 * 2 ** 20;
const MIN_DECODE_BATCH = 65_536;

export class ParquetObjectReader implements ObjectReader {
  readonly format = 'parquet' as const;
  private meta: Promise<ParquetObjectMetadata> | null = null;

  constructor(private readonly blob: Blob) {}

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
    const names = [...new Set(fields.map((c) => c.field.name))];

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

    for (const part of planReads(
      meta,
      keep,
      fields.map((c) => c.leaf),
    )) {
      if (options.signal?.aborted) throw new CancelledError('Parquet scan cancelled');
      for (const rg of part) {
        for (const c of fields)
          counters.bytesScanned += Number(groups[rg]!.columns[c.leaf]?.meta_data?.total_compressed_size ?? 0);
      }
      const t0 = performance.now();
      let ipc: Uint8Array;
      try {
        ipc = await decodeRowGroups(this.blob, {
          rowGroups: part,
          columns: names,
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
        const columns = fields.map((c) => {
          const child = batch.getChild(c.field.name);
          if (!child) throw new CorruptDataError(`Parquet decoder returned no column ${c.field.name}`);
          const n = normalizeColumn(child.data[0]!, c.field.type, c.field.name);
          counters.bytesCopied += n.copiedBytes;
          return n.data;
        });
        const whole = batchOf(arrowSchema, batch.numRows, columns);
        counters.rowsScanned += batch.numRows;
        counters.decodeMs += performance.now() - t1;
        for (let a = 0; a < batch.numRows; a += batchRows) {
          yield a === 0 && batch.numRows <= batchRows
            ? whole
            : whole.slice(a, Math.min(batch.numRows, a + batchRows));
        }
      }
    }
  }
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

/**
 * What the generator needs to know about one TPC-H table: its schema and how to make its rows.
 *
 * Rows are made per *unit*: the smallest piece with its own random stream (an order for
 * lineitem, a row for the flat tables). Parts are contiguous unit ranges, and a unit's rows
 * depend only on (seed, unit index), so any split gives the same rows in the same order.
 */
import type { ColumnBatch, GenSchema } from './column-batch.js';

export interface UnitFiller {
  /** Appends every row of `unit` to `batch` (which has room for `maxRowsPerUnit` more rows). */
  fill(batch: ColumnBatch, unit: number): void;
}

export interface TableGenerator {
  readonly name: string;
  readonly schema: GenSchema;
  /** What one unit is, for messages ("order"). */
  readonly unitName: string;
  /** Upper bound of rows one unit yields; batches keep this much headroom. */
  readonly maxRowsPerUnit: number;
  /** Average utf8 bytes per row over all string columns; sizes the first buffers. */
  readonly utf8BytesPerRow: number;
  /** Units at scale factor `sf`. */
  unitCount(sf: number): number;
  /** Exact rows of units [from, to), computed cheaply (used for progress totals). */
  rowCount(sf: number, seed: number, from: number, to: number): number;
  /** A filler bound to one scale factor and seed. */
  open(sf: number, seed: number): UnitFiller;
}

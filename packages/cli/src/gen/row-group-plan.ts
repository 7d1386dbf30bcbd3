/**
 * Where each row group of each part begins in the row stream. Row groups hold exactly
 * `groupRows` rows (the last of a part fewer), cut from the part's seed-determined rows, so a
 * group boundary can fall inside a unit (an order's lines). A job names the unit its first row
 * comes from and how many of that unit's rows belong to the group before: a worker regenerates
 * those units from (seed, unit index) alone, without the rows before them. The cut does not
 * depend on the thread count, so neither do the files.
 *
 * The plan is walked lazily, one unit row count (one hash) per unit, so memory stays constant
 * whatever the scale factor.
 */
import type { GenOptions } from './options.js';
import type { PartRange } from './part-plan.js';
import type { TableGenerator } from './table-generator.js';

export interface RowGroupJob {
  /** Position in the whole run (parts in order, then groups): results are written in this order. */
  readonly seq: number;
  readonly part: number;
  /** Index of the group within its part. */
  readonly group: number;
  /** The unit holding the group's first row. */
  readonly fromUnit: number;
  /** Rows of `fromUnit` that belong to the previous group. */
  readonly skip: number;
  /** Rows in this group (> 0). */
  readonly rows: number;
  /** Last group of its part: the part's files are finished after it. */
  readonly last: boolean;
}

/** Rows per job: a Parquet row group, or `batchRows` when only CSV is written. */
export function groupRowsOf(options: GenOptions): number {
  return options.formats.includes('parquet') ? options.rowGroupSize : options.batchRows;
}

export function* rowGroupJobs(
  table: TableGenerator,
  options: GenOptions,
  ranges: readonly PartRange[],
): Generator<RowGroupJob> {
  const size = groupRowsOf(options);
  const rowsOf = (unit: number): number => table.rowCount(options.sf, options.seed, unit, unit + 1);
  let seq = 0;
  for (const range of ranges) {
    let unit = range.from;
    let used = 0; // rows of `unit` already in earlier groups
    let unitRows = unit < range.to ? rowsOf(unit) : 0;
    for (let group = 0; unit < range.to; group++) {
      const fromUnit = unit;
      const skip = used;
      let need = size;
      while (need > 0 && unit < range.to) {
        const left = unitRows - used;
        if (left > need) {
          used += need;
          need = 0;
        } else {
          need -= left;
          used = 0;
          unit++;
          unitRows = unit < range.to ? rowsOf(unit) : 0;
        }
      }
      yield {
        seq: seq++,
        part: range.part,
        group,
        fromUnit,
        skip,
        rows: size - need,
        last: unit >= range.to,
      };
    }
  }
}

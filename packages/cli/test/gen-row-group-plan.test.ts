/**
 * The row-group cut (row-group-plan.ts): groups of exactly `rowGroupSize` rows (the last of a
 * part fewer), contiguous, starting inside an order where the previous group ended, per part.
 * A wrong `skip` or `fromUnit` would duplicate or drop an order's lines in the stitched file.
 */
import { resolveGenOptions } from '../src/gen/options.js';
import { partRange } from '../src/gen/part-plan.js';
import { rowGroupJobs, groupRowsOf } from '../src/gen/row-group-plan.js';
import { getTable } from '../src/gen/table-registry.js';

const table = getTable('lineitem');

function plan(extra: { parts?: number; rowGroupSize?: number; formats?: string; batchRows?: number }) {
  const options = resolveGenOptions({
    table: 'lineitem',
    sf: 0.002,
    threads: 1,
    rowGroupSize: 1024,
    ...extra,
  });
  const units = table.unitCount(options.sf);
  const ranges = Array.from({ length: options.parts }, (_, p) => partRange(units, options.parts, p));
  return { options, ranges, jobs: [...rowGroupJobs(table, options, ranges)] };
}

describe('row-group plan', () => {
  it.each([1, 3])('cuts %i part(s) into full groups that tile every row exactly once', (parts) => {
    const { options, ranges, jobs } = plan({ parts });
    expect(jobs.map((j) => j.seq)).toEqual(jobs.map((_, i) => i));
    for (const range of ranges) {
      const mine = jobs.filter((j) => j.part === range.part);
      const rows = table.rowCount(options.sf, options.seed, range.from, range.to);
      expect(mine.reduce((a, j) => a + j.rows, 0)).toBe(rows);
      expect(mine.map((j) => j.group)).toEqual(mine.map((_, i) => i));
      expect(mine.slice(0, -1).every((j) => j.rows === 1024 && !j.last)).toBe(true);
      expect(mine.at(-1)!.last).toBe(true);
      expect(mine[0]).toMatchObject({ fromUnit: range.from, skip: 0 });
      // Each group starts where the rows before it end: count rows up to (fromUnit, skip).
      let before = 0;
      for (const j of mine) {
        const at = table.rowCount(options.sf, options.seed, range.from, j.fromUnit) + j.skip;
        expect(at).toBe(before);
        expect(j.skip).toBeLessThan(table.rowCount(options.sf, options.seed, j.fromUnit, j.fromUnit + 1));
        before += j.rows;
      }
    }
    // Some group boundaries fall inside an order (else the skip logic is untested here).
    expect(jobs.some((j) => j.skip > 0)).toBe(true);
  });

  it('sizes jobs by row group with Parquet and by batchRows for CSV alone', () => {
    expect(groupRowsOf(plan({ formats: 'csv,parquet' }).options)).toBe(1024);
    expect(groupRowsOf(plan({ formats: 'csv', batchRows: 2048 }).options)).toBe(2048);
  });
});

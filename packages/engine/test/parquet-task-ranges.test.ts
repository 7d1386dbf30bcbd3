// Parallel Parquet scans batch row groups into a few contiguous tasks per worker (one task per
// row group cost ~9 ms each at SF 1). The ranges must cover every surviving row group once, in
// order, so results and float merges come back in the serial order.
import { rowGroupRanges, TASKS_PER_WORKER } from '../src/parallel/run-parallel.js';

const groupsOf = (units: ReturnType<typeof rowGroupRanges>): number[][] =>
  units.map((u) => ('rowGroups' in u ? u.rowGroups : []));

describe('rowGroupRanges', () => {
  it.each([
    { keep: 46, workers: 2 },
    { keep: 46, workers: 1 },
    { keep: 5, workers: 2 },
    { keep: 7, workers: 3 },
    { keep: 1, workers: 2 },
    { keep: 100, workers: 4 },
  ])('$keep row groups on $workers workers', ({ keep, workers }) => {
    // Pruned row group numbers are not contiguous: every third one survived.
    const ids = Array.from({ length: keep }, (_, i) => i * 3);
    const ranges = groupsOf(rowGroupRanges(ids, workers));
    expect(ranges.flat()).toEqual(ids);
    expect(ranges.length).toBe(Math.min(keep, workers * TASKS_PER_WORKER));
    const sizes = ranges.map((r) => r.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('gives no task for no row group', () => {
    expect(rowGroupRanges([], 2)).toEqual([]);
  });
});

/**
 * A parallel CSV scan's task on its worker: the grid interval [grid, nextGrid) becomes the unit
 * [E(grid), E(nextGrid)) (csv-units.ts) in one pass over the bytes. The start is found in a small
 * window at `grid` under the quote parity the coordinator guessed (even, unless it already knows
 * better); the scan then parses from there and finds its own end, counting the quotes it passes
 * on the way to `nextGrid`. The coordinator chains those counts to check each guess and reruns
 * a task only when its guess was wrong (a quoted field spanning a grid point with an odd number
 * of quotes before it), so no separate census pass reads the object first.
 */
import type { Fragment } from '../plan/fragment.js';
import { unitStartAfter, type UnitStart } from '../readers/csv-units.js';
import type { ObjectReader } from '../readers/object-reader.js';
import { runUnit, type UnitRunResult } from '../exec/run-unit.js';
import { newScanCounters } from '../readers/object-reader.js';
import { newMetrics } from '../exec/metrics.js';
import type { CsvGridUnit } from './protocol.js';

/**
 * Bytes read at the grid point to find the unit start: a few records' worth; a record longer
 * than this reads the rest of the interval.
 */
export const START_WINDOW_BYTES = 64 * 1024;

/**
 * How far past its grid point a task may parse looking for its end. A wrong parity guess (a
 * quoted field across the grid point, then no quote for a long way) would otherwise parse the
 * rest of the object as one record before the coordinator discards it; a real record longer
 * than this makes the scan fall back to the serial path.
 */
export const MAX_OVERRUN_BYTES = 64 * 2 ** 20;

export type ReadRange = (start: number, end: number) => Promise<Uint8Array>;

export interface CsvGridResult extends UnitRunResult {
  csv: { start: number; end: number; quoteParity: number };
}

export async function runCsvGridUnit(
  fragment: Fragment,
  reader: ObjectReader,
  unit: CsvGridUnit,
  readRange: ReadRange,
  size: number,
  batchRows?: number,
): Promise<CsvGridResult> {
  let found: UnitStart = { start: unit.grid, quotes: 0 };
  if (!unit.first) {
    const windowEnd = Math.min(unit.nextGrid, size, unit.grid + START_WINDOW_BYTES);
    found = unitStartAfter(await readRange(unit.grid, windowEnd), unit.grid, unit.parity);
    const intervalEnd = Math.min(unit.nextGrid, size);
    if (found.start < 0 && windowEnd < intervalEnd)
      found = unitStartAfter(await readRange(unit.grid, intervalEnd), unit.grid, unit.parity);
    // No record end in the whole interval: E(grid) = E(nextGrid), the unit is empty.
    if (found.start < 0) return emptyResult(fragment, found.quotes);
  }
  const r = await runUnit(fragment, reader, {
    csv: {
      start: found.start,
      end: Math.min(size, unit.nextGrid + MAX_OVERRUN_BYTES),
      line: unit.first ? unit.line : -1,
      grid: unit.nextGrid,
    },
    ...(batchRows !== undefined ? { batchRows } : {}),
  });
  // Past the end of the object there is no next task to check: any parity will do.
  const after = r.gridParity !== undefined && r.gridParity >= 0 ? r.gridParity : 0;
  return {
    ...r,
    csv: { start: found.start, end: r.csvEnd ?? size, quoteParity: (found.quotes + after) & 1 },
  };
}

function emptyResult(fragment: Fragment, quotes: number): CsvGridResult {
  return {
    agg: fragment.aggregate
      ? { keys: [], keyValues: [], calls: [], metrics: newMetrics('partial_aggregate') }
      : null,
    ipc: null,
    rowsOut: 0,
    counters: newScanCounters(),
    filter: null,
    project: null,
    aligned: true,
    csv: { start: -1, end: -1, quoteParity: quotes & 1 },
  };
}

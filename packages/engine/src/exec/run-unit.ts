/**
 * One unit of a fragment (Parquet row groups, a CSV unit) on a worker thread: the same reader,
 * filter, projection and partial aggregation as runFragment, but the aggregation records its
 * merges (agg-log.ts) instead of finishing, and rows leave as one Arrow IPC stream.
 */
import { RecordBatchStreamWriter, type RecordBatch } from 'apache-arrow';
import type { Fragment, OperatorMetrics } from '../plan/fragment.js';
import {
  newScanCounters,
  type CsvUnitEndState,
  type ObjectReader,
  type ScanCounters,
} from '../readers/object-reader.js';
import { schemaOfBatch } from './arrow-columns.js';
import type { AggUnitLog } from './agg-log.js';
import { FilterOperator, ProjectOperator } from './batch-ops.js';
import { newMetrics } from './metrics.js';
import { PartialAggregator } from './partial-aggregator.js';

export interface UnitRunResult {
  agg: AggUnitLog | null;
  ipc: Uint8Array | null;
  rowsOut: number;
  counters: ScanCounters;
  filter: OperatorMetrics | null;
  project: OperatorMetrics | null;
  aligned: boolean;
  /** CSV grid tasks: where the unit ended and the quote parity of [start, grid). */
  csvEnd?: number;
  gridParity?: number;
}

export interface UnitRunOptions {
  readonly rowGroups?: number[];
  readonly csv?: { start: number; end: number; line: number; grid?: number };
  readonly batchRows?: number;
}

export async function runUnit(
  fragment: Fragment,
  reader: ObjectReader,
  unit: UnitRunOptions,
): Promise<UnitRunResult> {
  const counters = newScanCounters();
  const endState: CsvUnitEndState = { aligned: true };
  const filter = fragment.filter ? new FilterOperator(fragment.filter) : null;
  const filterMetrics: OperatorMetrics = filter ? filter.metrics : newMetrics('filter');
  const project = !fragment.aggregate && fragment.project ? new ProjectOperator(fragment.project) : null;
  let aggregator: PartialAggregator | null = null;
  const out: RecordBatch[] = [];
  let rowsOut = 0;
  let remaining = fragment.aggregate ? Infinity : (fragment.limit ?? Infinity);
  const scan = reader.scan(
    {
      columns: fragment.columns,
      filter: fragment.filter,
      rowGroups: unit.rowGroups ?? fragment.rowGroups,
      ...(unit.csv ? { csvUnit: { ...unit.csv, endState } } : {}),
      ...(unit.batchRows !== undefined ? { batchRows: unit.batchRows } : {}),
    },
    counters,
  );
  for await (const batch of scan) {
    if (fragment.aggregate) {
      aggregator ??= new PartialAggregator(fragment.aggregate, schemaOfBatch(batch), undefined, {
        record: true,
      });
      if (fragment.filter) aggregator.pushFiltered(batch, fragment.filter, filterMetrics);
      else aggregator.push(batch);
      continue;
    }
    let b = filter ? filter.apply(batch) : batch;
    if (b.numRows === 0) continue;
    if (b.numRows > remaining) b = b.slice(0, remaining);
    remaining -= b.numRows;
    const projected = project ? project.apply(b) : b;
    rowsOut += projected.numRows;
    out.push(projected);
    if (remaining <= 0) break;
  }
  let ipc: Uint8Array | null = null;
  if (!fragment.aggregate && out.length > 0) {
    const writer = new RecordBatchStreamWriter();
    for (const b of out) writer.write(b);
    writer.finish();
    ipc = writer.toUint8Array(true);
  }
  return {
    agg: aggregator ? aggregator.takeLog() : fragment.aggregate ? emptyLog() : null,
    ipc,
    rowsOut,
    counters,
    filter: fragment.filter ? filterMetrics : null,
    project: project ? project.metrics : null,
    aligned: endState.aligned,
    ...(endState.end !== undefined ? { csvEnd: endState.end } : {}),
    ...(endState.gridParity !== undefined ? { gridParity: endState.gridParity } : {}),
  };
}

function emptyLog(): AggUnitLog {
  return { keys: [], keyValues: [], calls: [], metrics: newMetrics('partial_aggregate') };
}

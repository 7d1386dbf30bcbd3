/**
 * The stages the intermediary runs over the fragments' outputs: final aggregate, HAVING,
 * projection, ORDER BY, OFFSET/LIMIT, then the hidden sort keys are dropped. Without an
 * aggregate or a sort, batches stream through and reading stops as soon as the limit is met.
 */
import type { RecordBatch } from 'apache-arrow';
import type { OperatorMetrics } from '../plan/fragment.js';
import type { UpperStages } from '../planner/query-plan.js';
import { batchBytes, columnData, makeBatch, schemaOfBatch } from './arrow-columns.js';
import { HIDDEN_SORT_PREFIX } from '../sql/parse-sql.js';
import { concatBatches, FilterOperator, ProjectOperator } from './batch-ops.js';
import { FinalAggregator } from './final-aggregator.js';
import { newMetrics } from './metrics.js';
import { sortPermutation, takeRows } from './sort.js';

async function* single(batch: RecordBatch): AsyncGenerator<RecordBatch> {
  yield batch;
}

/** Keeps the result columns: ORDER BY keys the select list does not name travel as `$sortN`. */
function dropHidden(batch: RecordBatch): RecordBatch {
  const keep: number[] = [];
  batch.schema.fields.forEach((f, i) => {
    if (!f.name.startsWith(HIDDEN_SORT_PREFIX)) keep.push(i);
  });
  return keep.length === batch.numCols ? batch : batch.selectAt(keep);
}

/** Run `upper` over `inputs`; pushes one OperatorMetrics per stage into `metrics` when given. */
export async function* runUpperStages(
  upper: UpperStages,
  inputs: AsyncIterable<RecordBatch>,
  metrics?: OperatorMetrics[],
): AsyncGenerator<RecordBatch> {
  let stream: AsyncIterable<RecordBatch> = inputs;
  if (upper.finalAggregate) {
    const m = newMetrics('final_aggregate');
    metrics?.push(m);
    const agg = new FinalAggregator(upper.finalAggregate.groupBy, upper.finalAggregate.aggregates);
    for await (const b of inputs) {
      const t0 = performance.now();
      m.rowsIn += b.numRows;
      m.bytesIn += batchBytes(b);
      agg.push(b);
      m.computeMs += performance.now() - t0;
    }
    const t0 = performance.now();
    const out = agg.finish();
    m.computeMs += performance.now() - t0;
    m.rowsOut = out.numRows;
    m.bytesOut = batchBytes(out);
    if (upper.having) {
      const having = new FilterOperator(upper.having);
      metrics?.push(having.metrics);
      stream = single(having.apply(out));
    } else {
      stream = single(out);
    }
  }
  const project = upper.project.length > 0 ? new ProjectOperator(upper.project) : null;
  if (project) metrics?.push(project.metrics);
  const limit = upper.limit ?? Infinity;
  if (upper.orderBy.length === 0) {
    let skip = upper.offset;
    let remaining = limit;
    for await (let b of stream) {
      if (remaining <= 0) break;
      if (skip >= b.numRows) {
        skip -= b.numRows;
        continue;
      }
      if (skip > 0 || b.numRows - skip > remaining)
        b = b.slice(skip, skip + Math.min(remaining, b.numRows - skip));
      skip = 0;
      remaining -= b.numRows;
      yield dropHidden(project ? project.apply(b) : b);
    }
    return;
  }
  const batches: RecordBatch[] = [];
  for await (const b of stream) batches.push(b);
  if (batches.length === 0) return;
  const sortMetrics = newMetrics('sort');
  metrics?.push(sortMetrics);
  const input = concatBatches(schemaOfBatch(batches[0]!), batches);
  const projected = project ? project.apply(input) : input;
  const t0 = performance.now();
  // Sort keys may name output aliases or input columns: outputs shadow inputs.
  const outSchema = schemaOfBatch(projected);
  const inSchema = schemaOfBatch(input);
  const lookupFields = [...outSchema];
  const lookupCols = outSchema.map((_, i) => columnData(projected, i));
  inSchema.forEach((f, i) => {
    if (!outSchema.some((o) => o.name === f.name)) {
      lookupFields.push(f);
      lookupCols.push(columnData(input, i));
    }
  });
  const lookup = makeBatch(lookupFields, lookupCols, input.numRows);
  const keyBatch = new ProjectOperator(upper.orderBy.map((k, i) => ({ name: `k${i}`, expr: k.expr }))).apply(
    lookup,
  );
  const keySchema = schemaOfBatch(keyBatch);
  const perm = sortPermutation(
    input.numRows,
    upper.orderBy.map((k, i) => ({
      data: columnData(keyBatch, i),
      type: keySchema[i]!.type,
      desc: k.desc,
      nullsFirst: k.nullsFirst,
    })),
  );
  const start = Math.min(upper.offset, perm.length);
  const end = Math.min(perm.length, start + limit);
  const out = takeRows(projected, perm.subarray(start, end));
  sortMetrics.rowsIn = input.numRows;
  sortMetrics.rowsOut = out.numRows;
  sortMetrics.bytesIn = batchBytes(projected);
  sortMetrics.bytesOut = batchBytes(out);
  sortMetrics.computeMs = performance.now() - t0;
  yield dropHidden(out);
}

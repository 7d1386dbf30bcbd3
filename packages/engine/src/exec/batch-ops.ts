/**
 * Row-wise operators over whole record batches: filter (keep rows where the predicate is TRUE)
 * and project (evaluate output expressions). Batches are cut into CHUNK_ROWS slices so operator
 * memory stays small and cache-resident; plain column references pass through without a copy.
 */
import type { Data, RecordBatch, Vector } from 'apache-arrow';
import { makeVector } from 'apache-arrow';
import type { NamedExpr } from '../plan/aggregate.js';
import type { Expr } from '../plan/expr.js';
import type { OperatorMetrics } from '../plan/fragment.js';
import type { Schema } from '../plan/types.js';
import { CHUNK_ROWS } from '../wasm/abi.js';
import { defaultOperatorHost, type OperatorHost } from '../wasm/operator-host.js';
import {
  batchBytes,
  columnData,
  concatColumn,
  gatherColumn,
  makeBatch,
  schemaOfBatch,
} from './arrow-columns.js';
import { ExprEvaluator } from './expr-eval.js';
import { inferExprType } from './expr-type.js';
import { newMetrics, timed } from './metrics.js';

/** Slices of at most CHUNK_ROWS rows (one, possibly empty, slice for a small batch). */
export function chunksOf(batch: RecordBatch): RecordBatch[] {
  if (batch.numRows <= CHUNK_ROWS) return [batch];
  const out: RecordBatch[] = [];
  for (let i = 0; i < batch.numRows; i += CHUNK_ROWS)
    out.push(batch.slice(i, Math.min(batch.numRows, i + CHUNK_ROWS)));
  return out;
}

/** Concatenate same-schema batches into one. */
export function concatBatches(schema: Schema, batches: readonly RecordBatch[]): RecordBatch {
  if (batches.length === 1) return batches[0]!;
  const rows = batches.reduce((s, b) => s + b.numRows, 0);
  const cols = schema.map((f, i) =>
    concatColumn(
      f.type,
      batches.map((b) => columnData(b, i)),
    ),
  );
  return makeBatch(schema, cols, rows);
}

export class FilterOperator {
  readonly metrics: OperatorMetrics = newMetrics('filter');

  constructor(
    readonly predicate: Expr,
    private readonly host: OperatorHost = defaultOperatorHost(),
  ) {}

  apply(batch: RecordBatch): RecordBatch {
    const m = this.metrics;
    m.rowsIn += batch.numRows;
    m.bytesIn += batchBytes(batch);
    const out = timed(m, () => {
      const schema = schemaOfBatch(batch);
      const parts = chunksOf(batch).map((chunk) => this.filterChunk(chunk, schema));
      return concatBatches(schema, parts);
    });
    m.rowsOut += out.numRows;
    m.bytesOut += batchBytes(out);
    return out;
  }

  private filterChunk(chunk: RecordBatch, schema: Schema): RecordBatch {
    return this.host.scoped(() => {
      const ev = new ExprEvaluator(this.host, chunk, schema, 'filter');
      const n = chunk.numRows;
      const { mask, count } = ev.keep(this.predicate);
      let result: RecordBatch;
      if (count === n) result = chunk;
      else if (count === 0) result = chunk.slice(0, 0);
      else {
        const selPtr = ev.vals.alloc(4 * (n + 1));
        this.host.filter.mask_to_sel(mask, n, selPtr);
        const sel = ev.vals.mem.i32.slice(selPtr >> 2, (selPtr >> 2) + count);
        ev.vals.copied += 4 * count;
        const cols = schema.map((f, i) => gatherColumn(f.type, columnData(chunk, i), sel));
        result = makeBatch(schema, cols, count);
      }
      this.metrics.bytesCopied += ev.vals.copied;
      return result;
    });
  }
}

export class ProjectOperator {
  readonly metrics: OperatorMetrics = newMetrics('project');

  constructor(
    readonly exprs: readonly NamedExpr[],
    private readonly host: OperatorHost = defaultOperatorHost(),
  ) {}

  apply(batch: RecordBatch): RecordBatch {
    const m = this.metrics;
    m.rowsIn += batch.numRows;
    m.bytesIn += batchBytes(batch);
    const out = timed(m, () => this.project(batch));
    m.rowsOut += out.numRows;
    m.bytesOut += batchBytes(out);
    return out;
  }

  private project(batch: RecordBatch): RecordBatch {
    const schema = schemaOfBatch(batch);
    const fields = this.exprs.map((e) => ({ name: e.name, type: inferExprType(e.expr, schema) }));
    const columns: (Data | null)[] = this.exprs.map((e) =>
      e.expr.kind === 'column'
        ? columnData(
            batch,
            schema.findIndex((f) => f.name === (e.expr as { name: string }).name),
          )
        : null,
    );
    const computed = this.exprs.map(() => [] as Data[]);
    if (columns.some((c) => c === null)) {
      for (const chunk of chunksOf(batch)) {
        this.host.scoped(() => {
          const ev = new ExprEvaluator(this.host, chunk, schema, 'project');
          this.exprs.forEach((e, i) => {
            if (columns[i] === null) {
              const v = ev.coerce(ev.eval(e.expr), fields[i]!.type);
              computed[i]!.push(ev.vals.toData(v));
            }
          });
          this.metrics.bytesCopied += ev.vals.copied;
        });
      }
    }
    const cols = columns.map((c, i) => c ?? concatColumn(fields[i]!.type, computed[i]!));
    return makeBatch(fields, cols, batch.numRows);
  }
}

/** Evaluate one expression over a batch (column references come back without a copy). */
export function evaluateExpr(batch: RecordBatch, expr: Expr): Vector {
  const out = new ProjectOperator([{ name: 'value', expr }]).apply(batch);
  return makeVector(columnData(out, 0));
}

/** Rows of `batch` where `predicate` is TRUE (NULL and FALSE rows are dropped). */
export function filterBatch(batch: RecordBatch, predicate: Expr): RecordBatch {
  return new FilterOperator(predicate).apply(batch);
}

/** The output expressions `exprs` over `batch`, named as given. */
export function projectBatch(batch: RecordBatch, exprs: readonly NamedExpr[]): RecordBatch {
  return new ProjectOperator(exprs).apply(batch);
}

/**
 * The partial aggregate of a fragment: GROUP BY keys and aggregate calls over the batches of one
 * object, in WASM. Per slice, keys become dense ids (group-keys.ts), the aggregate kernels fill
 * small per-slice accumulators, and those merge into the JS-side state per group. A filter mask
 * from the same slice is consumed in place (runFragment), so filter + aggregate copy nothing
 * but the input columns.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import type { PartialAggregate } from '../plan/aggregate.js';
import type { Expr } from '../plan/expr.js';
import type { OperatorMetrics } from '../plan/fragment.js';
import type { DataType, Schema } from '../plan/types.js';
import { GROUP_ACC_COPIES } from '../wasm/abi.js';
import { defaultOperatorHost, type OperatorHost } from '../wasm/operator-host.js';
import { AggState, checkAggregateArg, groupKey, stateColumn, sumType } from './agg-state.js';
import { batchBytes, columnFromValues, makeBatch, schemaOfBatch, type JsValue } from './arrow-columns.js';
import { chunksOf } from './batch-ops.js';
import { ExprEvaluator } from './expr-eval.js';
import { inferExprType } from './expr-type.js';
import { newMetrics } from './metrics.js';
import { sliceGroups } from './group-keys.js';
import { partialStateColumns } from '../plan/aggregate.js';
import type { WVec } from './wasm-values.js';
import { RecordingAggState, type AggUnitLog } from './agg-log.js';
import { UdfAggState } from './udf-agg-state.js';
import { updateUdfSlice } from './udf-aggregate.js';

export interface PartialAggregatorOptions {
  /**
   * Keep the sequence of state merges (a worker's share of a parallel scan), so the coordinating
   * thread can replay them in scan order: float sums then round exactly as on the serial path.
   */
  readonly record?: boolean;
}

/** Fold the interleaved accumulator copies of a grouped sum/count into the first copy. */
function addCopies(
  mem: { f64: Float64Array; i64: BigInt64Array },
  acc: number,
  card: number,
  float: boolean,
): void {
  const base = acc >> 3;
  for (let c = 1; c < GROUP_ACC_COPIES; c++) {
    for (let g = 0; g < card; g++) {
      if (float) mem.f64[base + g]! += mem.f64[base + c * card + g]!;
      else mem.i64[base + g]! += mem.i64[base + c * card + g]!;
    }
  }
}

export class PartialAggregator {
  private readonly m: OperatorMetrics = newMetrics('partial_aggregate');
  private readonly keyTypes: DataType[];
  private readonly argTypes: (DataType | null)[];
  private readonly states: AggState[];
  private readonly groupIndex = new Map<unknown, number>();
  private readonly keyValues: JsValue[][];
  private readonly host: OperatorHost;

  constructor(
    readonly spec: PartialAggregate,
    inputSchema: Schema,
    host?: OperatorHost,
    options: PartialAggregatorOptions = {},
  ) {
    this.host = host ?? defaultOperatorHost();
    const record = options.record === true;
    this.keyTypes = spec.groupBy.map((g) => inferExprType(g.expr, inputSchema));
    this.argTypes = spec.aggregates.map((c) => (c.arg ? inferExprType(c.arg, inputSchema) : null));
    this.states = spec.aggregates.map((c, i) => {
      if (c.udf) return new UdfAggState({ ...c, udf: c.udf }, record);
      const t = this.argTypes[i]!;
      checkAggregateArg(c, t);
      const valueType =
        c.fn === 'sum' || c.fn === 'avg' ? sumType(t ?? 'int64') : c.fn === 'count' ? 'int64' : t!;
      return record ? new RecordingAggState(c, valueType) : new AggState(c, valueType);
    });
    this.keyValues = spec.groupBy.map(() => []);
  }

  push(batch: RecordBatch): void {
    this.pushFiltered(batch, null);
  }

  /** Aggregate the rows of `batch` where `filter` is TRUE (null = all rows). */
  pushFiltered(batch: RecordBatch, filter: Expr | null, filterMetrics?: OperatorMetrics): void {
    const m = this.m;
    const t0 = performance.now();
    const schema = schemaOfBatch(batch);
    m.bytesIn += batchBytes(batch);
    for (const chunk of chunksOf(batch)) {
      this.host.scoped(() => {
        const ev = new ExprEvaluator(this.host, chunk, schema, 'aggregate');
        let rowMask = 0;
        let rows = chunk.numRows;
        if (filter) {
          const f0 = performance.now();
          const kept = ev.keep(filter);
          if (filterMetrics) {
            filterMetrics.rowsIn += rows;
            filterMetrics.rowsOut += kept.count;
            filterMetrics.computeMs += performance.now() - f0;
          }
          rowMask = kept.mask;
          rows = kept.count;
        }
        m.rowsIn += rows;
        if (rows > 0) {
          if (this.spec.groupBy.length === 0) this.globalSlice(ev, rowMask, rows);
          else this.groupedSlice(ev, rowMask);
        }
        m.bytesCopied += ev.vals.copied;
      });
    }
    m.computeMs += performance.now() - t0;
  }

  private argMask(ev: ExprEvaluator, rowMask: number, v: WVec): number {
    if (v.validity === 0) return rowMask;
    if (rowMask === 0) return v.validity;
    const out = ev.vals.alloc(ev.n);
    this.host.filter.mask_and(rowMask, v.validity, ev.n, out);
    return out;
  }

  private globalSlice(ev: ExprEvaluator, rowMask: number, rows: number): void {
    if (this.groupIndex.size === 0) this.newGroup(0, []);
    const a = this.host.aggregate;
    const n = ev.n;
    this.spec.aggregates.forEach((call, i) => {
      const state = this.states[i]!;
      if (call.udf) {
        const slice = { ids: null, card: 1, global: [0], rowMask, counts: [rows] };
        return updateUdfSlice(ev, { ...call, udf: call.udf }, state as UdfAggState, slice);
      }
      if (!call.arg) return state.merge(0, null, rows);
      const v = ev.vals.materialize(ev.eval(call.arg));
      const mask = this.argMask(ev, rowMask, v);
      const count = mask === rowMask ? rows : this.host.filter.mask_count(mask, n);
      if (call.fn === 'count' || count === 0) return state.merge(0, null, count);
      let value: JsValue;
      const t = v.type;
      if (call.fn === 'sum' || call.fn === 'avg') {
        value =
          t === 'float64'
            ? a.sum_f64(v.values, mask, n)
            : t === 'int64'
              ? a.sum_i64(v.values, mask, n)
              : a.sum_i32(v.values, mask, n);
      } else if (t === 'float64') {
        value = call.fn === 'min' ? a.min_f64(v.values, mask, n) : a.max_f64(v.values, mask, n);
      } else if (t === 'int64') {
        value = call.fn === 'min' ? a.min_i64(v.values, mask, n) : a.max_i64(v.values, mask, n);
      } else if (t === 'int32' || t === 'date32') {
        value = call.fn === 'min' ? a.min_i32(v.values, mask, n) : a.max_i32(v.values, mask, n);
      } else {
        return this.minMaxInJs(ev, state, v, mask, null, [0]);
      }
      state.merge(0, value, count);
    });
  }

  private groupedSlice(ev: ExprEvaluator, rowMask: number): void {
    const a = this.host.aggregate;
    const n = ev.n;
    const keys = this.spec.groupBy.map(
      (g, i) => ev.coerce(ev.vals.materialize(ev.eval(g.expr)), this.keyTypes[i]!) as WVec,
    );
    const { ids, card, reps } = sliceGroups(ev, keys);
    const counts = this.groupCounts(ev, ids, card, rowMask);
    // Local id → global group (-1: no row of this slice passed the filter).
    const global = new Int32Array(card).fill(-1);
    for (let g = 0; g < card; g++) {
      if (counts[g] === 0) continue;
      const values = keys.map((k) => ev.vals.read(k, reps[g]!));
      const key = groupKey(values);
      let id = this.groupIndex.get(key);
      if (id === undefined) id = this.newGroup(key, values);
      global[g] = id;
    }
    this.spec.aggregates.forEach((call, i) => {
      const state = this.states[i]!;
      if (call.udf) {
        const slice = { ids, card, global, rowMask, counts };
        return updateUdfSlice(ev, { ...call, udf: call.udf }, state as UdfAggState, slice);
      }
      if (!call.arg) {
        for (let g = 0; g < card; g++) if (global[g]! >= 0) state.merge(global[g]!, null, counts[g]!);
        return;
      }
      const v = ev.vals.materialize(ev.eval(call.arg));
      const mask = this.argMask(ev, rowMask, v);
      const nonNull = mask === rowMask ? counts : this.groupCounts(ev, ids, card, mask);
      if (call.fn === 'count') {
        for (let g = 0; g < card; g++) if (global[g]! >= 0) state.merge(global[g]!, null, nonNull[g]!);
        return;
      }
      const t = v.type;
      if (t === 'utf8' || t === 'bool') return this.minMaxInJs(ev, state, v, mask, ids, global);
      const isSum = call.fn === 'sum' || call.fn === 'avg';
      const wide = t === 'float64' || t === 'int64' || isSum;
      const acc = ev.vals.alloc((wide ? 8 : 4) * card * (isSum ? GROUP_ACC_COPIES : 1));
      const mem = ev.vals.mem;
      const isMin = call.fn === 'min';
      if (isSum) {
        mem.u8.fill(0, acc, acc + 8 * card * GROUP_ACC_COPIES);
        if (t === 'float64') a.grp_sum_f64(ids, v.values, mask, n, acc, card);
        else if (t === 'int64') a.grp_sum_i64(ids, v.values, mask, n, acc, card);
        else a.grp_sum_i32(ids, v.values, mask, n, acc, card);
        addCopies(ev.vals.mem, acc, card, t === 'float64');
      } else if (t === 'float64') {
        mem.f64.fill(isMin ? Infinity : -Infinity, acc >> 3, (acc >> 3) + card);
        (isMin ? a.grp_min_f64 : a.grp_max_f64)(ids, v.values, mask, n, acc);
      } else if (t === 'int64') {
        mem.i64.fill(isMin ? 0x7fffffffffffffffn : -0x8000000000000000n, acc >> 3, (acc >> 3) + card);
        (isMin ? a.grp_min_i64 : a.grp_max_i64)(ids, v.values, mask, n, acc);
      } else {
        mem.i32.fill(isMin ? 0x7fffffff : -0x80000000, acc >> 2, (acc >> 2) + card);
        (isMin ? a.grp_min_i32 : a.grp_max_i32)(ids, v.values, mask, n, acc);
      }
      const view = ev.vals.mem;
      for (let g = 0; g < card; g++) {
        if (global[g]! < 0 || nonNull[g] === 0) continue;
        const value =
          t === 'float64'
            ? view.f64[(acc >> 3) + g]!
            : wide
              ? view.i64[(acc >> 3) + g]!
              : view.i32[(acc >> 2) + g]!;
        state.merge(global[g]!, value, nonNull[g]!);
      }
    });
  }

  private groupCounts(ev: ExprEvaluator, ids: number, card: number, mask: number): Float64Array {
    const acc = ev.vals.alloc(8 * card * GROUP_ACC_COPIES);
    ev.vals.mem.u8.fill(0, acc, acc + 8 * card * GROUP_ACC_COPIES);
    this.host.aggregate.grp_count(ids, mask, ev.n, acc, card);
    addCopies(ev.vals.mem, acc, card, false);
    const i64 = ev.vals.mem.i64;
    const out = new Float64Array(card);
    for (let g = 0; g < card; g++) out[g] = Number(i64[(acc >> 3) + g]!);
    return out;
  }

  /** MIN/MAX of utf8 (bytewise) and bool, row by row in JS. */
  private minMaxInJs(
    ev: ExprEvaluator,
    state: AggState,
    v: WVec,
    mask: number,
    ids: number | null,
    global: ArrayLike<number>,
  ): void {
    const mem = ev.vals.mem;
    for (let i = 0; i < ev.n; i++) {
      if (mask !== 0 && mem.u8[mask + i] === 0) continue;
      const g = global[ids === null ? 0 : mem.i32[(ids >> 2) + i]!]!;
      if (g < 0) continue;
      const value =
        v.type === 'utf8'
          ? (ev.vals.readBytes(v, i).slice() as unknown as JsValue)
          : mem.u8[v.values + i] !== 0;
      state.merge(g, value, 1);
    }
  }

  private newGroup(key: unknown, values: readonly JsValue[]): number {
    const id = this.groupIndex.size;
    this.groupIndex.set(key, id);
    values.forEach((v, k) => this.keyValues[k]!.push(v));
    for (const s of this.states) s.addGroup();
    return id;
  }

  /** One batch: group columns, then each call's state columns. */
  finish(): RecordBatch {
    if (this.spec.groupBy.length === 0 && this.groupIndex.size === 0) this.newGroup(0, []);
    const fields: { name: string; type: DataType }[] = [];
    const cols: Data[] = [];
    this.spec.groupBy.forEach((g, k) => {
      fields.push({ name: g.name, type: this.keyTypes[k]! });
      cols.push(columnFromValues(this.keyTypes[k]!, this.keyValues[k]!));
    });
    this.spec.aggregates.forEach((call, i) => {
      const names = partialStateColumns(call);
      this.states[i]!.partialColumns().forEach((c, j) => {
        fields.push({ name: names[j]!, type: c.type });
        cols.push(stateColumn(c));
      });
    });
    const out = makeBatch(fields, cols, this.groupIndex.size);
    this.m.rowsOut = out.numRows;
    this.m.bytesOut = batchBytes(out);
    return out;
  }

  metrics(): OperatorMetrics {
    return { ...this.m };
  }

  /** The merges recorded since the last call (needs `record: true`), then forgets them. */
  takeLog(): AggUnitLog {
    const keys = [...this.groupIndex.keys()];
    const log: AggUnitLog = {
      keys,
      keyValues: keys.map((_, g) => this.keyValues.map((col) => col[g]!)),
      calls: this.states.map((s) => (s as RecordingAggState).take()),
      metrics: this.metrics(),
    };
    return log;
  }

  /**
   * Replay a unit's merges (from takeLog on another thread) as if its slices had been pushed
   * here: groups are created in the same order and every state sees the same additions.
   */
  replay(log: AggUnitLog): void {
    const ids = log.keys.map((key, g) => this.groupIndex.get(key) ?? this.newGroup(key, log.keyValues[g]!));
    log.calls.forEach((c, i) => {
      const state = this.states[i]!;
      for (let j = 0; j < c.groups.length; j++) state.merge(ids[c.groups[j]!]!, c.values[j]!, c.counts[j]!);
    });
    const m = log.metrics;
    this.m.rowsIn += m.rowsIn;
    this.m.bytesIn += m.bytesIn;
    this.m.bytesCopied += m.bytesCopied;
    this.m.computeMs += m.computeMs;
  }
}

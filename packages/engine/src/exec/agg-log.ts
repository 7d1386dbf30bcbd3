/**
 * The record of a partial aggregation done on another thread. Float addition is not
 * associative: if each worker summed its row groups and the partials were added afterwards, a
 * parallel SUM could differ from the serial one in the last bit. So a worker records every
 * merge into a float sum's per-group state (one per slice and group) and the coordinating thread
 * replays them in scan order: the same additions in the same order, bit for bit. Counts,
 * integer sums and MIN/MAX are exact whatever the order, so they travel as one state per group.
 */
import type { AggregateCall } from '../plan/aggregate.js';
import type { OperatorMetrics } from '../plan/fragment.js';
import type { DataType } from '../plan/types.js';
import { AggState } from './agg-state.js';
import type { JsValue } from './arrow-columns.js';

/** One aggregate call's merges, in order: group (unit-local id), value, count. */
export interface AggCallLog {
  groups: number[];
  values: JsValue[];
  counts: number[];
}

/** What a worker sends back for one unit of an aggregating fragment (structured-clonable). */
export interface AggUnitLog {
  /** Group keys (see groupKey) in the order the unit created them. */
  readonly keys: unknown[];
  /** The key columns' values per group. */
  readonly keyValues: JsValue[][];
  /** Per aggregate call. */
  readonly calls: AggCallLog[];
  readonly metrics: OperatorMetrics;
}

export class RecordingAggState extends AggState {
  private log: AggCallLog = { groups: [], values: [], counts: [] };
  /** Only float sums depend on the order of additions; everything else merges whole. */
  private readonly ordered: boolean;

  constructor(call: AggregateCall, valueType: DataType) {
    super(call, valueType);
    this.ordered = valueType === 'float64' && (call.fn === 'sum' || call.fn === 'avg');
  }

  override merge(g: number, value: JsValue, count: number): void {
    if (count === 0) return;
    if (this.ordered) {
      this.log.groups.push(g);
      this.log.values.push(value);
      this.log.counts.push(count);
    }
    super.merge(g, value, count);
  }

  /**
   * The merges to replay: every float-sum addition in order; for counts, integer sums and
   * MIN/MAX (exact and order-free) one merge of the unit's state per group.
   */
  take(): AggCallLog {
    if (!this.ordered) {
      for (let g = 0; g < this.counts.length; g++) {
        if (this.counts[g] === 0) continue;
        this.log.groups.push(g);
        this.log.values.push(this.values[g]!);
        this.log.counts.push(this.counts[g]!);
      }
    }
    const out = this.log;
    this.log = { groups: [], values: [], counts: [] };
    return out;
  }
}

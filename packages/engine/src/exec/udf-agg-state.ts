/**
 * Per-group state of one aggregate-UDF call, shared by the partial and the final aggregator like
 * AggState (whose interface it keeps, so group creation, unit logs and replays work unchanged).
 * The states are the plugin's bytes (stateBytes per group) kept here in JS, in one buffer.
 *
 * Merges are batched: `merge(g, state)` only queues; the queue is flushed with one `_merge` call
 * when a group repeats or a result is asked for. Since `_merge` is element-wise (an ABI rule),
 * a flush of distinct groups gives every group exactly the sequence of merges it was handed, so
 * the answer is the same however merges were batched: slice by slice on a serial scan, replayed
 * from a worker's log (agg-log.ts), or row by row at the intermediary.
 */
import type { AggregateCall, AggregateUdfRef } from '../plan/aggregate.js';
import { AggState } from './agg-state.js';
import type { AggCallLog } from './agg-log.js';
import type { JsValue } from './arrow-columns.js';
import { aggregateUdfCalls, type AggregateUdfCalls } from './udf-aggregate.js';

export class UdfAggState extends AggState {
  private readonly udf: AggregateUdfRef;
  private readonly calls: AggregateUdfCalls;
  private buf = new Uint8Array(0);
  private empty: Uint8Array | null = null;
  private readonly pending = new Map<number, Uint8Array>();
  private log: AggCallLog = { groups: [], values: [], counts: [] };

  /**
   * @param record a worker's share of a parallel scan: merges are only logged (for the
   *   coordinating thread to replay in scan order), never applied here.
   */
  constructor(
    call: AggregateCall & { udf: AggregateUdfRef },
    private readonly record = false,
  ) {
    super(call, call.udf.result);
    this.udf = call.udf;
    this.calls = aggregateUdfCalls(call.udf);
  }

  private get groups(): number {
    return this.counts.length;
  }

  override addGroup(): void {
    super.addGroup();
    if (this.record) return;
    const size = this.udf.stateBytes;
    // One `_init` per state object: the ABI makes every group's empty state the same bytes.
    this.empty ??= this.calls.init(1);
    if (this.groups * size > this.buf.byteLength) {
      const grown = new Uint8Array(Math.max(this.groups * size, 2 * this.buf.byteLength));
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf.set(this.empty, (this.groups - 1) * size);
  }

  /** Fold `count` rows summarised by a state (`value`: its bytes, a Uint8Array) into group g. */
  override merge(g: number, value: JsValue, count: number): void {
    const state = value as unknown as Uint8Array;
    this.counts[g]! += count;
    if (this.record) {
      this.log.groups.push(g);
      this.log.values.push(value);
      this.log.counts.push(count);
      return;
    }
    if (this.pending.has(g)) this.flush();
    this.pending.set(g, state);
  }

  /** The logged merges (record mode), then forgets them: RecordingAggState.take's contract. */
  take(): AggCallLog {
    const out = this.log;
    this.log = { groups: [], values: [], counts: [] };
    return out;
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const size = this.udf.stateBytes;
    const groups = [...this.pending.keys()];
    const mine = new Uint8Array(groups.length * size);
    const other = new Uint8Array(groups.length * size);
    groups.forEach((g, k) => {
      mine.set(this.buf.subarray(g * size, (g + 1) * size), k * size);
      other.set(this.pending.get(g)!, k * size);
    });
    this.pending.clear();
    const merged = this.calls.merge(mine, other);
    groups.forEach((g, k) => this.buf.set(merged.subarray(k * size, (k + 1) * size), g * size));
  }

  /** The states as stateBytes/8 int64 columns (`partialStateColumns`), bytes unchanged. */
  override partialColumns(): { type: 'int64'; values: JsValue[] }[] {
    this.flush();
    const words = this.udf.stateBytes / 8;
    const i64 = new BigInt64Array(this.buf.buffer, 0, this.groups * words);
    return Array.from({ length: words }, (_, j) => ({
      type: 'int64' as const,
      values: Array.from({ length: this.groups }, (_, g) => i64[g * words + j]!),
    }));
  }

  /** The plugin's `_finalize` over every group, in one call. */
  override finalColumn(): { type: AggregateUdfRef['result']; values: JsValue[] } {
    this.flush();
    const type = this.udf.result;
    if (this.groups === 0) return { type, values: [] };
    const out = this.calls.finalize(this.buf.slice(0, this.groups * this.udf.stateBytes));
    const values: JsValue[] = [];
    for (let g = 0; g < this.groups; g++) {
      const valid = ((out.validity[g >>> 3]! >>> (g & 7)) & 1) === 1;
      if (!valid) values.push(null);
      else if (type === 'bool') values.push(((out.values[g >>> 3] as number) >>> (g & 7)) & 1 ? true : false);
      else values.push(out.values[g]!);
    }
    return { type, values };
  }
}

/** The bytes of one partial state from its int64 words (a row of the `$s<i>` columns). */
export function stateFromWords(words: readonly JsValue[]): Uint8Array {
  const i64 = BigInt64Array.from(words, (w) => BigInt((w ?? 0n) as bigint));
  return new Uint8Array(i64.buffer);
}

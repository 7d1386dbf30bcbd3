/**
 * Calls of an aggregate UDF's phases from the engine (aggregate-udf-abi.ts in @pushdown/plugins):
 * each phase call covers a whole batch slice or every group to merge, and runs under the plugin's
 * time budget. In a scan worker the watchdog stops a call that overruns (run-fragment sends every
 * fragment that calls a plugin to the pool, so a base node's `_update` calls are always guarded).
 * `_init`, `_merge` and `_finalize` also run on threads no watchdog covers (a base node replaying
 * worker logs, the intermediary's final aggregator, both on the main thread): there they go to
 * the plugin's blocking sandbox (plugins sandbox/blocking-call.ts), a worker the caller waits for
 * at most the budget and terminates on overrun, so a runaway merge ends its query, not the node.
 *
 * `updateUdfSlice` is the partial aggregator's step for one slice: fresh states for the slice's
 * groups, one `_update` over all its rows, then one state per group handed to the call's
 * UdfAggState. Per-slice states merged in scan order are what make the answer independent of how
 * the scan is split over workers (the same argument as for float SUMs in agg-log.ts).
 */
import {
  aggregateExportName,
  aggregateSandbox,
  aggregateUdfInstance,
  type AggregateUdfInstance,
  type BlockingAggregateSandbox,
  type AggregateUdfPhase,
  type UdfColumn,
  type UdfResult,
} from '@pushdown/plugins';
import type { AggregateCall, AggregateUdfRef } from '../plan/aggregate.js';
import { armDeadline, deadlineLabel, disarmDeadline, withDeadline } from '../parallel/watchdog-guard.js';
import type { ExprEvaluator } from './expr-eval.js';
import type { UdfAggState } from './udf-agg-state.js';
import { vecColumn } from './udf-call.js';
import type { JsValue } from './arrow-columns.js';

/** The four phases of one aggregate UDF, each under the plugin's time budget. */
export interface AggregateUdfCalls {
  init(groups: number): Uint8Array;
  update(states: Uint8Array, groupIds: Int32Array, args: readonly UdfColumn[], rows: number): Uint8Array;
  merge(states: Uint8Array, other: Uint8Array): Uint8Array;
  finalize(states: Uint8Array): UdfResult;
}

export function aggregateUdfCalls(ref: AggregateUdfRef): AggregateUdfCalls {
  const f = ref.function;
  const labelOf = (phase: AggregateUdfPhase) =>
    deadlineLabel(
      `plugin "${ref.plugin}" function "${aggregateExportName(f, phase)}"`,
      `raise limits.timeBudgetMs of "${ref.plugin}" or scan smaller batches`,
    );
  // `_update` runs only in scan workers (run-fragment), where withDeadline is always in force.
  const guarded = <T>(phase: AggregateUdfPhase, fn: (udf: AggregateUdfInstance) => T): T => {
    // Looked up per call: a plugin replaced while the node runs is picked up (as for scalar UDFs).
    const udf = aggregateUdfInstance(ref.plugin);
    return withDeadline(labelOf(phase), udf.manifest.limits.timeBudgetMs, () => fn(udf));
  };
  /**
   * In-thread when the watchdog armed (a scan worker: the hot path pays nothing more); else the
   * blocking sandbox. armDeadline also declines inside an already-armed call: the sandbox is
   * then redundant but still right, and no engine path nests these calls.
   */
  const anywhere = <T>(
    phase: AggregateUdfPhase,
    inThread: (udf: AggregateUdfInstance) => T,
    sandboxed: (sandbox: BlockingAggregateSandbox) => T,
  ): T => {
    const udf = aggregateUdfInstance(ref.plugin);
    if (!armDeadline(labelOf(phase), udf.manifest.limits.timeBudgetMs))
      return sandboxed(aggregateSandbox(udf));
    try {
      return inThread(udf);
    } finally {
      disarmDeadline();
    }
  };
  return {
    init: (groups) =>
      anywhere(
        'init',
        (udf) => udf.init(f, groups),
        (sb) => sb.init(f, groups),
      ),
    update: (states, ids, args, rows) => guarded('update', (udf) => udf.update(f, states, ids, args, rows)),
    merge: (states, other) =>
      anywhere(
        'merge',
        (udf) => udf.merge(f, states, other),
        (sb) => sb.merge(f, states, other),
      ),
    finalize: (states) =>
      anywhere(
        'finalize',
        (udf) => udf.finalize(f, states),
        (sb) => sb.finalize(f, states),
      ),
  };
}

/**
 * Folds one slice into `state`. `ids` points at the slice's dense group ids in operator memory
 * (null: no GROUP BY, every row in group 0), `card` is their count, `global` maps them to the
 * aggregator's groups (-1: no row of the group passed the filter), `rowMask` the filter's bytes
 * (0: all rows) and `counts` the rows per local group that passed it.
 */
export function updateUdfSlice(
  ev: ExprEvaluator,
  call: AggregateCall & { udf: AggregateUdfRef },
  state: UdfAggState,
  slice: {
    ids: number | null;
    card: number;
    global: ArrayLike<number>;
    rowMask: number;
    counts: ArrayLike<number>;
  },
): void {
  const n = ev.n;
  const argType = aggregateUdfInstance(call.udf.plugin).signature(call.udf.function).args[0]!;
  const v = ev.vals.materialize(ev.coerce(ev.eval(call.arg!), argType));
  const column = vecColumn(ev.vals, v, n);
  const mem = ev.vals.mem;
  // Rows the filter dropped get id -1, which the ABI says to skip: no compaction, no copy.
  const groupIds = new Int32Array(n);
  if (slice.ids !== null) groupIds.set(mem.i32.subarray(slice.ids >> 2, (slice.ids >> 2) + n));
  if (slice.rowMask !== 0) for (let i = 0; i < n; i++) if (mem.u8[slice.rowMask + i] === 0) groupIds[i] = -1;
  ev.vals.copied += 4 * n + columnBytes(column);
  const calls = aggregateUdfCalls(call.udf);
  const size = call.udf.stateBytes;
  const states = calls.update(calls.init(slice.card), groupIds, [column], n);
  for (let g = 0; g < slice.card; g++) {
    const to = slice.global[g]!;
    if (to < 0) continue;
    state.merge(to, states.slice(g * size, (g + 1) * size) as unknown as JsValue, slice.counts[g]!);
  }
}

function columnBytes(c: UdfColumn): number {
  const validity = c.validity?.byteLength ?? 0;
  return validity + (c.type === 'utf8' ? c.offsets.byteLength + c.data.byteLength : c.values.byteLength);
}

/**
 * Aggregates, split into a partial phase (base tier, per object) and a final phase
 * (intermediary, merging partials). AVG travels as a (sum, count) pair; an aggregate UDF as its
 * plugin-defined state bytes (packages/plugins/src/aggregate-udf-abi.ts).
 */
import type { Expr } from './expr.js';
import type { DataType } from './types.js';

/** Built-in aggregates, and `udf`: an aggregate-UDF plugin's function (AggregateCall.udf). */
export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'udf';

/** Which plugin function an aggregate UDF call runs, with what its manifest says of it. */
export interface AggregateUdfRef {
  readonly plugin: string;
  /** The manifest's function name: the exports are `<function>_init`, `_update`, ... */
  readonly function: string;
  readonly result: DataType;
  /** Bytes of one group's state; it travels as stateBytes/8 int64 columns. */
  readonly stateBytes: number;
}

export interface AggregateCall {
  /** Output column name (alias, or the canonical text of the call). */
  readonly name: string;
  readonly fn: AggregateFn;
  /** null for COUNT(*). */
  readonly arg: Expr | null;
  /** Set when fn is 'udf' (its one argument is `arg`). */
  readonly udf?: AggregateUdfRef;
}

export interface NamedExpr {
  readonly name: string;
  readonly expr: Expr;
}

/**
 * The partial-aggregate spec a fragment carries. Its output batch has the group columns first
 * (named as in `groupBy`), then the state columns of each call, named by
 * `partialStateColumns`.
 */
export interface PartialAggregate {
  readonly groupBy: readonly NamedExpr[];
  readonly aggregates: readonly AggregateCall[];
}

/**
 * Names and kinds of the state columns of one aggregate call in a partial-aggregate batch.
 * count → `${name}` (int64); sum/min/max → `${name}` (argument type, float64 for sums of
 * floats, int64 for sums of integers); avg → `${name}$sum` (float64) and `${name}$count` (int64);
 * udf → `${name}$s0`, `${name}$s1`, ... (int64, the state's bytes little-endian, 8 per column).
 */
export function partialStateColumns(call: AggregateCall): string[] {
  if (call.udf) return Array.from({ length: call.udf.stateBytes / 8 }, (_, i) => `${call.name}$s${i}`);
  return call.fn === 'avg' ? [`${call.name}$sum`, `${call.name}$count`] : [call.name];
}

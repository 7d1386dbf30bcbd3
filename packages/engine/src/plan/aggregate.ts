/**
 * Aggregates, split into a partial phase (base tier, per object) and a final phase
 * (intermediary, merging partials). AVG travels as a (sum, count) pair.
 */
import type { Expr } from './expr.js';

export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';

export interface AggregateCall {
  /** Output column name (alias, or the canonical text of the call). */
  readonly name: string;
  readonly fn: AggregateFn;
  /** null for COUNT(*). */
  readonly arg: Expr | null;
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
 * floats, int64 for sums of integers); avg → `${name}$sum` (float64) and `${name}$count` (int64).
 */
export function partialStateColumns(call: AggregateCall): string[] {
  return call.fn === 'avg' ? [`${call.name}$sum`, `${call.name}$count`] : [call.name];
}

/**
 * What the planner hands the intermediary: one base fragment template per query (instantiated
 * per object of the table) and the upper stages that run on the intermediary over the
 * fragments' outputs.
 *
 * Upper stages run in this order: finalAggregate → having → project → orderBy → offset/limit →
 * keep the first `outputSchema.length` columns of `project` (the rest are hidden sort keys).
 */
import type { AggregateCall, NamedExpr } from '../plan/aggregate.js';
import type { Expr } from '../plan/expr.js';
import type { Fragment } from '../plan/fragment.js';
import type { LogicalPlan } from '../plan/logical.js';
import type { Schema } from '../plan/types.js';

/** A fragment minus what is specific to one object. */
export type FragmentTemplate = Omit<Fragment, 'object' | 'format' | 'schema' | 'rowGroups'>;

export interface SortKey {
  readonly expr: Expr;
  readonly desc: boolean;
  /** DuckDB's default is NULLS LAST for ASC and DESC alike; true only for an explicit NULLS FIRST. */
  readonly nullsFirst: boolean;
}

export interface UpperStages {
  /** Merge of partial aggregates (group columns and aggregate calls as in the fragment). */
  readonly finalAggregate: {
    readonly groupBy: readonly string[];
    readonly aggregates: readonly AggregateCall[];
  } | null;
  /**
   * HAVING: keeps the final aggregate's rows where this is true (NULL counts as false). Reads the
   * group columns and aggregate outputs by name. Always null without `finalAggregate`.
   */
  readonly having: Expr | null;
  /**
   * Final select list, over the fragment outputs (or the final aggregate's outputs), referencing
   * them by name as columns. The first `outputSchema.length` entries are the result columns; any
   * after them are hidden sort keys (names start with `$sort`), dropped after ORDER BY and LIMIT.
   */
  readonly project: readonly NamedExpr[];
  /** Over `project`'s output columns (visible or hidden), as column references. */
  readonly orderBy: readonly SortKey[];
  readonly limit: number | null;
  readonly offset: number;
}

export interface QueryPlan {
  readonly sql: string;
  readonly table: string;
  readonly fragment: FragmentTemplate;
  readonly upper: UpperStages;
  /** Schema of the rows returned to the client. */
  readonly outputSchema: Schema;
  /** The bound logical plan the split came from (for EXPLAIN). */
  readonly logical: LogicalPlan;
}

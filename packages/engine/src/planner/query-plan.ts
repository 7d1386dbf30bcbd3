/**
 * What the planner hands the intermediary: one base fragment template per query (instantiated
 * per object of the table) and the upper stages that run on the intermediary over the
 * fragments' outputs.
 */
import type { AggregateCall, NamedExpr } from '../plan/aggregate.js';
import type { Expr } from '../plan/expr.js';
import type { Fragment } from '../plan/fragment.js';
import type { Schema } from '../plan/types.js';

/** A fragment minus what is specific to one object. */
export type FragmentTemplate = Omit<Fragment, 'object' | 'format' | 'schema' | 'rowGroups'>;

export interface SortKey {
  readonly expr: Expr;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

export interface UpperStages {
  /** Merge of partial aggregates (group columns and aggregate calls as in the fragment). */
  readonly finalAggregate: { readonly groupBy: readonly string[]; readonly aggregates: readonly AggregateCall[] } | null;
  /** Final select list, over the fragment outputs (or the final aggregate's outputs). */
  readonly project: readonly NamedExpr[];
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
}

/**
 * Collects the aggregate calls of a query while its clauses are bound. Identical calls (same
 * function, same argument) are kept once: `sum(a)` in SELECT, HAVING and ORDER BY is one state.
 * Each call stands in the bound expressions as a placeholder column whose name cannot come from
 * SQL (it holds a NUL character); the planner renames placeholders once output names are known.
 */
import type { AggregateFn, AggregateUdfRef } from '../plan/aggregate.js';
import { col, type ColumnRef, type Expr } from '../plan/expr.js';
import { exprKey } from './expr-rewrite.js';
import { aggregateType, type ExprTypeInfo } from './expr-type.js';
import type { AggregateSink } from './bind-scope.js';

const AGG_PREFIX = '\u0000agg';

export interface RegisteredAggregate {
  readonly fn: AggregateFn;
  readonly arg: Expr | null;
  /** The plugin function of an aggregate UDF (fn 'udf'). */
  readonly udf?: AggregateUdfRef;
  readonly placeholder: string;
  readonly type: ExprTypeInfo;
  /** DuckDB-style text: `sum(l_quantity)`, `count_star()`. */
  readonly display: string;
}

export class AggregateRegistry implements AggregateSink {
  readonly entries: RegisteredAggregate[] = [];
  private readonly byKey = new Map<string, RegisteredAggregate>();

  add(
    fn: AggregateFn,
    arg: Expr | null,
    argType: ExprTypeInfo | null,
    display: string,
    udf?: AggregateUdfRef,
  ): ColumnRef {
    const name = udf ? `${udf.plugin}.${udf.function}` : fn;
    const key = `${name}|${arg ? exprKey(arg) : '*'}`;
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = {
        fn,
        arg,
        ...(udf ? { udf } : {}),
        placeholder: `${AGG_PREFIX}${this.entries.length}`,
        type: aggregateType(fn, argType, udf),
        display,
      };
      this.entries.push(entry);
      this.byKey.set(key, entry);
    }
    return col(entry.placeholder);
  }

  readonly types = (name: string): ExprTypeInfo | undefined =>
    this.entries.find((e) => e.placeholder === name)?.type;

  static isPlaceholder(name: string): boolean {
    return name.startsWith(AGG_PREFIX);
  }
}

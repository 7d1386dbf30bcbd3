/**
 * Type inference over the expression IR. One set of rules for the binder (type checks), the
 * planner (output schema) and anyone evaluating a plan:
 *
 * - int op int → int64, except `/` → float64 (DuckDB: 7 / 2 = 3.5); float involved → float64
 * - comparisons, AND/OR/NOT, BETWEEN, IN, LIKE, IS NULL → bool
 * - unary minus keeps its argument's type; CAST → its target
 * - SUM(int) → int64, SUM(float) → float64, AVG → float64, COUNT → int64, MIN/MAX keep the type
 *
 * Nullability: a column is as nullable as its field; `/` is nullable (x / 0 is NULL in DuckDB);
 * IS [NOT] NULL never is; everything else is nullable when an input is.
 */
import { PlanError } from '@pushdown/proto';
import type { AggregateFn, AggregateUdfRef } from '../plan/aggregate.js';
import { visitExpr, type Expr } from '../plan/expr.js';
import type { DataType } from '../plan/types.js';

export interface ExprTypeInfo {
  readonly type: DataType;
  readonly nullable: boolean;
}

/** Resolves a column name to its type; undefined when the name is unknown. */
export type ColumnTypes = (name: string) => ExprTypeInfo | undefined;

export function exprType(e: Expr, columns: ColumnTypes): ExprTypeInfo {
  const t = (x: Expr): ExprTypeInfo => exprType(x, columns);
  const bool = (nullable: boolean): ExprTypeInfo => ({ type: 'bool', nullable });
  return visitExpr<ExprTypeInfo>(e, {
    column: (c) => {
      const info = columns(c.name);
      if (!info) throw new PlanError(`internal: no column "${c.name}" in the input of this expression`);
      return info;
    },
    literal: (l) => ({ type: l.type, nullable: l.value === null }),
    binary: (b) => {
      const l = t(b.left);
      const r = t(b.right);
      const nullable = l.nullable || r.nullable;
      switch (b.op) {
        case '+':
        case '-':
        case '*':
          return { type: arithmeticType(l.type, r.type), nullable };
        case '/':
          return { type: 'float64', nullable: true };
        default:
          return bool(nullable);
      }
    },
    not: (n) => bool(t(n.arg).nullable),
    negate: (n) => t(n.arg),
    between: (b) => bool(t(b.arg).nullable || t(b.low).nullable || t(b.high).nullable),
    in: (i) => bool(t(i.arg).nullable || i.list.some((l) => l.value === null)),
    like: (l) => bool(t(l.arg).nullable),
    isNull: () => bool(false),
    cast: (c) => ({ type: c.to, nullable: t(c.arg).nullable }),
    // A plugin may return NULL for any row (e.g. a hash of NULL), so calls are always nullable.
    call: (c) => {
      c.args.forEach(t);
      return { type: c.type, nullable: true };
    },
  });
}

/** Result type of + - * over two numeric types. */
export function arithmeticType(l: DataType, r: DataType): DataType {
  return l === 'float64' || r === 'float64' ? 'float64' : 'int64';
}

/** Output type of an aggregate over an argument of type `arg` (null for COUNT(*)). */
export function aggregateType(
  fn: AggregateFn,
  arg: ExprTypeInfo | null,
  udf?: AggregateUdfRef,
): ExprTypeInfo {
  switch (fn) {
    case 'udf':
      // The plugin's finalize decides (e.g. a variance of one value is NULL).
      return { type: udf?.result ?? 'float64', nullable: true };
    case 'count':
      return { type: 'int64', nullable: false };
    case 'avg':
      return { type: 'float64', nullable: true };
    case 'sum':
      return { type: arg?.type === 'float64' ? 'float64' : 'int64', nullable: true };
    case 'min':
    case 'max':
      return { type: arg?.type ?? 'int64', nullable: true };
  }
}

/**
 * What binding an expression needs to know: the table's columns, where in the text we are
 * (for error positions), which clause (for messages), and where aggregate calls go.
 */
import { InvalidArgumentError, closestName } from '@pushdown/proto';
import type { FunctionCatalog } from '@pushdown/plugins';
import type { AggregateFn, AggregateUdfRef } from '../plan/aggregate.js';
import type { ColumnRef, Expr } from '../plan/expr.js';
import type { Field, Schema } from '../plan/types.js';
import type { ExactDecimal } from './exact-decimal.js';
import type { Interval } from './date-literal.js';
import type { ColumnTypes, ExprTypeInfo } from './expr-type.js';
import type { SourceRange, SourceText } from './source-text.js';

/** A bound value expression with its DuckDB-style display name (used when no alias is given). */
export interface BoundValue {
  readonly kind: 'value';
  readonly expr: Expr;
  readonly name: string;
  /** Exact value of a numeric literal as written, for exact constant folding. */
  readonly exact?: ExactDecimal;
}

/** INTERVAL literals are not expressions of the IR: they only fold into DATE literals. */
export interface BoundInterval {
  readonly kind: 'interval';
  readonly interval: Interval;
  readonly name: string;
}

export type Bound = BoundValue | BoundInterval;

/** Receives aggregate calls found while binding, and returns the column that stands for each. */
export interface AggregateSink {
  add(
    fn: AggregateFn,
    arg: Expr | null,
    argType: ExprTypeInfo | null,
    displayName: string,
    udf?: AggregateUdfRef,
  ): ColumnRef;
  readonly types: ColumnTypes;
}

export interface BindScope {
  readonly src: SourceText;
  readonly table: string;
  /** Names that may qualify a column: the table name and its alias, lower-cased. */
  readonly qualifiers: readonly string[];
  readonly schema: Schema;
  /** `WHERE`, `SELECT`, `GROUP BY`, ...: for messages. */
  readonly clause: string;
  /** null where aggregates are not allowed (WHERE, GROUP BY, inside another aggregate). */
  readonly aggregates: AggregateSink | null;
  /** Scalar UDFs callable by name (from the plugin registry). */
  readonly functions?: FunctionCatalog;
  /** Where to look for names first when reporting positions. */
  readonly range?: SourceRange;
}

export function scopeTypes(scope: BindScope): ColumnTypes {
  return (name) => {
    const f = scope.schema.find((x) => x.name === name);
    if (f) return { type: f.type, nullable: f.nullable };
    return scope.aggregates?.types(name);
  };
}

/** Case-insensitive column lookup (DuckDB folds identifiers); the exact spelling wins a tie. */
export function findField(schema: Schema, name: string): Field | undefined {
  return (
    schema.find((f) => f.name === name) ?? schema.find((f) => f.name.toLowerCase() === name.toLowerCase())
  );
}

export function unknownColumnError(
  scope: BindScope,
  name: string,
  offset: number | undefined,
): InvalidArgumentError {
  const names = scope.schema.map((f) => f.name);
  const close = closestName(name, names);
  return new InvalidArgumentError(
    `column "${name}" not found in table ${scope.table}${scope.src.at(offset)}` +
      (close ? `; did you mean "${close}"?` : '.') +
      ` Columns of ${scope.table}: ${names.join(', ')}`,
  );
}

export { closestName };

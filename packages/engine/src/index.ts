/**
 * @pushdown/engine: shared by both tiers.
 */

// ---- plan and expression IR ----
export type { DataType, Field, Schema } from './plan/types.js';
export { DATA_TYPES, isNumericType } from './plan/types.js';
export type {
  Expr,
  ExprKind,
  ExprVisitor,
  LiteralValue,
  BinaryOp,
  ArithmeticOp,
  ComparisonOp,
  LogicalOp,
  ColumnRef,
  Literal,
  Binary,
  Not,
  Negate,
  Between,
  InList,
  Like,
  IsNull,
  Cast,
  Call,
} from './plan/expr.js';
export { visitExpr, col, lit, bin, columnsOf, pluginsOf, exprToString } from './plan/expr.js';
export type { AggregateFn, AggregateCall, NamedExpr, PartialAggregate } from './plan/aggregate.js';
export { partialStateColumns } from './plan/aggregate.js';
export type { Fragment, FragmentStats, ObjectFormat, OperatorMetrics } from './plan/fragment.js';
export { FRAGMENT_VERSION, fragmentPlugins } from './plan/fragment.js';
export { parseSchemaJson, checkSchema, schemaToJson } from './plan/schema-json.js';

// ---- sub-areas (each curates its own exports) ----
export * from './sql/index.js';
export * from './planner/index.js';
export * from './readers/index.js';
export * from './exec/index.js';
export * from './wasm/index.js';
export * from './parallel/index.js';

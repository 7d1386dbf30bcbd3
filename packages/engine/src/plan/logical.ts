/**
 * The logical plan: what a query computes, before it is split between the tiers. Frozen data
 * with a `kind` tag; passes are visitors whose handler table is typed over every kind, so adding
 * a kind fails to compile until each pass handles it (Kysely's operation nodes).
 *
 * The SQL front end builds one shape, bottom to top:
 *   Scan → Filter (WHERE)? → Aggregate? → Filter (HAVING)? → Project (select list + hidden sort
 *   keys) → Sort? → Limit? → Project (drops the hidden sort keys)?
 *
 * @example
 * formatLogicalPlan(plan)
 * // 1 Limit: 10
 * // 2   Sort: revenue DESC
 * // 3     Project: l_orderkey, revenue
 * // ...
 */
import type { AggregateCall, NamedExpr } from './aggregate.js';
import { exprToString, type Expr } from './expr.js';
import type { Schema } from './types.js';

export interface ScanNode {
  readonly kind: 'scan';
  readonly table: string;
  /** The table's schema as the catalog knows it. */
  readonly schema: Schema;
  /** Columns the rest of the plan reads, in schema order. */
  readonly columns: readonly string[];
}

export interface FilterNode {
  readonly kind: 'filter';
  readonly input: LogicalPlan;
  readonly predicate: Expr;
}

export interface ProjectNode {
  readonly kind: 'project';
  readonly input: LogicalPlan;
  readonly exprs: readonly NamedExpr[];
}

/** Output: the group columns (named as in `groupBy`), then one column per aggregate call. */
export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly input: LogicalPlan;
  readonly groupBy: readonly NamedExpr[];
  readonly aggregates: readonly AggregateCall[];
}

export interface LogicalSortKey {
  readonly expr: Expr;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

export interface SortNode {
  readonly kind: 'sort';
  readonly input: LogicalPlan;
  readonly keys: readonly LogicalSortKey[];
}

export interface LimitNode {
  readonly kind: 'limit';
  readonly input: LogicalPlan;
  /** null = no limit (only an offset). */
  readonly limit: number | null;
  readonly offset: number;
}

export type LogicalPlan = ScanNode | FilterNode | ProjectNode | AggregateNode | SortNode | LimitNode;
export type LogicalKind = LogicalPlan['kind'];

/** A handler per node kind; adding a kind fails to compile until every visitor handles it. */
export type LogicalVisitor<R> = { [K in LogicalKind]: (node: Extract<LogicalPlan, { kind: K }>) => R };

export function visitLogical<R>(node: LogicalPlan, v: LogicalVisitor<R>): R {
  return (v[node.kind] as (n: LogicalPlan) => R)(node);
}

export const scanNode = (table: string, schema: Schema, columns: readonly string[]): ScanNode =>
  Object.freeze({ kind: 'scan', table, schema, columns: Object.freeze([...columns]) });
export const filterNode = (input: LogicalPlan, predicate: Expr): FilterNode =>
  Object.freeze({ kind: 'filter', input, predicate });
export const projectNode = (input: LogicalPlan, exprs: readonly NamedExpr[]): ProjectNode =>
  Object.freeze({ kind: 'project', input, exprs: Object.freeze([...exprs]) });
export const aggregateNode = (
  input: LogicalPlan,
  groupBy: readonly NamedExpr[],
  aggregates: readonly AggregateCall[],
): AggregateNode =>
  Object.freeze({
    kind: 'aggregate',
    input,
    groupBy: Object.freeze([...groupBy]),
    aggregates: Object.freeze([...aggregates]),
  });
export const sortNode = (input: LogicalPlan, keys: readonly LogicalSortKey[]): SortNode =>
  Object.freeze({ kind: 'sort', input, keys: Object.freeze([...keys]) });
export const limitNode = (input: LogicalPlan, limit: number | null, offset: number): LimitNode =>
  Object.freeze({ kind: 'limit', input, limit, offset });

/** The input of a node; undefined for a scan (a leaf). */
export function logicalInput(node: LogicalPlan): LogicalPlan | undefined {
  return node.kind === 'scan' ? undefined : node.input;
}

// ---- EXPLAIN text ----

/** `expr AS name`, or just the name when the expression is that column. */
export function namedExprToString(n: NamedExpr): string {
  return n.expr.kind === 'column' && n.expr.name === n.name ? n.name : `${exprToString(n.expr)} AS ${n.name}`;
}

/** `sum(l_quantity)`, `count(*)`, with ` AS name` when the name is not that text. */
export function aggregateCallToString(a: AggregateCall): string {
  const call = `${a.udf ? a.udf.function : a.fn}(${a.arg ? exprToString(a.arg) : '*'})`;
  return call === a.name ? call : `${call} AS ${a.name}`;
}

/** Sort keys print NULLS FIRST/LAST only when it differs from DuckDB's default (NULLS LAST). */
export function sortKeyToString(k: LogicalSortKey): string {
  return `${exprToString(k.expr)}${k.desc ? ' DESC' : ''}${k.nullsFirst ? ' NULLS FIRST' : ''}`;
}

export function limitToString(limit: number | null, offset: number): string {
  return `${limit === null ? 'ALL' : limit}${offset ? ` OFFSET ${offset}` : ''}`;
}

/** One EXPLAIN line per node (without numbering or indentation). */
export function describeLogicalNode(node: LogicalPlan): string {
  return visitLogical<string>(node, {
    scan: (s) => `Scan: ${s.table} [${s.columns.join(', ')}]`,
    filter: (f) => `Filter: ${exprToString(f.predicate)}`,
    project: (p) => `Project: ${p.exprs.map(namedExprToString).join(', ')}`,
    aggregate: (a) =>
      `Aggregate: groupBy=[${a.groupBy.map(namedExprToString).join(', ')}] aggregates=[${a.aggregates.map(aggregateCallToString).join(', ')}]`,
    sort: (s) => `Sort: ${s.keys.map(sortKeyToString).join(', ')}`,
    limit: (l) => `Limit: ${limitToString(l.limit, l.offset)}`,
  });
}

/** Numbered, indented lines, top of the plan first: `1 Limit: 10\n2   Sort: revenue DESC`. */
export function formatNumberedTree(lines: readonly string[], startAt = 1): string {
  return lines.map((text, depth) => `${depth + startAt} ${'  '.repeat(depth)}${text}`).join('\n');
}

export function formatLogicalPlan(plan: LogicalPlan): string {
  const lines: string[] = [];
  for (let n: LogicalPlan | undefined = plan; n; n = logicalInput(n)) lines.push(describeLogicalNode(n));
  return formatNumberedTree(lines);
}

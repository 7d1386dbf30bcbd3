/**
 * SQL text → bound, type-checked logical plan.
 *
 * @example
 * const plan = parseSql('SELECT l_returnflag, sum(l_quantity) FROM lineitem GROUP BY 1', catalog);
 * formatLogicalPlan(plan);
 * // 1 Project: l_returnflag, sum(l_quantity)
 * // 2   Aggregate: groupBy=[l_returnflag] aggregates=[sum(l_quantity)]
 * // 3     Scan: lineitem [l_quantity, l_returnflag]
 */
import { InvalidArgumentError } from '@pushdown/proto';
import type { AggregateCall, NamedExpr } from '../plan/aggregate.js';
import { col, columnsOf, type Expr } from '../plan/expr.js';
import {
  aggregateNode,
  filterNode,
  limitNode,
  projectNode,
  scanNode,
  sortNode,
  type LogicalPlan,
  type LogicalSortKey,
} from '../plan/logical.js';
import { AggregateRegistry } from './aggregate-registry.js';
import {
  bindGroupBy,
  bindLimit,
  bindOrderBy,
  bindSelectList,
  type GroupItem,
  type SelectItem,
} from './bind-clauses.js';
import { bindValue } from './bind-expr.js';
import { requireBool } from './bind-operators.js';
import type { BindScope } from './bind-scope.js';
import { resolveTable, type Catalog } from './catalog.js';
import { exprKey, rewriteExpr } from './expr-rewrite.js';
import { parseSelect } from './parse-select.js';
import { SourceText } from './source-text.js';
import { defaultFunctionCatalog } from './bind-call.js';

/** Prefix of internal column names; user aliases may not contain `$`, so these never clash. */
export const HIDDEN_SORT_PREFIX = '$sort';

export function parseSql(sql: string, catalog: Catalog): LogicalPlan {
  const src = new SourceText(sql);
  const ast = parseSelect(src);
  const from = ast.from![0]!;
  const { table, schema } = resolveTable(catalog, from.table!, from.db, src);
  const qualifiers = [table, from.table!, ...(from.as ? [from.as] : [])].map((q) => q.toLowerCase());
  const registry = new AggregateRegistry();
  const functions = catalog.functions ?? defaultFunctionCatalog();
  const scope = (clause: string, aggregates: boolean): BindScope => ({
    src,
    functions,
    table,
    qualifiers,
    schema,
    clause,
    aggregates: aggregates ? registry : null,
  });

  const where = ast.where ? bindValue(ast.where, scope('WHERE', false)) : null;
  if (where)
    requireBool(
      where,
      scope('WHERE', false),
      ast.where?.loc?.start.offset ?? src.findKeyword('where'),
      'WHERE',
    );
  const items = bindSelectList(ast.columns, scope('SELECT', true));
  const groups = bindGroupBy(ast.groupby?.columns ?? [], items, scope('GROUP BY', false));
  const having = ast.having ? bindValue(ast.having, scope('HAVING', true)) : null;
  if (having)
    requireBool(
      having,
      scope('HAVING', true),
      ast.having?.loc?.start.offset ?? src.findKeyword('having'),
      'HAVING',
    );
  const order = bindOrderBy(ast.orderby ?? [], items, scope('ORDER BY', true));
  const { limit, offset } = bindLimit(ast, scope('LIMIT', false));

  const isAggregate = groups.length > 0 || registry.entries.length > 0 || having !== null;
  // In an aggregate query every expression above the aggregate reads its outputs: group
  // expressions and aggregate calls become columns; any other column reference is an error.
  const lifter = isAggregate ? aggregateLifter(src, groups, items, registry) : null;
  const lift = lifter ? lifter.lift : (e: Expr): Expr => e;

  const visible: NamedExpr[] = items.map((it) => ({
    name: it.name,
    expr: lift(it.bound.expr, `select item ${it.name}`),
  }));
  const hidden: NamedExpr[] = [];
  const keys: LogicalSortKey[] = order.map((o) => {
    let name: string;
    if ('item' in o.target) {
      name = items[o.target.item]!.name;
    } else {
      name = `${HIDDEN_SORT_PREFIX}${hidden.length}`;
      hidden.push({ name, expr: lift(o.target.expr, 'ORDER BY') });
    }
    return Object.freeze({ expr: col(name), desc: o.desc, nullsFirst: o.nullsFirst });
  });

  const baseExprs: Expr[] = [
    ...(where ? [where.expr] : []),
    ...(isAggregate
      ? [...groups.map((g) => g.expr), ...registry.entries.flatMap((a) => (a.arg ? [a.arg] : []))]
      : [...visible, ...hidden].map((n) => n.expr)),
  ];
  const used = new Set(baseExprs.flatMap((e) => columnsOf(e)));
  let node: LogicalPlan = scanNode(
    table,
    schema,
    schema.filter((f) => used.has(f.name)).map((f) => f.name),
  );
  if (where) node = filterNode(node, where.expr);
  if (lifter) {
    const { groupBy, aggregates } = lifter.outputs();
    node = aggregateNode(node, groupBy, aggregates);
    if (having) node = filterNode(node, lift(having.expr, 'HAVING'));
  }
  node = projectNode(node, [...visible, ...hidden]);
  if (keys.length) node = sortNode(node, keys);
  if (limit !== null || offset > 0) node = limitNode(node, limit, offset);
  if (hidden.length)
    node = projectNode(
      node,
      visible.map((v) => ({ name: v.name, expr: col(v.name) })),
    );
  return node;
}

interface Lifter {
  lift(e: Expr, where: string): Expr;
  outputs(): { groupBy: NamedExpr[]; aggregates: AggregateCall[] };
}

/**
 * Rewrites expressions over the table into expressions over the aggregate's output, and names
 * that output: group columns keep their column name (or the select alias / display text of the
 * expression), aggregates take the alias of a select item that is exactly that call, else their
 * DuckDB-style text. Clashes fall back to `$gN` / `$aN`.
 */
function aggregateLifter(
  src: SourceText,
  groups: readonly GroupItem[],
  items: readonly SelectItem[],
  registry: AggregateRegistry,
): Lifter {
  const taken = new Set<string>();
  const claim = (preferred: string, fallback: string): string => {
    const name = taken.has(preferred.toLowerCase()) ? fallback : preferred;
    taken.add(name.toLowerCase());
    return name;
  };
  const groupNames = groups.map((g, i) => claim(g.expr.kind === 'column' ? g.expr.name : g.name, `$g${i}`));
  const aggNames = new Map<string, string>();
  for (const it of items) {
    const e = it.bound.expr;
    if (
      e.kind === 'column' &&
      AggregateRegistry.isPlaceholder(e.name) &&
      !aggNames.has(e.name) &&
      !taken.has(it.name.toLowerCase())
    ) {
      aggNames.set(e.name, claim(it.name, ''));
    }
  }
  registry.entries.forEach((a, i) => {
    if (!aggNames.has(a.placeholder)) aggNames.set(a.placeholder, claim(a.display, `$a${i}`));
  });
  const groupKeys = groups.map((g) => exprKey(g.expr));

  const lift = (e: Expr, where: string): Expr =>
    rewriteExpr(e, (node) => {
      const gi = groupKeys.indexOf(exprKey(node));
      if (gi >= 0) return col(groupNames[gi]!);
      if (node.kind !== 'column') return undefined;
      const agg = aggNames.get(node.name);
      if (agg !== undefined) return col(agg);
      throw new InvalidArgumentError(
        `column "${node.name}" must appear in the GROUP BY clause or be used in an aggregate function (in ${where})${src.at(src.findName(node.name, { start: src.findKeyword('select') ?? 0, end: src.sql.length }))}`,
      );
    });
  const outputs = (): ReturnType<Lifter['outputs']> => ({
    groupBy: groups.map((g, i) => Object.freeze({ name: groupNames[i]!, expr: g.expr })),
    aggregates: registry.entries.map((a) =>
      Object.freeze({
        name: aggNames.get(a.placeholder)!,
        fn: a.fn,
        arg: a.arg,
        ...(a.udf ? { udf: a.udf } : {}),
      }),
    ),
  });
  return { lift, outputs };
}

/**
 * Splits a logical plan between the tiers: the base fragment (scan, WHERE, then either the
 * select-list projection or a partial aggregate, and a pushed-down LIMIT when that is safe) and
 * the upper stages on the intermediary (final aggregate, HAVING, projection, sort, limit).
 *
 * LIMIT is pushed to the base as LIMIT + OFFSET only without ORDER BY and without aggregation:
 * then any LIMIT + OFFSET rows of any fragment are as good as any others, and the intermediary
 * still applies OFFSET and LIMIT over the merged stream.
 */
import { PlanError } from '@pushdown/proto';
import type { NamedExpr } from '../plan/aggregate.js';
import { col, type Expr } from '../plan/expr.js';
import { FRAGMENT_VERSION } from '../plan/fragment.js';
import {
  visitLogical,
  type AggregateNode,
  type LimitNode,
  type LogicalPlan,
  type ProjectNode,
  type ScanNode,
  type SortNode,
} from '../plan/logical.js';
import type { Field, Schema } from '../plan/types.js';
import { aggregateType, exprType, type ColumnTypes, type ExprTypeInfo } from '../sql/expr-type.js';
import type { FragmentTemplate, QueryPlan, UpperStages } from './query-plan.js';

/** The canonical layers of a plan built by parseSql, bottom to top. */
interface Layers {
  scan?: ScanNode;
  where: Expr | null;
  aggregate: AggregateNode | null;
  having: Expr | null;
  project?: ProjectNode;
  sort: SortNode | null;
  limit: LimitNode | null;
  top: ProjectNode | null;
}

function peel(plan: LogicalPlan): Layers & { scan: ScanNode; project: ProjectNode } {
  const nodes: LogicalPlan[] = [];
  for (let n: LogicalPlan | undefined = plan; n; n = n.kind === 'scan' ? undefined : n.input)
    nodes.unshift(n);
  const l: Layers = { where: null, aggregate: null, having: null, sort: null, limit: null, top: null };
  const unexpected = (n: LogicalPlan): never => {
    throw new PlanError(
      `internal: cannot split a plan with ${n.kind} at this position (${nodes.map((x) => x.kind).join(' → ')})`,
    );
  };
  for (const node of nodes) {
    visitLogical<void>(node, {
      scan: (s) => (l.scan ? unexpected(s) : void (l.scan = s)),
      filter: (f) => {
        if (!l.scan || l.project) return unexpected(f);
        if (l.aggregate && !l.having) l.having = f.predicate;
        else if (!l.aggregate && !l.where) l.where = f.predicate;
        else unexpected(f);
      },
      aggregate: (a) => (!l.scan || l.aggregate || l.project ? unexpected(a) : void (l.aggregate = a)),
      project: (p) => {
        if (!l.scan || l.top) return unexpected(p);
        if (!l.project) l.project = p;
        else l.top = p;
      },
      sort: (s) => (!l.project || l.sort || l.limit || l.top ? unexpected(s) : void (l.sort = s)),
      limit: (x) => (!l.project || l.limit || l.top ? unexpected(x) : void (l.limit = x)),
    });
  }
  if (!l.scan || !l.project) throw new PlanError('internal: a plan needs a scan and a projection');
  return l as Layers & { scan: ScanNode; project: ProjectNode };
}

function lookup(fields: ReadonlyMap<string, ExprTypeInfo>): ColumnTypes {
  return (name) => fields.get(name);
}

export function splitPlan(sql: string, plan: LogicalPlan): QueryPlan {
  const l = peel(plan);
  const base = lookup(new Map(l.scan.schema.map((f) => [f.name, { type: f.type, nullable: f.nullable }])));
  const limit = l.limit?.limit ?? null;
  const offset = l.limit?.offset ?? 0;
  const orderBy = l.sort?.keys ?? [];
  let fragment: FragmentTemplate;
  let upper: UpperStages;
  let upperInput: ColumnTypes;

  if (l.aggregate) {
    const { groupBy, aggregates } = l.aggregate;
    fragment = {
      version: FRAGMENT_VERSION,
      table: l.scan.table,
      columns: l.scan.columns,
      filter: l.where,
      project: null,
      aggregate: Object.freeze({ groupBy, aggregates }),
      limit: null,
    };
    upper = {
      finalAggregate: Object.freeze({ groupBy: groupBy.map((g) => g.name), aggregates }),
      having: l.having,
      project: l.project.exprs,
      orderBy,
      limit,
      offset,
    };
    upperInput = lookup(
      new Map([
        ...groupBy.map((g): [string, ExprTypeInfo] => [g.name, exprType(g.expr, base)]),
        ...aggregates.map((a): [string, ExprTypeInfo] => [
          a.name,
          aggregateType(a.fn, a.arg ? exprType(a.arg, base) : null, a.udf),
        ]),
      ]),
    );
  } else {
    const exprs = l.project.exprs;
    const identity =
      exprs.length === l.scan.columns.length &&
      exprs.every(
        (n, i) => n.name === l.scan.columns[i] && n.expr.kind === 'column' && n.expr.name === n.name,
      );
    fragment = {
      version: FRAGMENT_VERSION,
      table: l.scan.table,
      columns: l.scan.columns,
      filter: l.where,
      project: identity ? null : exprs,
      aggregate: null,
      limit: l.sort || limit === null ? null : limit + offset,
    };
    upper = {
      finalAggregate: null,
      having: null,
      project: exprs.map((n): NamedExpr => Object.freeze({ name: n.name, expr: col(n.name) })),
      orderBy,
      limit,
      offset,
    };
    upperInput = lookup(new Map(exprs.map((n): [string, ExprTypeInfo] => [n.name, exprType(n.expr, base)])));
  }

  const visible = l.top ? l.top.exprs.length : l.project.exprs.length;
  const outputSchema: Schema = upper.project.slice(0, visible).map((n): Field => {
    const t = exprType(n.expr, upperInput);
    return Object.freeze({ name: n.name, type: t.type, nullable: t.nullable });
  });
  return Object.freeze({
    sql,
    table: l.scan.table,
    fragment: Object.freeze(fragment),
    upper: Object.freeze(upper),
    outputSchema: Object.freeze(outputSchema),
    logical: plan,
  });
}

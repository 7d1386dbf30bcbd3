/**
 * EXPLAIN text for a planned query: the logical plan, what runs at the base (per object), the
 * upper stages on the intermediary, the output schema and, when known, where each object's
 * fragment runs and why. Tests pin this text, so change it deliberately.
 *
 * @example
 * explainQuery(planQuery('SELECT count(*) FROM lineitem', catalog));
 */
import { partialStateColumns } from '../plan/aggregate.js';
import { exprToString } from '../plan/expr.js';
import {
  aggregateCallToString,
  formatLogicalPlan,
  formatNumberedTree,
  limitToString,
  namedExprToString,
  sortKeyToString,
} from '../plan/logical.js';
import type { QueryPlan } from './query-plan.js';

export interface PlacementLine {
  readonly object: string;
  readonly node: string;
  readonly placement: string;
  readonly reason: string;
}

export function explainQuery(plan: QueryPlan, placements?: readonly PlacementLine[]): string {
  const f = plan.fragment;
  const u = plan.upper;
  const out: string[] = ['Logical plan:', formatLogicalPlan(plan.logical), ''];

  out.push(`Base fragment (per object of ${plan.table}):`);
  out.push(`  read: ${f.columns.length ? f.columns.join(', ') : '(no columns: row counts only)'}`);
  if (f.filter) out.push(`  filter: ${exprToString(f.filter)}`);
  if (f.aggregate) {
    const a = f.aggregate;
    out.push(
      `  partial aggregate: groupBy=[${a.groupBy.map(namedExprToString).join(', ')}] aggregates=[${a.aggregates.map(aggregateCallToString).join(', ')}]`,
    );
    out.push(
      `  output: ${[...a.groupBy.map((g) => g.name), ...a.aggregates.flatMap(partialStateColumns)].join(', ')}`,
    );
  } else if (f.project) {
    out.push(`  project: ${f.project.map(namedExprToString).join(', ')}`);
  } else {
    out.push(`  project: (read columns as they are)`);
  }
  if (f.limit !== null) out.push(`  limit: ${f.limit}`);
  out.push('');

  const upper: string[] = [];
  if (u.limit !== null || u.offset > 0) upper.push(`Limit: ${limitToString(u.limit, u.offset)}`);
  if (u.orderBy.length) upper.push(`Sort: ${u.orderBy.map(sortKeyToString).join(', ')}`);
  upper.push(`Project: ${u.project.map(namedExprToString).join(', ')}`);
  if (u.having) upper.push(`Having: ${exprToString(u.having)}`);
  if (u.finalAggregate) {
    const a = u.finalAggregate;
    upper.push(
      `FinalAggregate: groupBy=[${a.groupBy.join(', ')}] aggregates=[${a.aggregates.map(aggregateCallToString).join(', ')}]`,
    );
  }
  upper.push(`Merge: base fragments of ${plan.table}`);
  out.push('Upper stages (intermediary):', formatNumberedTree(upper), '');

  out.push(`Output: ${plan.outputSchema.map((c) => `${c.name} ${c.type}`).join(', ')}`);
  if (placements) {
    out.push('Placement:');
    if (placements.length === 0) out.push('  (no objects)');
    for (const p of placements) out.push(`  ${p.object} on ${p.node}: ${p.placement} (${p.reason})`);
  }
  return out.join('\n');
}

/**
 * SQL → QueryPlan: parse and bind against the catalog, then split between the tiers.
 *
 * @example
 * const plan = planQuery('SELECT sum(l_quantity) FROM lineitem WHERE l_discount > 0.05', catalog);
 * plan.fragment.aggregate; // partial sum at the base
 * plan.upper.finalAggregate; // merged on the intermediary
 */
import type { Catalog } from '../sql/catalog.js';
import { parseSql } from '../sql/parse-sql.js';
import type { QueryPlan } from './query-plan.js';
import { splitPlan } from './split-plan.js';

export function planQuery(sql: string, catalog: Catalog): QueryPlan {
  return splitPlan(sql, parseSql(sql, catalog));
}

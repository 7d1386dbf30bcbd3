// Curated exports of engine/src/planner. Explicit names, no export *.
export type { QueryPlan, UpperStages, SortKey, FragmentTemplate } from './query-plan.js';
export { planQuery } from './plan-query.js';
export { splitPlan } from './split-plan.js';
export { explainQuery } from './explain-query.js';
export type { PlacementLine } from './explain-query.js';
export type { Catalog } from '../sql/catalog.js';

// ---- logical plan (plan/logical.ts) ----
export type {
  LogicalPlan,
  LogicalKind,
  LogicalVisitor,
  ScanNode,
  FilterNode,
  ProjectNode,
  AggregateNode,
  SortNode,
  LimitNode,
  LogicalSortKey,
} from '../plan/logical.js';
export {
  visitLogical,
  logicalInput,
  formatLogicalPlan,
  describeLogicalNode,
  scanNode,
  filterNode,
  projectNode,
  aggregateNode,
  sortNode,
  limitNode,
} from '../plan/logical.js';

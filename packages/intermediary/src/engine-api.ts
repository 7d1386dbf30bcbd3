/**
 * The engine functions the intermediary calls, in one place: the SQL front end and planner
 * (planQuery, explainQuery) and the executor (runFragment, runUpperStages). Everything else
 * imports them from here, so a change in the engine's surface touches one file.
 */
export { planQuery, explainQuery, runFragment, runUpperStages } from '@pushdown/engine';
export { readCpuBudget, resolveParallelism, closeScanPool } from '@pushdown/engine';
export type { QueryPlan, Fragment, FragmentTemplate, FragmentStats, OperatorMetrics } from '@pushdown/engine';

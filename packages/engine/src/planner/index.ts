// Curated exports of engine/src/planner (owned by whoever builds planner). Explicit names, no export *.
export {};
export type { QueryPlan, UpperStages, SortKey, FragmentTemplate } from './query-plan.js';

// Curated exports of engine/src/exec: the executor for plan fragments and upper stages.
export { runFragment } from './run-fragment.js';
export type { FragmentRun, RunFragmentOptions } from './run-fragment.js';
export { runUpperStages } from './upper-stages.js';
export { evaluateExpr, filterBatch, projectBatch, FilterOperator, ProjectOperator } from './batch-ops.js';
export { PartialAggregator } from './partial-aggregator.js';
export { FinalAggregator } from './final-aggregator.js';
export { inferExprType } from './expr-type.js';
export type { JsValue } from './arrow-columns.js';
export { registryPlugins } from './udf-call.js';
export type { PluginSummary } from './udf-call.js';

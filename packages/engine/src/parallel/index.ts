// Curated exports of engine/src/parallel: the worker pool and the CPU budget that sizes it.
export { readCpuBudget, readCgroupQuota, resolveParallelism } from './cpu-budget.js';
export type { CpuBudget, CpuBudgetOptions, Parallelism } from './cpu-budget.js';
export { SERVER_NODE_FLAGS } from './server-flags.js';
export { ScanPool, defaultScanPool, configureScanPool, closeScanPool, workerFile } from './scan-pool.js';
export type { ScanPoolOptions } from './scan-pool.js';

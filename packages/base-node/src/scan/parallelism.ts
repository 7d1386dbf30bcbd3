/**
 * A base node's degree of parallelism: its budget is the smallest of the CPUs, the cgroup quota
 * it runs under and its configured `cpuQuota`; its default is the configured `parallelism`
 * (0 = the budget). A Scan may ask for another degree, but never for more than the budget: a
 * node at half a core runs its scans on one thread however many it is asked for.
 */
import { readCpuBudget, resolveParallelism } from '@pushdown/engine';

export interface NodeParallelism {
  readonly default: number;
  readonly max: number;
}

export function nodeParallelism(configured: number, cpuQuota: number): NodeParallelism {
  const budget = readCpuBudget(cpuQuota > 0 ? { configuredCores: cpuQuota } : {});
  const max = budget.threads;
  return { default: resolveParallelism(configured === 0 ? 'auto' : configured, budget), max };
}

/** The degree a Scan runs with: what it asked for (0 = the node default), capped by the budget. */
export function scanParallelism(requested: number, node: NodeParallelism | undefined): number {
  if (!node) return 1;
  return Math.max(1, Math.min(requested > 0 ? requested : node.default, node.max));
}

/**
 * The sweep's CPU-quota step, one swappable function: the default changes every base node's
 * quota live through its cgroup (no restart, so caches and connections stay warm and only the
 * quota differs between points). Where nodes run without cgroups the step reports that it could
 * not apply the quota, and the summary marks those points `quota_applied=false` instead of
 * silently presenting unthrottled numbers as throttled ones.
 */
import { setNodeCpuQuota } from '../cgroups/topology-cgroups.js';
import type { TopologyState } from '../topology/state-file.js';

export interface QuotaOutcome {
  applied: boolean;
  /** Why not, when not applied. */
  note?: string;
}

/** Sets every base node of the running topology to `cpus` cores. */
export type QuotaStep = (state: TopologyState, cpus: number) => Promise<QuotaOutcome>;

export const cgroupQuotaStep: QuotaStep = async (state, cpus) => {
  const nodes = state.processes.filter((p) => p.role === 'base-node');
  try {
    for (const n of nodes) await setNodeCpuQuota(state, n.id, cpus);
    return { applied: true };
  } catch (err) {
    return { applied: false, note: (err as Error).message };
  }
};

/** For runs that measure without throttling (and tests of the runner itself). */
export const noQuotaStep: QuotaStep = async () => ({ applied: false, note: 'quota step disabled' });

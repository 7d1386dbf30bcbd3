/**
 * Load of the nodes' cgroups over a short window, for `pushdown status`: CPU used (cores, from
 * cpuacct.usage or cpu.stat usage_usec) and whether the quota throttled the group meanwhile.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { readCgroupCpuQuota, readCgroupCpuStat, type NodeCgroup } from './node-cgroup.js';

export interface CgroupLoad {
  /** Cores used over the window (0.25 = 25 % of one core); undefined without CPU accounting. */
  cpuCores?: number;
  /** Periods in the window in which the group ran out of quota. */
  throttledPeriods: number;
  /** Quota in force now, cores (0 = unthrottled). */
  quotaCpus: number;
}

/** Samples every group twice, `windowMs` apart; undefined for a group that cannot be read. */
export async function sampleCgroupLoad(
  groups: readonly (NodeCgroup | undefined)[],
  windowMs = 1000,
): Promise<(CgroupLoad | undefined)[]> {
  const read = (g: NodeCgroup | undefined) => (g ? readCgroupCpuStat(g).catch(() => undefined) : undefined);
  const before = await Promise.all(groups.map(read));
  const t0 = performance.now();
  await sleep(windowMs);
  const after = await Promise.all(groups.map(read));
  const wallUs = (performance.now() - t0) * 1000;
  return Promise.all(
    groups.map(async (g, i) => {
      const a = before[i];
      const b = after[i];
      if (!g || !a || !b) return undefined;
      const quotaCpus = await readCgroupCpuQuota(g).catch(() => 0);
      const load: CgroupLoad = { throttledPeriods: b.throttledPeriods - a.throttledPeriods, quotaCpus };
      if (a.usageUs !== undefined && b.usageUs !== undefined)
        load.cpuCores = (b.usageUs - a.usageUs) / wallUs;
      return load;
    }),
  );
}

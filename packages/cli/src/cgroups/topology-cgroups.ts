/**
 * The cgroups of one launched topology: named `pushdown-<data-dir hash>-<node id>`, so two
 * topologies from different data dirs never collide and a new start can find (and remove) what
 * an earlier run of the same data dir left behind. Also the live quota change the experiment
 * runner uses to sweep CPU without restarting nodes.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { InvalidArgumentError, NotFoundError, UnavailableError } from '@pushdown/proto';
import { writeState, type TopologyState } from '../topology/state-file.js';
import { DEFAULT_CGROUP_ROOT, detectLayout, type CgroupLayout } from './cgroup-layout.js';
import { removeLeftoverCgroups, setCgroupCpuQuota } from './node-cgroup.js';

/** `auto`: use cgroups where they can be written, warn and run unthrottled elsewhere. */
export type CgroupMode = 'auto' | 'off';

export interface CgroupSetup {
  layout: CgroupLayout | null;
  /** Set when cgroups were wanted but cannot be used: one line naming what failed. */
  warning?: string;
  /** Leftover groups of an earlier run that were removed. */
  removed: string[];
}

export function cgroupPrefix(dataDir: string): string {
  const hash = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 10);
  return `pushdown-${hash}-`;
}

export function cgroupName(dataDir: string, nodeId: string): string {
  return `${cgroupPrefix(dataDir)}${nodeId}`;
}

/** Detects cgroups and clears an earlier run's leftovers. Never throws for a missing cgroup fs. */
export async function prepareCgroups(
  dataDir: string,
  mode: CgroupMode = 'auto',
  root = DEFAULT_CGROUP_ROOT,
): Promise<CgroupSetup> {
  if (mode === 'off') return { layout: null, removed: [] };
  const found = await detectLayout(root);
  if (!found.layout) {
    return {
      layout: null,
      removed: [],
      warning: `warning: cannot use cgroups (${found.reason}); nodes run UNTHROTTLED: CPU quotas and memory limits are not applied`,
    };
  }
  const removed = await removeLeftoverCgroups(found.layout, cgroupPrefix(dataDir));
  return { layout: found.layout, removed };
}

/**
 * Sets a running node's CPU quota (cores; 0 = unthrottled) without a restart, and records it in
 * the state file so `pushdown status` shows it.
 *
 * @example
 * const state = (await readState(dataDir))!;
 * for (const q of [1, 0.5, 0.25]) { await setNodeCpuQuota(state, 'b1', q); await runLoad(); }
 */
export async function setNodeCpuQuota(state: TopologyState, nodeId: string, cpus: number): Promise<void> {
  if (typeof cpus !== 'number' || !Number.isFinite(cpus) || cpus < 0) {
    throw new InvalidArgumentError(
      `cpus must be a number >= 0 (0 = unthrottled) (got ${JSON.stringify(cpus)})`,
    );
  }
  const record = state.processes.find((p) => p.id === nodeId);
  if (!record) {
    throw new NotFoundError(
      `no node "${nodeId}" in the topology; nodes are ${state.processes.map((p) => p.id).join(', ')}`,
    );
  }
  if (!record.cgroup) {
    throw new UnavailableError(`node ${nodeId} runs without a cgroup, so its CPU quota cannot be changed`, {
      hint: state.throttling?.reason ?? 'start the topology where cgroups are writable (as root)',
    });
  }
  await setCgroupCpuQuota(record.cgroup, cpus);
  record.limits = { ...(record.limits ?? { memory: 0 }), cpus };
  await writeState(state.dataDir, state);
}

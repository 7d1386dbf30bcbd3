/**
 * One node's cgroup: made before the node starts, limits written (v2 `cpu.max`/`memory.max`,
 * v1 `cpu.cfs_period_us`+`cpu.cfs_quota_us`/`memory.limit_in_bytes`), usage and throttling
 * read for `status`, removed on stop. Recorded in the state file, so `pushdown stop` from
 * another process finds it.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CgroupLayout } from './cgroup-layout.js';

/** The CFS period: Docker's 100 ms. The quota is a share of it. */
export const DEFAULT_CPU_PERIOD_US = 100_000;
/** The kernel's smallest quota. */
const MIN_QUOTA_US = 1_000;

export interface NodeCgroup {
  version: 1 | 2;
  /** `pushdown-<data-dir hash>-<node id>`. */
  name: string;
  /** The group's folder per controller (v2: one folder for all). */
  dirs: { cpu: string; cpuacct?: string; memory?: string };
  periodUs: number;
}

export interface CgroupLimits {
  /** Cores; 0 = unthrottled. */
  cpus: number;
  /** Bytes; 0 = none. */
  memory: number;
}

/** Makes (or reuses) the group and writes its limits. */
export async function createNodeCgroup(
  layout: CgroupLayout,
  name: string,
  limits: CgroupLimits,
  periodUs = DEFAULT_CPU_PERIOD_US,
): Promise<NodeCgroup> {
  const p = layout.parents;
  const dirs: NodeCgroup['dirs'] = { cpu: join(p.cpu, name) };
  if (p.cpuacct) dirs.cpuacct = join(p.cpuacct, name);
  if (p.memory) dirs.memory = join(p.memory, name);
  for (const d of new Set(Object.values(dirs))) await mkdir(d, { recursive: true });
  const cg: NodeCgroup = { version: layout.version, name, dirs, periodUs };
  await setCgroupCpuQuota(cg, limits.cpus);
  await setCgroupMemoryLimit(cg, limits.memory);
  return cg;
}

/** Changes the CPU quota of a group, live: running processes feel it at the next period. */
export async function setCgroupCpuQuota(cg: NodeCgroup, cpus: number): Promise<void> {
  const quota = cpus > 0 ? Math.max(MIN_QUOTA_US, Math.round(cpus * cg.periodUs)) : -1;
  if (cg.version === 2) {
    await writeFile(join(cg.dirs.cpu, 'cpu.max'), `${quota < 0 ? 'max' : quota} ${cg.periodUs}`);
    return;
  }
  // Quota first to "unlimited" so a shorter period never meets a quota the kernel rejects.
  await writeFile(join(cg.dirs.cpu, 'cpu.cfs_quota_us'), '-1');
  await writeFile(join(cg.dirs.cpu, 'cpu.cfs_period_us'), String(cg.periodUs));
  await writeFile(join(cg.dirs.cpu, 'cpu.cfs_quota_us'), String(quota));
}

export async function setCgroupMemoryLimit(cg: NodeCgroup, bytes: number): Promise<void> {
  if (!cg.dirs.memory) return;
  if (cg.version === 2)
    await writeFile(join(cg.dirs.memory, 'memory.max'), bytes > 0 ? String(bytes) : 'max');
  else await writeFile(join(cg.dirs.memory, 'memory.limit_in_bytes'), bytes > 0 ? String(bytes) : '-1');
}

/** The files a process writes its pid to, to join the group (every v1 hierarchy). */
export function procsFiles(cg: NodeCgroup): string[] {
  return [...new Set(Object.values(cg.dirs))].map((d) => join(d, 'cgroup.procs'));
}

/** The quota the group has now, in cores (0 = unthrottled). */
export async function readCgroupCpuQuota(cg: NodeCgroup): Promise<number> {
  if (cg.version === 2) {
    const [q, p] = (await readFile(join(cg.dirs.cpu, 'cpu.max'), 'utf8')).trim().split(/\s+/);
    return q === 'max' ? 0 : Number(q) / Number(p);
  }
  const q = Number(await readFile(join(cg.dirs.cpu, 'cpu.cfs_quota_us'), 'utf8'));
  const p = Number(await readFile(join(cg.dirs.cpu, 'cpu.cfs_period_us'), 'utf8'));
  return q < 0 ? 0 : q / p;
}

export interface CgroupCpuStat {
  /** CPU time used by the group's processes, µs (undefined without cpuacct on v1). */
  usageUs?: number;
  periods: number;
  throttledPeriods: number;
  throttledUs: number;
}

export async function readCgroupCpuStat(cg: NodeCgroup): Promise<CgroupCpuStat> {
  const stat = parseStat(await readFile(join(cg.dirs.cpu, 'cpu.stat'), 'utf8').catch(() => ''));
  if (cg.version === 2) {
    return {
      usageUs: stat.get('usage_usec') ?? 0,
      periods: stat.get('nr_periods') ?? 0,
      throttledPeriods: stat.get('nr_throttled') ?? 0,
      throttledUs: stat.get('throttled_usec') ?? 0,
    };
  }
  const out: CgroupCpuStat = {
    periods: stat.get('nr_periods') ?? 0,
    throttledPeriods: stat.get('nr_throttled') ?? 0,
    throttledUs: (stat.get('throttled_time') ?? 0) / 1000,
  };
  if (cg.dirs.cpuacct) {
    const ns = Number(await readFile(join(cg.dirs.cpuacct, 'cpuacct.usage'), 'utf8').catch(() => 'NaN'));
    if (Number.isFinite(ns)) out.usageUs = ns / 1000;
  }
  return out;
}

/**
 * Removes the group's folders. A process that just exited may still be listed for a moment
 * (rmdir says EBUSY), so it retries briefly. Returns the folders it could not remove.
 */
export async function removeNodeCgroup(cg: Pick<NodeCgroup, 'dirs'>, waitMs = 2_000): Promise<string[]> {
  const left: string[] = [];
  for (const d of new Set(Object.values(cg.dirs))) if (!(await removeDir(d, waitMs))) left.push(d);
  return left;
}

/** Removes groups named `<prefix>*` under every parent: what a previous run left behind. */
export async function removeLeftoverCgroups(layout: CgroupLayout, prefix: string): Promise<string[]> {
  const removed: string[] = [];
  for (const parent of new Set(Object.values(layout.parents))) {
    const names = await readdir(parent).catch(() => [] as string[]);
    for (const n of names) {
      if (!n.startsWith(prefix)) continue;
      const d = join(parent, n);
      if (await removeDir(d, 500)) removed.push(d);
    }
  }
  return removed;
}

async function removeDir(dir: string, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await rmdir(dir);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return true;
      if (Date.now() > deadline || (code !== 'EBUSY' && code !== 'ENOTEMPTY')) return !existsSync(dir);
      await sleep(50);
    }
  }
}

function parseStat(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) out.set(k, Number(v));
  }
  return out;
}

/**
 * How many cores this process may really use. A base node given half a core by its cgroup sees
 * two CPUs in `os.availableParallelism()`, and two busy threads there only take turns (and pay
 * the thread hop twice). So the budget is the smallest of: the CPUs the OS offers, the cgroup
 * CPU quota (v2 `cpu.max`, v1 `cpu.cfs_quota_us / cpu.cfs_period_us`, for this process's own
 * cgroup from /proc/self/cgroup, walking up to the root), and what the node was configured with.
 *
 * @example
 * const budget = readCpuBudget();            // { cores: 0.5, threads: 1, source: 'cgroup-v1', ... }
 * const p = resolveParallelism('auto', budget); // 1
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '@pushdown/proto';

export interface CpuBudget {
  /** Cores the process may use (fractional under a quota). */
  readonly cores: number;
  /** Worker threads worth starting: floor(cores), at least 1, at most the CPUs. */
  readonly threads: number;
  /** Where the limit came from. */
  readonly source: 'cpus' | 'cgroup-v1' | 'cgroup-v2' | 'configured';
  /** The cgroup (path below the hierarchy root) the quota was read from, if any. */
  readonly cgroup: string | null;
}

export interface CpuBudgetOptions {
  /** A configured budget in cores (e.g. the node's `--cpu-quota`), applied on top of the cgroup. */
  readonly configuredCores?: number;
  /** For tests: the root of /proc and /sys/fs/cgroup. */
  readonly procRoot?: string;
  readonly cgroupRoot?: string;
  readonly cpus?: number;
}

/** The CPU budget of this process; never throws (unreadable cgroup files mean "no quota"). */
export function readCpuBudget(options: CpuBudgetOptions = {}): CpuBudget {
  const cpus = options.cpus ?? availableParallelism();
  let cores = cpus;
  let source: CpuBudget['source'] = 'cpus';
  let cgroup: string | null = null;
  const quota = readCgroupQuota(options.procRoot ?? '/proc', options.cgroupRoot ?? '/sys/fs/cgroup');
  if (quota && quota.cores < cores) {
    cores = quota.cores;
    source = quota.source;
    cgroup = quota.cgroup;
  }
  const configured = options.configuredCores;
  if (configured !== undefined) {
    if (!(configured > 0)) throw new InvalidArgumentError(`cpu quota must be a positive number of cores`);
    if (configured < cores) {
      cores = configured;
      source = 'configured';
    }
  }
  return { cores, threads: Math.max(1, Math.min(cpus, Math.floor(cores + 1e-9))), source, cgroup };
}

interface Quota {
  cores: number;
  source: 'cgroup-v1' | 'cgroup-v2';
  cgroup: string;
}

/** The tightest CPU quota on the way from this process's cgroup up to the root. */
export function readCgroupQuota(procRoot: string, cgroupRoot: string): Quota | null {
  const lines = readText(`${procRoot}/self/cgroup`)?.split('\n') ?? [];
  let best: Quota | null = null;
  const consider = (q: Quota | null) => {
    if (q && (!best || q.cores < best.cores)) best = q;
  };
  for (const line of lines) {
    const [, controllers, path] = line.split(':', 3) as [string?, string?, string?];
    if (path === undefined || controllers === undefined) continue;
    if (controllers === '') {
      // cgroup v2 unified hierarchy: cpu.max = "<quota|max> <period>".
      for (const dir of ancestors(path)) {
        const text = readText(`${cgroupRoot}${rootOf(cgroupRoot, 'unified')}${dir}/cpu.max`);
        const [q, p] = (text ?? '').trim().split(/\s+/);
        if (q && p && q !== 'max')
          consider({ cores: Number(q) / Number(p), source: 'cgroup-v2', cgroup: dir });
      }
    } else if (controllers.split(',').includes('cpu')) {
      for (const dir of ancestors(path)) {
        const base = `${cgroupRoot}/${v1Mount(cgroupRoot, controllers)}${dir === '/' ? '' : dir}`;
        const q = Number(readText(`${base}/cpu.cfs_quota_us`)?.trim() ?? -1);
        const p = Number(readText(`${base}/cpu.cfs_period_us`)?.trim() ?? 0);
        if (q > 0 && p > 0) consider({ cores: q / p, source: 'cgroup-v1', cgroup: dir });
      }
    }
  }
  return best;
}

/** `/a/b` → ['/a/b', '/a', '/']: a parent's quota caps its children too. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  let p = path.replace(/\/+$/, '') || '/';
  for (;;) {
    out.push(p);
    if (p === '/') return out;
    p = p.slice(0, p.lastIndexOf('/')) || '/';
  }
}

/** v2 is mounted at the root, or at `unified/` beside the v1 controllers (hybrid). */
function rootOf(cgroupRoot: string, unified: string): string {
  return readText(`${cgroupRoot}/cgroup.controllers`) !== null ? '' : `/${unified}`;
}

/** v1 controllers mount at `cpu`, `cpu,cpuacct` or `cpuacct,cpu`; take whichever exists. */
function v1Mount(cgroupRoot: string, controllers: string): string {
  for (const name of ['cpu', controllers, 'cpu,cpuacct', 'cpuacct,cpu']) {
    if (readText(`${cgroupRoot}/${name}/cpu.cfs_period_us`) !== null) return name;
  }
  return 'cpu';
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Requested degree of parallelism: a positive integer, or 'auto' (the budget's threads). */
export type Parallelism = number | 'auto';

/**
 * The degree of parallelism a scan uses: what was asked (a query option, else the node option,
 * else 'auto'), never more than the budget's threads, so asking for 8 on half a core gives 1.
 */
export function resolveParallelism(requested: Parallelism | undefined, budget: CpuBudget): number {
  if (requested === undefined || requested === 'auto' || requested === 0) return budget.threads;
  if (!Number.isInteger(requested) || requested < 1)
    throw new InvalidArgumentError(
      `parallelism must be a positive integer or "auto", got ${String(requested)}`,
    );
  return Math.min(requested, budget.threads);
}

/**
 * Where node cgroups can be made on this machine, found at run time: cgroup v2 (a unified
 * hierarchy with the `cpu` controller) or v1 (`cpu` with `cpu.cfs_quota_us`, optionally
 * `cpuacct` and `memory`), and proven writable by making and removing a probe group, because a
 * mounted hierarchy says nothing about whether this user may write it.
 *
 * New groups go under the launcher's own cgroup of each hierarchy (a delegated subtree, so
 * whatever limits the launcher runs under still apply to the nodes), or the hierarchy root when
 * that path is not visible.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';

export interface CgroupLayout {
  version: 1 | 2;
  /** Parent folders new groups are made in. v2: all the same folder. */
  parents: { cpu: string; cpuacct?: string; memory?: string };
}

export type LayoutResult = { layout: CgroupLayout } | { layout: null; reason: string };

export interface CgroupSupport {
  version: 1 | 2 | null;
  /** Why cgroups cannot be used (when version is null), or what is missing (e.g. no memory controller). */
  reason?: string;
}

/** Finds a writable cgroup layout under `root`, or says why there is none. */
export async function detectLayout(root = DEFAULT_CGROUP_ROOT): Promise<LayoutResult> {
  const own = await ownCgroups();
  const reasons: string[] = [];
  const v2 = await v2Layout(root, reasons);
  if (v2) return probe(v2, reasons);
  const v1 = v1Layout(root, own, reasons);
  if (v1) return probe(v1, reasons);
  return { layout: null, reason: reasons.join('; ') };
}

/** `cgroupSupport()`: which cgroup version node limits would use here, or why none. */
export async function cgroupSupport(root = DEFAULT_CGROUP_ROOT): Promise<CgroupSupport> {
  const found = await detectLayout(root);
  if (!found.layout) return { version: null, reason: found.reason };
  const missing = found.layout.parents.memory ? '' : 'no memory controller: memory limits are not enforced';
  return missing ? { version: found.layout.version, reason: missing } : { version: found.layout.version };
}

async function v2Layout(root: string, reasons: string[]): Promise<CgroupLayout | null> {
  const mount = [root, join(root, 'unified')].find((d) => existsSync(join(d, 'cgroup.controllers')));
  if (!mount) {
    reasons.push(`no cgroup2 hierarchy at ${root} or ${join(root, 'unified')}`);
    return null;
  }
  const controllers = (await readFile(join(mount, 'cgroup.controllers'), 'utf8').catch(() => '')).split(
    /\s+/,
  );
  if (!controllers.includes('cpu')) {
    reasons.push(
      `cgroup2 at ${mount} has no cpu controller (has: ${controllers.join(' ').trim() || 'none'})`,
    );
    return null;
  }
  // Groups need their parent to hand down cpu/memory; the root is exempt from the
  // no-internal-processes rule, so it is the parent that works for a launcher anywhere.
  const parent = mount;
  const wanted = ['cpu', ...(controllers.includes('memory') ? ['memory'] : [])];
  try {
    await writeFile(join(parent, 'cgroup.subtree_control'), wanted.map((c) => `+${c}`).join(' '));
  } catch (err) {
    reasons.push(`cannot enable ${wanted.join('+')} in ${parent}/cgroup.subtree_control: ${message(err)}`);
    return null;
  }
  return {
    version: 2,
    parents: { cpu: parent, cpuacct: parent, ...(wanted.includes('memory') ? { memory: parent } : {}) },
  };
}

function v1Layout(root: string, own: Map<string, string>, reasons: string[]): CgroupLayout | null {
  const mountOf = (controller: string, file: string): string | undefined =>
    [controller, 'cpu,cpuacct', 'cpuacct,cpu']
      .map((d) => join(root, d))
      .find((d) => existsSync(join(d, file)));
  const cpu = mountOf('cpu', 'cpu.cfs_quota_us');
  if (!cpu) {
    reasons.push(`no cgroup v1 cpu hierarchy with cpu.cfs_quota_us under ${root}`);
    return null;
  }
  const cpuacct = mountOf('cpuacct', 'cpuacct.usage');
  const memory = mountOf('memory', 'memory.limit_in_bytes');
  const parentIn = (mount: string, controller: string) => {
    const path = own.get(controller) ?? '/';
    const dir = join(mount, path);
    return path !== '/' && existsSync(dir) ? dir : mount;
  };
  return {
    version: 1,
    parents: {
      cpu: parentIn(cpu, 'cpu'),
      ...(cpuacct ? { cpuacct: parentIn(cpuacct, 'cpuacct') } : {}),
      ...(memory ? { memory: parentIn(memory, 'memory') } : {}),
    },
  };
}

/** Makes and removes a probe group: it must be writable and really a cgroup (the kernel adds files). */
async function probe(layout: CgroupLayout, reasons: string[]): Promise<LayoutResult> {
  const dir = join(layout.parents.cpu, `pushdown-probe-${process.pid}`);
  const control = layout.version === 2 ? 'cpu.max' : 'cpu.cfs_quota_us';
  try {
    await mkdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      reasons.push(`cannot create a cgroup in ${layout.parents.cpu}: ${message(err)}`);
      return { layout: null, reason: reasons.join('; ') };
    }
  }
  try {
    if (!existsSync(join(dir, control))) {
      reasons.push(
        `${layout.parents.cpu} is not a cgroup v${layout.version} hierarchy (no ${control} in a new group)`,
      );
      return { layout: null, reason: reasons.join('; ') };
    }
    await writeFile(join(dir, control), layout.version === 2 ? 'max 100000' : '-1');
    return { layout };
  } catch (err) {
    reasons.push(`cannot write ${join(dir, control)}: ${message(err)}`);
    return { layout: null, reason: reasons.join('; ') };
  } finally {
    await rmdir(dir).catch(() => {});
  }
}

/** controller → path of this process's cgroup, from /proc/self/cgroup (v2 under ''). */
async function ownCgroups(): Promise<Map<string, string>> {
  const text = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    for (const c of m[1]!.split(',')) out.set(c, m[2]!);
  }
  return out;
}

export function message(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code} (${e.message})` : String(e?.message ?? err);
}

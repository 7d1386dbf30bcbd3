/**
 * What a run records so it can be reproduced and compared: versions (node, this package, the
 * git commit and whether the tree was dirty), the machine (CPUs, memory, kernel, cgroup
 * support) and the command line.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, freemem, release, totalmem, type as osType } from 'node:os';
import { resolve } from 'node:path';

export interface Versions {
  node: string;
  pushdown: string;
  gitCommit: string | null;
  gitDirty: boolean | null;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  freeMemoryBytes: number;
  os: string;
  /** What the quota step could do: e.g. "cgroup v1 (cpu.cfs_quota_us)" or "none". */
  cgroup: string;
}

export function collectVersions(cwd: string): Versions {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const commit = git(['rev-parse', 'HEAD']);
  const status = commit === null ? null : git(['status', '--porcelain', '--untracked-files=no']);
  return {
    node: process.version,
    pushdown: packageVersion(),
    gitCommit: commit,
    gitDirty: status === null ? null : status.length > 0,
  };
}

export function collectMachine(cgroup: string): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    os: `${osType()} ${release()}`,
    cgroup,
  };
}

/** This package's version, read from its package.json (the same from src/ and dist/). */
function packageVersion(): string {
  try {
    const file = resolve(import.meta.dirname, '..', '..', 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

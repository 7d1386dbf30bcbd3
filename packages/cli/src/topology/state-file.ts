/**
 * `<data-dir>/state.json`: what `pushdown start` launched, read by `stop`, `status` and by
 * client commands looking for the intermediary's address. Written atomically (temp + rename).
 * A state file whose processes are all gone is stale: readers detect and remove it.
 *
 * @example
 * {
 *   "version": 1,
 *   "startedAt": "2025-01-01T12:00:00.000Z",
 *   "dataDir": "/home/me/.pushdown",
 *   "launcherPid": 4242,
 *   "detached": false,
 *   "intermediary": "127.0.0.1:50051",
 *   "processes": [
 *     { "id": "b1", "role": "base-node", "pid": 4243, "grpc": "127.0.0.1:40001",
 *       "http": "http://127.0.0.1:40002", "log": ".../logs/b1.log", "dataDir": ".../nodes/b1" },
 *     { "id": "intermediary", "role": "intermediary", "pid": 4245, "grpc": "127.0.0.1:50051",
 *       "log": ".../logs/intermediary.log" }
 *   ]
 * }
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptDataError } from '@pushdown/proto';
import type { NodeCgroup } from '../cgroups/node-cgroup.js';

export const STATE_FILE_NAME = 'state.json';
export const STATE_VERSION = 1;

export type ProcessRole = 'base-node' | 'intermediary';

export interface ProcessRecord {
  id: string;
  role: ProcessRole;
  pid: number;
  /** gRPC address, host:port. */
  grpc: string;
  /** Base nodes: the HTTP object API base URL. */
  http?: string;
  log: string;
  dataDir?: string;
  /** The node's cgroup, when it runs in one (removed by stop). */
  cgroup?: NodeCgroup;
  /** What the topology asked for, and what calibration measured. */
  limits?: NodeLimits;
}

export interface NodeLimits {
  /** Requested CPU quota in cores; 0 = unthrottled. */
  cpus: number;
  /** Requested memory limit in bytes; 0 = none. */
  memory: number;
  /** Measured at start: CPU time / wall time of a busy loop in the node's process. */
  cpuFractionEffective?: number;
  /** The emulated link (base nodes), 0 = none/unlimited. */
  link?: { latencyMs: number; bandwidthBytesPerSec: number };
}

export interface ThrottlingState {
  /** True when every node runs in a cgroup with its limits. */
  active: boolean;
  version: 1 | 2 | null;
  /** Why not (the warning printed at start). */
  reason?: string;
}

export interface TopologyState {
  version: typeof STATE_VERSION;
  startedAt: string;
  dataDir: string;
  /** The `pushdown start` process (gone after --detach). */
  launcherPid: number;
  detached: boolean;
  /** The intermediary's gRPC address: what client commands connect to. */
  intermediary: string;
  processes: ProcessRecord[];
  /** Whether limits are enforced; missing in state files of older versions. */
  throttling?: ThrottlingState;
}

export function stateFilePath(dataDir: string): string {
  return join(dataDir, STATE_FILE_NAME);
}

export async function writeState(dataDir: string, state: TopologyState): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const tmp = `${stateFilePath(dataDir)}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, stateFilePath(dataDir));
}

/** The state, or undefined if there is no state file. Throws CorruptDataError on a damaged file. */
export async function readState(dataDir: string): Promise<TopologyState | undefined> {
  const file = stateFilePath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new CorruptDataError(`${file} is not valid JSON`, { hint: `remove it if nothing is running` });
  }
  if (!isState(doc)) {
    throw new CorruptDataError(`${file} is not a pushdown state file (version ${STATE_VERSION})`, {
      hint: 'remove it if nothing is running',
    });
  }
  return doc;
}

export async function removeState(dataDir: string): Promise<void> {
  await rm(stateFilePath(dataDir), { force: true });
}

/** True if a process with this pid exists (EPERM means it exists but is not ours). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StateInspection {
  state: TopologyState;
  /** Per process id: is its pid alive? */
  alive: Map<string, boolean>;
  /** Every process is gone. */
  stale: boolean;
}

export function inspectState(state: TopologyState): StateInspection {
  const alive = new Map(state.processes.map((p) => [p.id, isAlive(p.pid)] as const));
  return { state, alive, stale: [...alive.values()].every((a) => !a) };
}

/**
 * The state of a running topology, or undefined. A stale state file (every pid dead) is
 * removed on the way, and `onStale` hears about it.
 */
export async function readLiveState(
  dataDir: string,
  onStale?: (state: TopologyState) => void,
): Promise<StateInspection | undefined> {
  const state = await readState(dataDir);
  if (!state) return undefined;
  const inspection = inspectState(state);
  if (inspection.stale) {
    await removeState(dataDir);
    onStale?.(state);
    return undefined;
  }
  return inspection;
}

function isState(doc: unknown): doc is TopologyState {
  if (typeof doc !== 'object' || doc === null) return false;
  const s = doc as Partial<TopologyState>;
  return (
    s.version === STATE_VERSION &&
    typeof s.intermediary === 'string' &&
    typeof s.dataDir === 'string' &&
    Array.isArray(s.processes) &&
    s.processes.every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        typeof p.id === 'string' &&
        typeof p.pid === 'number' &&
        typeof p.grpc === 'string' &&
        (p.role === 'base-node' || p.role === 'intermediary'),
    )
  );
}

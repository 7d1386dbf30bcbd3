/**
 * Brings up a topology as separate child processes: each base node, then the intermediary
 * pointed at them. Each child writes stdout and stderr to `<data-dir>/logs/<id>.log`; the
 * launcher reads its readiness line (`{"event":"listening",...}`) from that log, so a detached
 * child never writes into a pipe whose reader has exited.
 *
 * Where cgroups can be written, every process runs in its own group with the topology's CPU
 * quota and memory limit (see ../cgroups); base nodes calibrate at start, so the state file
 * records the CPU fraction each one really got next to the one it asked for. Where cgroups
 * cannot be written, one warning says why and the nodes run unthrottled.
 *
 * Children get their own process group: Ctrl-C in the terminal reaches only the launcher,
 * which then stops them in order (intermediary first) with SIGTERM.
 */
import { type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { AlreadyExistsError } from '@pushdown/proto';
import { createNodeCgroup, procsFiles, removeNodeCgroup, type NodeCgroup } from '../cgroups/node-cgroup.js';
import { cgroupName, prepareCgroups, type CgroupMode } from '../cgroups/topology-cgroups.js';
import type { CgroupLayout } from '../cgroups/cgroup-layout.js';
import { spawnLogged, waitListening } from './process-spawn.js';
import { checkServerScripts, defaultServerScripts, type ServerScripts } from './server-scripts.js';
import {
  readLiveState,
  removeState,
  writeState,
  type NodeLimits,
  type ProcessRecord,
  type ThrottlingState,
  type TopologyState,
} from './state-file.js';
import { DEFAULT_STOP_TIMEOUT_MS, stopProcesses } from './stop-processes.js';
import type { BaseNodeSpec, IntermediarySpec, LinkSpec, Topology } from './topology.js';

export { stopProcesses, DEFAULT_STOP_TIMEOUT_MS, type StopResult } from './stop-processes.js';
export { tail } from './process-spawn.js';

export const DEFAULT_READY_TIMEOUT_MS = 30_000;
/** Long enough for ~5 CFS periods, so a quota's effective fraction is measured to a few %. */
export const DEFAULT_CALIBRATE_MS = 500;

/** A topology as code may write it: only ids and ports are needed, the rest has defaults. */
export interface LaunchTopology {
  host: string;
  baseNodes: (Pick<BaseNodeSpec, 'id' | 'grpcPort' | 'httpPort'> & Partial<BaseNodeSpec>)[];
  intermediary: Pick<IntermediarySpec, 'port'> & Partial<IntermediarySpec>;
  link?: LinkSpec;
}

export interface LaunchOptions {
  dataDir: string;
  topology: Topology | LaunchTopology;
  /** Leave the processes running when this process exits. */
  detached?: boolean;
  /** How long each process may take to print its listening line. */
  readyTimeoutMs?: number;
  scripts?: ServerScripts;
  /** Progress messages ("started b1 at ..."), and the warning when cgroups cannot be used. */
  onEvent?: (message: string) => void;
  /** `auto` (default): cgroups where writable, else a warning and unthrottled; `off`: never. */
  cgroups?: CgroupMode;
  /** Where cgroup hierarchies are mounted (default /sys/fs/cgroup; tests point it elsewhere). */
  cgroupRoot?: string;
  /** Base nodes spin this long at start to measure their CPU fraction; 0 skips it. */
  calibrateMs?: number;
}

export interface ProcessExit {
  record: ProcessRecord;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchedTopology {
  state: TopologyState;
  /** Resolves when any child exits while the launcher is still attached (not after stop()). */
  firstExit: Promise<ProcessExit>;
  /** Stops every process, intermediary first, removes their cgroups and the state file. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Starts the topology, waits until every process listens, and writes the state file. */
export async function launchTopology(options: LaunchOptions): Promise<LaunchedTopology> {
  const dataDir = resolve(options.dataDir);
  const scripts = options.scripts ?? defaultServerScripts();
  const say = (m: string) => options.onEvent?.(m);
  checkServerScripts(scripts);
  const running = await readLiveState(dataDir, (s) =>
    say(`removed stale state file (pids ${s.processes.map((p) => p.pid).join(', ')} are gone)`),
  );
  if (running) {
    throw new AlreadyExistsError(
      `a topology is already running from ${dataDir} (intermediary ${running.state.intermediary})`,
      { hint: 'run `pushdown stop` first, or pass another --data-dir' },
    );
  }
  const logsDir = join(dataDir, 'logs');
  await mkdir(logsDir, { recursive: true });
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const calibrateMs = options.calibrateMs ?? DEFAULT_CALIBRATE_MS;
  const detached = options.detached ?? false;
  const { host } = options.topology;
  const topoLink = options.topology.link;

  const setup = await prepareCgroups(dataDir, options.cgroups ?? 'auto', options.cgroupRoot);
  if (setup.removed.length > 0) say(`removed ${setup.removed.length} cgroup(s) left by an earlier run`);
  if (setup.warning) say(setup.warning);
  const throttling: ThrottlingState = {
    active: setup.layout !== null,
    version: setup.layout?.version ?? null,
    ...(setup.warning ? { reason: setup.warning } : {}),
  };
  warnOversubscribed(options.topology, say);

  const started: { record: ProcessRecord; child: ChildProcess }[] = [];
  const groups: NodeCgroup[] = [];
  let stopping = false;
  let onExit!: (e: ProcessExit) => void;
  const firstExit = new Promise<ProcessExit>((r) => (onExit = r));

  const stopAll = async (timeout = DEFAULT_STOP_TIMEOUT_MS) => {
    stopping = true;
    await stopProcesses(
      started.map((s) => s.record),
      timeout,
    );
    for (const g of groups) {
      const left = await removeNodeCgroup(g);
      if (left.length > 0) say(`warning: could not remove cgroup ${left.join(', ')}`);
    }
  };

  const launch = async (
    id: string,
    role: ProcessRecord['role'],
    script: string,
    args: string[],
    limits: NodeLimits,
    nodeDir?: string,
  ) => {
    const cgroup = await nodeCgroup(setup.layout, cgroupName(dataDir, id), limits, throttling, say);
    if (cgroup) groups.push(cgroup);
    const log = join(logsDir, `${id}.log`);
    const child = spawnLogged(script, args, log, cgroup ? procsFiles(cgroup) : []);
    const record: ProcessRecord = {
      id,
      role,
      pid: child.process.pid ?? -1,
      grpc: '',
      log,
      ...(nodeDir ? { dataDir: nodeDir } : {}),
      ...(cgroup ? { cgroup } : {}),
      limits,
    };
    started.push({ record, child: child.process });
    child.process.on('exit', (code, signal) => {
      if (!stopping) onExit({ record, code, signal });
    });
    const ev = await waitListening(id, child.process, log, child.offset, timeoutMs);
    record.grpc = ev.grpc;
    if (ev.http) record.http = ev.http;
    if (ev.cpuFraction !== undefined) limits.cpuFractionEffective = ev.cpuFraction;
    say(
      `${id} listening on ${ev.grpc}${ev.http ? ` (objects at ${ev.http})` : ''}, pid ${record.pid}` +
        describeLimits(limits, cgroup !== undefined),
    );
    return record;
  };

  try {
    const nodes = await Promise.all(
      options.topology.baseNodes.map(async (n) => {
        const nodeDir = resolveNodeDir(dataDir, n);
        await mkdir(nodeDir, { recursive: true });
        const link = n.link ?? topoLink ?? { latencyMs: 0, bandwidthBytesPerSec: 0 };
        const limits: NodeLimits = { cpus: n.cpus ?? 0, memory: n.memory ?? 0, link };
        return launch(
          n.id,
          'base-node',
          scripts.baseNode,
          baseNodeArgs(n, nodeDir, host, limits, calibrateMs),
          limits,
          nodeDir,
        );
      }),
    );
    const im = options.topology.intermediary;
    const intermediary = await launch(
      'intermediary',
      'intermediary',
      scripts.intermediary,
      [
        '--host',
        host,
        '--port',
        String(im.port),
        ...(im.memoryBudget ? ['--memory-budget', String(im.memoryBudget)] : []),
        // Its own plugin folder: `pushdown plugins add` installs there, then on the nodes.
        '--plugin-dir',
        join(dataDir, 'intermediary', 'plugins'),
        ...nodes.flatMap((n) => ['--base-node', `${n.id}=${n.grpc}`]),
      ],
      { cpus: im.cpus ?? 0, memory: im.memory ?? 0 },
    );
    const state: TopologyState = {
      version: 1,
      startedAt: new Date().toISOString(),
      dataDir,
      launcherPid: process.pid,
      detached,
      intermediary: intermediary.grpc,
      processes: [...nodes, intermediary],
      throttling,
    };
    await writeState(dataDir, state);
    if (detached) for (const s of started) s.child.unref();
    return {
      state,
      firstExit,
      stop: async (timeout) => {
        await stopAll(timeout);
        await removeState(dataDir);
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function baseNodeArgs(
  n: LaunchTopology['baseNodes'][number],
  nodeDir: string,
  host: string,
  limits: NodeLimits,
  calibrateMs: number,
): string[] {
  const args = ['--node-id', n.id, '--data-dir', nodeDir, '--host', host];
  args.push('--grpc-port', String(n.grpcPort), '--http-port', String(n.httpPort));
  if (limits.cpus > 0) args.push('--cpu-quota', String(limits.cpus));
  if (limits.memory > 0) args.push('--memory-limit', String(limits.memory));
  const link = limits.link!;
  if (link.latencyMs > 0) args.push('--link-latency-ms', String(link.latencyMs));
  if (link.bandwidthBytesPerSec > 0)
    args.push('--link-bandwidth-mbps', String((link.bandwidthBytesPerSec * 8) / 1e6));
  if (calibrateMs > 0) args.push('--calibrate-ms', String(calibrateMs));
  return args;
}

/** The node's group with its limits, or undefined (with throttling marked off and a warning). */
async function nodeCgroup(
  layout: CgroupLayout | null,
  name: string,
  limits: NodeLimits,
  throttling: ThrottlingState,
  say: (m: string) => void,
): Promise<NodeCgroup | undefined> {
  if (!layout || !throttling.active) return undefined;
  try {
    return await createNodeCgroup(layout, name, limits);
  } catch (err) {
    throttling.active = false;
    throttling.reason = `warning: cannot set up cgroup ${name} (${(err as Error).message}); this and later processes run UNTHROTTLED`;
    say(throttling.reason);
    return undefined;
  }
}

function resolveNodeDir(dataDir: string, n: LaunchTopology['baseNodes'][number]): string {
  const dir = n.dataDir ?? join('nodes', n.id);
  return isAbsolute(dir) ? dir : join(dataDir, dir);
}

function describeLimits(limits: NodeLimits, inCgroup: boolean): string {
  const parts: string[] = [];
  if (limits.cpus > 0) parts.push(`cpus ${limits.cpus}${inCgroup ? '' : ' (NOT enforced)'}`);
  if (limits.cpuFractionEffective !== undefined)
    parts.push(`effective ${limits.cpuFractionEffective.toFixed(2)}`);
  if (limits.memory > 0) parts.push(`memory ${Math.round(limits.memory / 2 ** 20)} MiB`);
  const link = limits.link;
  if (link && link.latencyMs > 0) parts.push(`link +${link.latencyMs} ms`);
  if (link && link.bandwidthBytesPerSec > 0) parts.push(`${(link.bandwidthBytesPerSec * 8) / 1e6} Mbit/s`);
  return parts.length > 0 ? `; ${parts.join(', ')}` : '';
}

function warnOversubscribed(topology: Topology | LaunchTopology, say: (m: string) => void): void {
  const cores = availableParallelism();
  for (const n of topology.baseNodes) {
    if ((n.cpus ?? 0) > cores) say(`warning: ${n.id} asks for ${n.cpus} cpus but this machine has ${cores}`);
  }
}

/**
 * Brings up a topology as separate child processes: each base node, then the intermediary
 * pointed at them. Each child writes stdout and stderr to `<data-dir>/logs/<id>.log`; the
 * launcher reads its readiness line (`{"event":"listening",...}`) from that log, so a detached
 * child never writes into a pipe whose reader has exited.
 *
 * Children get their own process group: Ctrl-C in the terminal reaches only the launcher,
 * which then stops them in order (intermediary first) with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AlreadyExistsError, ExecutionError, UnavailableError } from '@pushdown/proto';
import { checkServerScripts, defaultServerScripts, type ServerScripts } from './server-scripts.js';
import {
  isAlive,
  readLiveState,
  removeState,
  writeState,
  type ProcessRecord,
  type TopologyState,
} from './state-file.js';
import type { Topology } from './topology.js';

export const DEFAULT_READY_TIMEOUT_MS = 30_000;
export const DEFAULT_STOP_TIMEOUT_MS = 5_000;

export interface LaunchOptions {
  dataDir: string;
  topology: Topology;
  /** Leave the processes running when this process exits. */
  detached?: boolean;
  /** How long each process may take to print its listening line. */
  readyTimeoutMs?: number;
  scripts?: ServerScripts;
  /** Progress messages ("started b1 at ..."). */
  onEvent?: (message: string) => void;
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
  /** Stops every process, intermediary first, and removes the state file. */
  stop(timeoutMs?: number): Promise<void>;
}

interface ListeningEvent {
  event: 'listening';
  grpc: string;
  http?: string;
}

/** Starts the topology, waits until every process listens, and writes the state file. */
export async function launchTopology(options: LaunchOptions): Promise<LaunchedTopology> {
  const dataDir = resolve(options.dataDir);
  const scripts = options.scripts ?? defaultServerScripts();
  checkServerScripts(scripts);
  const running = await readLiveState(dataDir, (s) =>
    options.onEvent?.(`removed stale state file (pids ${s.processes.map((p) => p.pid).join(', ')} are gone)`),
  );
  if (running) {
    throw new AlreadyExistsError(
      `a topology is already running from ${dataDir} (intermediary ${running.state.intermediary})`,
      {
        hint: 'run `pushdown stop` first, or pass another --data-dir',
      },
    );
  }
  const logsDir = join(dataDir, 'logs');
  await mkdir(logsDir, { recursive: true });
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const detached = options.detached ?? false;
  const { host } = options.topology;

  const started: { record: ProcessRecord; child: ChildProcess }[] = [];
  let stopping = false;
  let onExit!: (e: ProcessExit) => void;
  const firstExit = new Promise<ProcessExit>((r) => (onExit = r));

  const stopAll = async (timeout = DEFAULT_STOP_TIMEOUT_MS) => {
    stopping = true;
    await stopProcesses(
      started.map((s) => s.record),
      timeout,
    );
  };

  const launch = async (
    id: string,
    role: ProcessRecord['role'],
    script: string,
    args: string[],
    nodeDir?: string,
  ) => {
    const log = join(logsDir, `${id}.log`);
    const child = spawnLogged(script, args, log);
    const record: ProcessRecord = {
      id,
      role,
      pid: child.process.pid ?? -1,
      grpc: '',
      log,
      ...(nodeDir ? { dataDir: nodeDir } : {}),
    };
    started.push({ record, child: child.process });
    child.process.on('exit', (code, signal) => {
      if (!stopping) onExit({ record, code, signal });
    });
    const ev = await waitListening(id, child.process, log, child.offset, timeoutMs);
    record.grpc = ev.grpc;
    if (ev.http) record.http = ev.http;
    options.onEvent?.(
      `${id} listening on ${ev.grpc}${ev.http ? ` (objects at ${ev.http})` : ''}, pid ${record.pid}`,
    );
    return record;
  };

  try {
    const nodes = await Promise.all(
      options.topology.baseNodes.map(async (n) => {
        const nodeDir = join(dataDir, 'nodes', n.id);
        await mkdir(nodeDir, { recursive: true });
        return launch(
          n.id,
          'base-node',
          scripts.baseNode,
          [
            '--node-id',
            n.id,
            '--data-dir',
            nodeDir,
            '--host',
            host,
            '--grpc-port',
            String(n.grpcPort),
            '--http-port',
            String(n.httpPort),
          ],
          nodeDir,
        );
      }),
    );
    const intermediary = await launch('intermediary', 'intermediary', scripts.intermediary, [
      '--host',
      host,
      '--port',
      String(options.topology.intermediary.port),
      ...nodes.flatMap((n) => ['--base-node', `${n.id}=${n.grpc}`]),
    ]);
    const state: TopologyState = {
      version: 1,
      startedAt: new Date().toISOString(),
      dataDir,
      launcherPid: process.pid,
      detached,
      intermediary: intermediary.grpc,
      processes: [...nodes, intermediary],
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

function spawnLogged(script: string, args: string[], log: string) {
  const fd = openSync(log, 'a');
  // Old runs append to the same log: only what this process writes counts.
  const offset = fstatSync(fd).size;
  try {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', fd, fd],
      // Own process group always (see the file comment); `detached` also lets it outlive us.
      detached: true,
      env: { ...process.env, PUSHDOWN_LAUNCHED_BY: String(process.pid) },
    });
    return { process: child, offset };
  } finally {
    closeSync(fd);
  }
}

async function waitListening(
  id: string,
  child: ChildProcess,
  log: string,
  offset: number,
  timeoutMs: number,
): Promise<ListeningEvent> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `signal ${signal}` : `code ${code}`));
  child.once('error', (err) => (exited = `spawn error: ${err.message}`));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFrom(log, offset);
    for (const line of text.split('\n')) {
      const ev = parseListening(line);
      if (ev) return ev;
    }
    if (exited) {
      throw new ExecutionError(
        `${id} exited (${exited}) before it was ready; last lines of ${log}:\n${tail(text)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new UnavailableError(
        `${id} did not print its listening line within ${timeoutMs} ms; last lines of ${log}:\n${tail(text)}`,
      );
    }
    await sleep(50);
  }
}

function parseListening(line: string): ListeningEvent | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const ev = JSON.parse(t) as Partial<ListeningEvent>;
    return ev.event === 'listening' && typeof ev.grpc === 'string' ? (ev as ListeningEvent) : undefined;
  } catch {
    return undefined;
  }
}

async function readFrom(file: string, offset: number): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.max(0, size - offset));
    await fh.read(buf, 0, buf.length, offset);
    return buf.toString('utf8');
  } finally {
    await fh.close();
  }
}

/** The last `n` lines of a log text, indented, for error messages. */
export function tail(text: string, n = 20): string {
  const lines = text.trimEnd().split('\n');
  const shown = lines.slice(-n).map((l) => `  | ${l}`);
  return shown.length === 1 && shown[0] === '  | ' ? '  | (empty)' : shown.join('\n');
}

export interface StopResult {
  id: string;
  pid: number;
  outcome: 'stopped' | 'killed' | 'not running' | 'still running';
}

/**
 * SIGTERM to every live process (intermediary first, so it stops sending work), then SIGKILL to
 * whatever is still alive after `timeoutMs`.
 */
export async function stopProcesses(
  records: readonly ProcessRecord[],
  timeoutMs = DEFAULT_STOP_TIMEOUT_MS,
): Promise<StopResult[]> {
  const ordered = [...records].sort((a, b) => (a.role === b.role ? 0 : a.role === 'intermediary' ? -1 : 1));
  const results = new Map<string, StopResult>();
  for (const r of ordered) {
    if (!isAlive(r.pid)) {
      results.set(r.id, { id: r.id, pid: r.pid, outcome: 'not running' });
      continue;
    }
    signal(r.pid, 'SIGTERM');
    results.set(r.id, { id: r.id, pid: r.pid, outcome: 'stopped' });
  }
  const pending = () => ordered.filter((r) => results.get(r.id)?.outcome === 'stopped' && isAlive(r.pid));
  const deadline = Date.now() + timeoutMs;
  while (pending().length > 0 && Date.now() < deadline) await sleep(50);
  for (const r of pending()) {
    signal(r.pid, 'SIGKILL');
    results.set(r.id, { id: r.id, pid: r.pid, outcome: 'killed' });
  }
  const killDeadline = Date.now() + 2_000;
  while (
    ordered.some((r) => results.get(r.id)?.outcome === 'killed' && isAlive(r.pid)) &&
    Date.now() < killDeadline
  ) {
    await sleep(50);
  }
  for (const r of ordered) {
    if (results.get(r.id)?.outcome === 'killed' && isAlive(r.pid)) {
      results.set(r.id, { id: r.id, pid: r.pid, outcome: 'still running' });
    }
  }
  return ordered.map((r) => results.get(r.id)!);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Gone between the check and the signal: that is what we wanted.
  }
}

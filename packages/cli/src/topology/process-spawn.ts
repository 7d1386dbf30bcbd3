/**
 * Spawning one server process with its output in a log file, and waiting for its readiness line
 * (`{"event":"listening",...}`) in that log; a base node may print a
 * `{"event":"calibrated","cpuFraction":...}` line before it. With a cgroup, the process is
 * started through `/bin/sh`, which writes its own pid into the group's `cgroup.procs` files and
 * then execs node: the node is inside its limits before it runs a single instruction.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVER_NODE_FLAGS } from '@pushdown/engine';
import { ExecutionError, UnavailableError } from '@pushdown/proto';

export interface ListeningEvent {
  event: 'listening';
  grpc: string;
  http?: string;
  /** From the calibrated line, when the process printed one. */
  cpuFraction?: number;
}

/** Joins every file of `procsFiles` (exit 125 if one cannot be written), then execs the command. */
const JOIN_CGROUP_SCRIPT =
  'IFS=:; for f in $PUSHDOWN_CGROUP_PROCS; do echo $$ > "$f" || exit 125; done; ' +
  'unset IFS PUSHDOWN_CGROUP_PROCS; exec "$0" "$@"';

export function spawnLogged(script: string, args: string[], log: string, procsFiles: readonly string[] = []) {
  const fd = openSync(log, 'a');
  // Old runs append to the same log: only what this process writes counts.
  const offset = fstatSync(fd).size;
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, PUSHDOWN_LAUNCHED_BY: String(process.pid) };
    const [command, argv] =
      procsFiles.length > 0
        ? ['/bin/sh', ['-c', JOIN_CGROUP_SCRIPT, process.execPath, ...SERVER_NODE_FLAGS, script, ...args]]
        : [process.execPath, [...SERVER_NODE_FLAGS, script, ...args]];
    if (procsFiles.length > 0) env['PUSHDOWN_CGROUP_PROCS'] = procsFiles.join(':');
    const child = spawn(command, argv, {
      stdio: ['ignore', fd, fd],
      // Own process group always (see the launcher's comment); `detached` also lets it outlive us.
      detached: true,
      env,
    });
    return { process: child, offset };
  } finally {
    closeSync(fd);
  }
}

export async function waitListening(
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
    let cpuFraction: number | undefined;
    for (const line of text.split('\n')) {
      const ev = parseEvent(line);
      if (ev?.event === 'calibrated' && typeof ev.cpuFraction === 'number') cpuFraction = ev.cpuFraction;
      if (ev?.event === 'listening' && typeof ev.grpc === 'string') {
        const listening = ev as unknown as ListeningEvent;
        return cpuFraction === undefined ? listening : { ...listening, cpuFraction };
      }
    }
    if (exited) {
      if (exited === 'code 125') exited += ', could not join its cgroup';
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

function parseEvent(line: string): Record<string, unknown> | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const ev = JSON.parse(t) as unknown;
    return typeof ev === 'object' && ev !== null ? (ev as Record<string, unknown>) : undefined;
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

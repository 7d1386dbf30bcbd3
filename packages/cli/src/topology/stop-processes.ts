/** Stopping launched processes: SIGTERM, a grace period, then SIGKILL. */
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, type ProcessRecord } from './state-file.js';

export const DEFAULT_STOP_TIMEOUT_MS = 5_000;

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

/**
 * CPU time used by each topology process, read from /proc/<pid>/stat (user + system time of
 * all its threads, so WASM worker threads count too). Sampled before and after a sweep point,
 * the difference over the wall time is the cores the node really used: next to the quota it
 * shows whether the node was CPU-bound. Where /proc is missing the samples are empty.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface ProcessRef {
  id: string;
  pid: number;
}

/** CPU seconds per process id at one instant. */
export type CpuSample = Map<string, number>;

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      // 100 Hz is the USER_HZ of every mainstream Linux build.
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export async function sampleCpu(processes: readonly ProcessRef[]): Promise<CpuSample> {
  const sample: CpuSample = new Map();
  await Promise.all(
    processes.map(async (p) => {
      const seconds = await processCpuSeconds(p.pid);
      if (seconds !== undefined) sample.set(p.id, seconds);
    }),
  );
  return sample;
}

/** Cores used per process between two samples over `wallMs`. */
export function coresUsed(before: CpuSample, after: CpuSample, wallMs: number): Map<string, number> {
  const out = new Map<string, number>();
  if (wallMs <= 0) return out;
  for (const [id, end] of after) {
    const start = before.get(id);
    if (start !== undefined) out.set(id, (end - start) / (wallMs / 1000));
  }
  return out;
}

async function processCpuSeconds(pid: number): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return (utime + stime) / clockTicks();
}

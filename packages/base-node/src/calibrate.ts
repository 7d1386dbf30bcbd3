/**
 * Calibration: how much CPU this process really gets. Spins a CPU-bound loop for `wallMs` of
 * wall time and divides the process CPU time by the wall time. Under a CFS quota the loop runs
 * in bursts with gaps between them (throttled for the rest of each period); measuring from the
 * end of the first gap to the end of the last one spans whole periods, so the answer does not
 * depend on where in a period the loop happened to start.
 *
 * @example
 * calibrateCpu(1000) // { cpuFraction: 0.25, wallMs: 900, cpuMs: 225, gaps: 10 } under a quarter core
 */
export interface Calibration {
  /** CPU time / wall time over the measured span: 1 = a full core. */
  cpuFraction: number;
  wallMs: number;
  cpuMs: number;
  /** Stalls seen (throttled periods or preemptions). */
  gaps: number;
}

/** A stall longer than this is a throttled period (or preemption), not loop jitter. */
const GAP_MS = 2;

export function calibrateCpu(wallMs: number): Calibration {
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t0 = performance.now();
  const c0 = cpuNow();
  let last = t0;
  let first: { t: number; c: number } | undefined;
  let end: { t: number; c: number } | undefined;
  let gaps = 0;
  let sink = 0;
  for (;;) {
    for (let i = 0; i < 2000; i++) sink += Math.sqrt(i + sink) % 7;
    const t = performance.now();
    if (t - last > GAP_MS) {
      gaps++;
      const mark = { t, c: cpuNow() };
      first ??= mark;
      end = mark;
    }
    last = t;
    if (t - t0 >= wallMs) break;
  }
  const t1 = performance.now();
  const c1 = cpuNow();
  // Whole periods between gap ends when they span most of the run; the plain ratio otherwise.
  const spanned = first && end && end.t - first.t >= wallMs / 2;
  const [wall, cpu] = spanned ? [end!.t - first!.t, end!.c - first!.c] : [t1 - t0, c1 - c0];
  if (sink === -1) process.stdout.write(''); // keeps the loop from being optimised away
  return {
    cpuFraction: Math.round((cpu / wall) * 1000) / 1000,
    wallMs: Math.round(wall),
    cpuMs: Math.round(cpu),
    gaps,
  };
}

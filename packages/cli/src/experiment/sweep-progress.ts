/**
 * The runner's progress display on stderr: `point 5/32 [#####.....] Q6 parquet pushdown
 * cpus=0.5 1 q/s  eta 2m10s`. On a TTY one line is redrawn (at most 4 times a second); in logs
 * one line is printed per sweep point. The ETA uses the planned seconds per point until points
 * have finished, then the measured average.
 */
import type { ProgressStream } from '../util/progress.js';

export interface SweepProgress {
  /** `fraction` is how far the current point is (0..1). */
  update(index: number, label: string, fraction: number): void;
  pointDone(): void;
  done(message?: string): void;
}

export function createSweepProgress(
  stream: ProgressStream,
  total: number,
  plannedMsPerPoint: number,
): SweepProgress {
  const tty = stream.isTTY === true;
  const start = Date.now();
  let finished = 0;
  let lastDraw = 0;
  let lastPrinted = -1;
  const eta = (index: number, fraction: number) => {
    const per = finished > 0 ? (Date.now() - start) / finished : plannedMsPerPoint;
    return Math.max(0, (total - index - fraction) * per);
  };
  return {
    update(index, label, fraction) {
      const line = `point ${index + 1}/${total} ${bar((index + fraction) / total)} ${label}  eta ${duration(eta(index, fraction))}`;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 250 && fraction > 0) return;
        lastDraw = now;
        stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}\x1b[K`);
      } else if (lastPrinted !== index) {
        lastPrinted = index;
        stream.write(`${line}\n`);
      }
    },
    pointDone() {
      finished++;
    },
    done(message) {
      if (tty) stream.write('\r\x1b[K');
      if (message) stream.write(`${message}\n`);
    },
  };
}

function bar(fraction: number): string {
  const width = 20;
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

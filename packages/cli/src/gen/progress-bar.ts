/**
 * A dependency-free progress display for long generations. On a TTY it redraws one line
 * (`[#######.......]  47.1%  2.83M/6.00M rows  1.21M rows/s  eta 3s`) at most every 100 ms;
 * elsewhere (CI logs, pipes) it prints a plain line per 10% so logs stay short.
 */
import type { GenProgress } from './options.js';

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressBar {
  update(progress: GenProgress): void;
  /** Ends the display (a final newline on a TTY). */
  done(): void;
}

const REDRAW_MS = 100;

export function createProgressBar(stream: ProgressStream, label = 'gen'): ProgressBar {
  const tty = stream.isTTY === true;
  let lastDraw = -Infinity;
  let lastDecile = -1;
  let drawn = false;
  return {
    update(p) {
      const fraction = p.rowsTotal > 0 ? Math.min(1, p.rowsDone / p.rowsTotal) : 1;
      // Done means every part is closed (renamed into place), not merely every row made.
      const finished = p.partsDone >= p.partsTotal;
      if (tty) {
        if (!finished && p.elapsedMs - lastDraw < REDRAW_MS) return;
        lastDraw = p.elapsedMs;
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 60));
        const filled = Math.round(fraction * width);
        stream.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${describe(p, fraction)}\x1b[K`,
        );
        drawn = true;
      } else {
        const decile = finished ? 10 : Math.min(9, Math.floor(fraction * 10));
        if (decile === lastDecile) return;
        lastDecile = decile;
        stream.write(`${label}: ${describe(p, fraction)}\n`);
      }
    },
    done() {
      if (tty && drawn) stream.write('\n');
    },
  };
}

function describe(p: GenProgress, fraction: number): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.rowsDone / seconds : 0;
  const eta = rate > 0 ? (p.rowsTotal - p.rowsDone) / rate : 0;
  return (
    `${(fraction * 100).toFixed(1).padStart(5)}%  ${count(p.rowsDone)}/${count(p.rowsTotal)} rows  ` +
    `part ${p.partsDone}/${p.partsTotal}  ${count(rate)} rows/s  ` +
    (p.partsDone >= p.partsTotal ? `${seconds.toFixed(1)}s` : `eta ${Math.ceil(eta)}s`)
  );
}

function count(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/**
 * A one-line progress bar for long operations (gen, put of big files), drawn on a TTY only:
 * redirected stderr stays clean for logs and scripts.
 *
 * @example
 * const bar = createProgress(process.stderr, 'put lineitem-0.parquet', size);
 * bar.update(sent);
 * bar.done();
 */
import { formatBytes } from '../format/units.js';

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** Sets the amount done so far (same unit as `total`). */
  update(done: number, total?: number): void;
  /** Clears the line (or prints a final line) and stops drawing. */
  done(finalMessage?: string): void;
}

export interface ProgressOptions {
  /** 'bytes' prints MiB; 'count' prints plain numbers. */
  unit?: 'bytes' | 'count';
  /** Draw even if the stream is not a TTY (tests). */
  force?: boolean;
}

const NOOP: Progress = { update() {}, done() {} };

export function createProgress(
  stream: ProgressStream,
  label: string,
  total: number,
  options: ProgressOptions = {},
): Progress {
  if (!stream.isTTY && !options.force) return NOOP;
  let last = 0;
  let current = 0;
  let size = total;
  const fmt = (n: number) => (options.unit === 'count' ? String(Math.round(n)) : formatBytes(n));
  const draw = () => {
    const frac = size > 0 ? Math.min(1, current / size) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const line = `${label} ${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${fmt(current)}/${fmt(size)}`;
    stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}\x1b[K`);
  };
  return {
    update(doneSoFar, newTotal) {
      current = doneSoFar;
      if (newTotal !== undefined) size = newTotal;
      const now = Date.now();
      // 10 redraws a second is smooth enough and costs nothing next to the work.
      if (now - last >= 100 || current >= size) {
        last = now;
        draw();
      }
    },
    done(finalMessage) {
      stream.write(`\r\x1b[K${finalMessage ? `${finalMessage}\n` : ''}`);
    },
  };
}

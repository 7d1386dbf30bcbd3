/**
 * Parts on several threads: `threads` generator workers (gen-worker.ts) each take the next
 * unwritten part until none is left. Each part is a whole file per format made by one thread,
 * so the bytes do not depend on the thread count; memory is one batch plus one row group per
 * worker. The first failure (or an abort) stops every worker's part in hand, whose temp files
 * are removed, and is rethrown once all have stopped; finished parts stay (each is complete).
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CancelledError, ExecutionError, PluginError, deserializeError } from '@pushdown/proto';
import type { FromGenWorker, GenWorkerInit, ToGenWorker } from './gen-protocol.js';
import type { GenOptions } from './options.js';
import type { PartRange } from './part-plan.js';
import type { GeneratedFile } from './write-part.js';

export interface PartsRun {
  onRows(rows: number): void;
  onPartDone(files: GeneratedFile[]): void;
  signal?: AbortSignal | undefined;
}

export async function writePartsInWorkers(
  options: GenOptions,
  ranges: readonly PartRange[],
  run: PartsRun,
): Promise<void> {
  const file = genWorkerFile();
  let next = 0;
  let failure: unknown = null;
  const workers: Worker[] = [];
  const stopAll = (err: unknown): void => {
    failure ??= err;
    next = ranges.length;
    for (const w of workers) w.postMessage({ type: 'abort' } satisfies ToGenWorker);
  };
  const onAbort = (): void => stopAll(new CancelledError(`generating ${options.table} was cancelled`));
  run.signal?.addEventListener('abort', onAbort, { once: true });

  const one = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const init: GenWorkerInit = { options };
      const w = new Worker(file, { workerData: init });
      workers.push(w);
      const give = (): void => {
        if (next >= ranges.length) {
          void w.terminate().then(() => resolve());
          return;
        }
        w.postMessage({ type: 'part', range: ranges[next++]! } satisfies ToGenWorker);
      };
      w.on('message', (m: FromGenWorker) => {
        if (m.type === 'rows') run.onRows(m.rows);
        else if (m.type === 'done') {
          run.onPartDone(m.files);
          give();
        } else {
          stopAll(deserializeError(m.error));
          give();
        }
      });
      // A crashed thread: its temp files may remain (named .<file>.tmp-*), the run fails.
      w.on('error', (err) =>
        stopAll(new ExecutionError(`a generator thread failed: ${err.message}`, { cause: err })),
      );
      w.on('exit', () => resolve());
      if (run.signal?.aborted) onAbort();
      give();
    });

  try {
    const count = Math.min(options.threads, ranges.length);
    await Promise.all(Array.from({ length: count }, one));
  } finally {
    run.signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== null) throw failure;
}

/** dist/gen/gen-worker.js beside this file, or the package's dist when this is the source. */
export function genWorkerFile(): string {
  const here = import.meta.dirname;
  const srcPart = `${sep}src${sep}gen`;
  const dir = here.endsWith(srcPart) ? here.slice(0, -srcPart.length) + `${sep}dist${sep}gen` : here;
  const file = join(dir, 'gen-worker.js');
  if (!existsSync(file))
    throw new PluginError(`generator worker ${file} is missing`, { hint: 'build the cli first: npx tsc -b' });
  return file;
}

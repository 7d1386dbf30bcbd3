/**
 * The write loop: row-group jobs go to an executor (worker pool, or the main thread), at most
 * `window` at a time, and their results are written strictly in job order, part by part. So
 * the files are the same whatever the thread count, and memory is bounded by the window (the
 * groups being encoded or waiting for an earlier one, plus the one being written), not by the
 * scale factor. A part's files are published after its last group; on any failure or abort
 * the open part's temp files are removed and the error is rethrown (finished parts stay: each
 * is complete on its own).
 */
import { CancelledError } from '@pushdown/proto';
import type { GenOptions } from './options.js';
import { PartOutput, type GeneratedFile } from './part-output.js';
import type { PartRange } from './part-plan.js';
import type { EncodedGroup } from './row-group-encoder.js';
import { rowGroupJobs, type RowGroupJob } from './row-group-plan.js';
import type { TableGenerator } from './table-generator.js';

export interface GroupExecutor {
  run(job: RowGroupJob): Promise<EncodedGroup>;
  close(): Promise<void>;
}

export interface WriteRun {
  /** Groups encoded ahead of the one being written (threads + 1 keeps every worker busy). */
  readonly window: number;
  onRows(rows: number): void;
  onPartDone(files: GeneratedFile[]): void;
  readonly signal?: AbortSignal | undefined;
}

export async function writeGroups(
  table: TableGenerator,
  options: GenOptions,
  ranges: readonly PartRange[],
  exec: GroupExecutor,
  run: WriteRun,
): Promise<void> {
  const jobs = rowGroupJobs(table, options, ranges);
  const inFlight: { job: RowGroupJob; result: Promise<EncodedGroup> }[] = [];
  let exhausted = false;
  const fill = (): void => {
    while (!exhausted && inFlight.length < run.window) {
      const next = jobs.next();
      if (next.done) exhausted = true;
      else {
        const result = exec.run(next.value);
        // Failures are seen when the group's turn comes; don't let later ones go unhandled.
        result.catch(() => undefined);
        inFlight.push({ job: next.value, result });
      }
    }
  };
  const checkAbort = (): void => {
    if (run.signal?.aborted) throw new CancelledError(`generating ${table.name} was cancelled`);
  };

  let out: PartOutput | undefined;
  try {
    fill();
    while (inFlight.length > 0) {
      const { job, result } = inFlight.shift()!;
      const group = await result;
      checkAbort();
      fill(); // hand out the next job before writing, so no worker waits on the disk
      out ??= await PartOutput.open(table, options, job.part);
      await out.append(group);
      run.onRows(group.rows);
      if (job.last) {
        checkAbort();
        const part = out;
        out = undefined;
        try {
          run.onPartDone(await part.close());
        } catch (err) {
          await part.abort();
          throw err;
        }
      }
    }
  } catch (err) {
    await out?.abort();
    throw err;
  } finally {
    await exec.close();
  }
}

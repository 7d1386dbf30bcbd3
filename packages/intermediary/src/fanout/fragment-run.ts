/**
 * What running one fragment yields, whichever tier runs it: Arrow record batches as they come,
 * then the fragment's stats and the bytes it moved between the tiers.
 */
import type { RecordBatch } from 'apache-arrow';
import type { FragmentStats } from '@pushdown/engine';

export interface FragmentRunResult {
  readonly stats: FragmentStats;
  /** Arrow IPC bytes received (PUSHDOWN) or raw object bytes pulled (NO_PUSHDOWN). */
  readonly bytesShipped: number;
  /** "base:<node id>" or "intermediary": where the fragment's operators ran. */
  readonly tier: string;
}

export interface FragmentRun {
  readonly batches: AsyncGenerator<RecordBatch>;
  /** Complete once `batches` is exhausted. */
  result(): FragmentRunResult;
}

export function emptyFragmentStats(): FragmentStats {
  return {
    rowsScanned: 0,
    bytesScanned: 0,
    rowsOut: 0,
    bytesOut: 0,
    rowGroupsTotal: 0,
    rowGroupsScanned: 0,
    elapsedMs: 0,
    stages: [],
    parallelism: 1,
    workerThreads: 0,
  };
}

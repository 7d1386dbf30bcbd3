/**
 * Fan-out of one query: every fragment runs (PUSHDOWN on its base node, or NO_PUSHDOWN on
 * pulled bytes), at most `maxConcurrency` at a time, and their batches flow through one
 * memory-budgeted channel to the upper stages. The first failure cancels the other fragments
 * (and their base calls) and is what the consumer sees; a consumer that stops early (LIMIT
 * reached) cancels them too.
 */
import { performance } from 'node:perf_hooks';
import type { RecordBatch } from 'apache-arrow';
import type { Fragment } from '@pushdown/engine';
import { CancelledError } from '@pushdown/proto';
import type { CatalogObject } from '../catalog/catalog.js';
import { BatchChannel } from './batch-channel.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import type { FragmentRunResult } from './fragment-run.js';
import type { MemoryBudget } from './memory-budget.js';
import type { ObjectPullOptions } from './object-pull.js';
import type { PlacementDecision } from './placement.js';
import { pullScan } from './pull-scan.js';
import { pushdownScan } from './pushdown-scan.js';

export interface PlannedFragment {
  readonly fragment: Fragment;
  readonly object: CatalogObject;
  readonly decision: PlacementDecision;
}

export interface FragmentOutcome {
  readonly planned: PlannedFragment;
  readonly result: FragmentRunResult;
  /** Wall time of the fragment on the intermediary's clock, pull included. */
  readonly elapsedMs: number;
}

export interface FanOutOptions {
  readonly queryId: string;
  readonly signal: AbortSignal;
  readonly deadline?: Date | number;
  readonly maxConcurrency: number;
  /** Worker threads each base node's scan may use (0 = the node's default). */
  readonly parallelism?: number;
  /** Worker threads a scan run here (NO_PUSHDOWN) uses. */
  readonly pullParallelism?: number;
  readonly budget: MemoryBudget;
  readonly pull: Omit<ObjectPullOptions, 'signal' | 'budget'>;
  readonly onFragmentDone: (outcome: FragmentOutcome) => void;
  /**
   * Deliver each fragment's batches whole and in fragment order rather than as they arrive. For
   * partial aggregates (a few rows per fragment): floating-point sums then merge in the same
   * order on every run and under every placement, so answers are identical, not merely close.
   */
  readonly inFragmentOrder?: boolean;
}

export interface FanOut {
  readonly batches: AsyncGenerator<RecordBatch>;
  /** Most fragments seen in flight at once. */
  peakConcurrency(): number;
}

export function fanOut(planned: readonly PlannedFragment[], options: FanOutOptions): FanOut {
  const controller = new AbortController();
  const signal = AbortSignal.any([options.signal, controller.signal]);
  const channel = new BatchChannel(options.budget);
  const limiter = new ConcurrencyLimiter(options.maxConcurrency);

  // In fragment order: finished fragments wait here until every earlier one has been delivered.
  const finished = new Map<number, { batches: RecordBatch[]; what: string }>();
  let nextToDeliver = 0;
  let delivering: Promise<void> = Promise.resolve();
  const deliverInOrder = () =>
    (delivering = delivering.then(async () => {
      for (let done = finished.get(nextToDeliver); done; done = finished.get(nextToDeliver)) {
        finished.delete(nextToDeliver++);
        for (const batch of done.batches) await channel.push(batch, done.what, signal);
      }
    }));

  const runOne = async (p: PlannedFragment, index: number): Promise<void> => {
    const t0 = performance.now();
    const { node, placement } = p.decision;
    const run =
      placement === 'PUSHDOWN'
        ? pushdownScan(node, p.fragment, {
            queryId: options.queryId,
            signal,
            ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
            parallelism: options.parallelism ?? 0,
          })
        : pullScan(node, p.object, p.fragment, {
            ...options.pull,
            signal,
            budget: options.budget,
            parallelism: options.pullParallelism ?? 1,
          });
    const what = `a batch of ${p.object.table}/${p.object.name}`;
    if (options.inFragmentOrder) {
      const batches: RecordBatch[] = [];
      for await (const batch of run.batches) batches.push(batch);
      finished.set(index, { batches, what });
      await deliverInOrder();
    } else {
      for await (const batch of run.batches) await channel.push(batch, what, signal);
    }
    options.onFragmentDone({ planned: p, result: run.result(), elapsedMs: performance.now() - t0 });
  };

  const failed = (err: unknown) => {
    channel.fail(err);
    if (!controller.signal.aborted) controller.abort(err);
  };
  // Every fragment promise is caught here; the first error fails the channel.
  void Promise.all(planned.map((p, i) => limiter.run(() => runOne(p, i), signal).catch(failed))).then(() =>
    channel.close(),
  );

  async function* batches(): AsyncGenerator<RecordBatch> {
    try {
      yield* channel.batches();
    } finally {
      // Normal end: all fragments are done, the abort is a no-op. Early end: stop them.
      if (!controller.signal.aborted)
        controller.abort(new CancelledError('the query no longer needs more rows'));
    }
  }

  return { batches: batches(), peakConcurrency: () => limiter.peak };
}

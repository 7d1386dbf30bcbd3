/**
 * PUSHDOWN: send the fragment to the object's base node (BaseNode.Scan) and decode the Arrow
 * IPC chunks into record batches as they arrive. The stream is one Arrow IPC stream across
 * all `arrow` messages, then one `stats` message.
 */
import { RecordBatchReader, type RecordBatch } from 'apache-arrow';
import type { Fragment, FragmentStats } from '@pushdown/engine';
import { ExecutionError, type ScanResponse__Output, type ScanStats__Output } from '@pushdown/proto';
import { describeNode, type BaseNodeState } from '../catalog/base-node-registry.js';
import type { FragmentRun, FragmentRunResult } from './fragment-run.js';
import { nodeDown, nodeFailure } from './node-errors.js';

export interface PushdownScanOptions {
  readonly queryId: string;
  readonly signal: AbortSignal;
  /** The client's deadline, passed on to the base call. */
  readonly deadline?: Date | number;
  /** ScanRequest.parallelism: worker threads the node may use (0 = its default). */
  readonly parallelism?: number;
}

export function pushdownScan(
  node: BaseNodeState,
  fragment: Fragment,
  options: PushdownScanOptions,
): FragmentRun {
  const what = `the scan of ${fragment.table}/${fragment.object}`;
  let shipped = 0;
  let stats: ScanStats__Output | null = null;

  async function* batches(): AsyncGenerator<RecordBatch> {
    const { signal } = options;
    signal.throwIfAborted();
    if (node.status === 'down') throw nodeDown(node, what);
    const call = node.client.scan(
      {
        fragmentJson: JSON.stringify(fragment),
        queryId: options.queryId,
        parallelism: options.parallelism ?? 0,
      },
      options.deadline !== undefined ? { deadline: options.deadline } : {},
    );
    // Ends the base call when the query is cancelled or fails elsewhere.
    const onAbort = () => call.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    const messages = call[Symbol.asyncIterator]() as AsyncIterator<ScanResponse__Output>;
    let started = false;
    // The Arrow chunks, ending at the stats message. Pulls from `messages` by hand so the
    // Arrow reader closing this generator at end-of-stream does not end the call before stats.
    async function* arrowChunks(): AsyncGenerator<Uint8Array> {
      for (;;) {
        const r = await messages.next();
        if (r.done) return;
        if (r.value.arrow && r.value.arrow.byteLength > 0) {
          started = true;
          shipped += r.value.arrow.byteLength;
          yield r.value.arrow;
        } else if (r.value.stats) {
          stats = r.value.stats;
          return;
        }
      }
    }
    let finished = false;
    try {
      const chunks = arrowChunks();
      const first = await chunks.next();
      if (!first.done) {
        const reader = await RecordBatchReader.from(prepend(first.value, chunks));
        for await (const batch of reader) yield batch;
      }
      while (!stats) {
        const r = await messages.next();
        if (r.done) break;
        if (r.value.stats) stats = r.value.stats;
      }
      finished = true;
      if (!stats) throw new ExecutionError(`${describeNode(node)} ended ${what} without sending stats`);
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      throw nodeFailure(err, node, what, started);
    } finally {
      signal.removeEventListener('abort', onAbort);
      // An early return (LIMIT reached upstream) or a failure: stop the base node's work.
      if (!finished) call.cancel();
    }
  }

  return {
    batches: batches(),
    result(): FragmentRunResult {
      return { stats: toFragmentStats(stats), bytesShipped: shipped, tier: `base:${node.id}` };
    },
  };
}

async function* prepend(first: Uint8Array, rest: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  yield* rest;
}

function toFragmentStats(s: ScanStats__Output | null): FragmentStats {
  return {
    rowsScanned: s?.rowsScanned ?? 0,
    bytesScanned: s?.bytesScanned ?? 0,
    rowsOut: s?.rowsOut ?? 0,
    bytesOut: s?.bytesOut ?? 0,
    rowGroupsTotal: s?.rowGroupsTotal ?? 0,
    rowGroupsScanned: s?.rowGroupsScanned ?? 0,
    elapsedMs: s?.elapsedMs ?? 0,
    // Nodes from before parallel scans send no parallelism: they ran serially.
    parallelism: s?.parallelism || 1,
    workerThreads: 0,
    stages: (s?.stages ?? []).map((st) => ({
      name: st.name,
      rowsIn: st.rowsIn,
      rowsOut: st.rowsOut,
      bytesIn: st.bytesIn,
      bytesOut: st.bytesOut,
      bytesCopied: st.bytesCopied,
      computeMs: st.computeMs,
    })),
  };
}

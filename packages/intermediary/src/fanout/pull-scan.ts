/**
 * NO_PUSHDOWN: pull the object's bytes from its base node and run the very same fragment on
 * the intermediary with the engine's executor, so the rows are identical to PUSHDOWN.
 */
import type { RecordBatch } from 'apache-arrow';
import type { Fragment, FragmentStats } from '@pushdown/engine';
import type { BaseNodeState } from '../catalog/base-node-registry.js';
import type { CatalogObject } from '../catalog/catalog.js';
import { runFragment } from '../engine-api.js';
import { emptyFragmentStats, type FragmentRun } from './fragment-run.js';
import { pullObject, type ObjectPullOptions } from './object-pull.js';

export function pullScan(
  node: BaseNodeState,
  object: CatalogObject,
  fragment: Fragment,
  options: ObjectPullOptions,
): FragmentRun {
  let pulled = 0;
  let stats: FragmentStats = emptyFragmentStats();

  async function* batches(): AsyncGenerator<RecordBatch> {
    options.signal.throwIfAborted();
    const obj = await pullObject(node, object, options);
    pulled = obj.bytes;
    try {
      const run = runFragment(fragment, obj.blob, {
        signal: options.signal,
        ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
      });
      for await (const batch of run.batches) yield batch;
      stats = run.stats;
    } finally {
      await obj.release();
    }
  }

  return {
    batches: batches(),
    result: () => ({ stats, bytesShipped: pulled, tier: 'intermediary' }),
  };
}

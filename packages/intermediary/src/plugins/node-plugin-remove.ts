/**
 * Removing an installed plugin from one base node (BaseNode.RemovePlugin), the counterpart of
 * node-plugin-install.ts. The outcome is data, not an exception: a cluster removal reports each
 * node separately and one node being down must not stop the others. The node's remembered
 * Capabilities drop the plugin at once, so placement does not count on it before the next
 * catalog round (which re-reads the truth, e.g. a shipped plugin of that name still there).
 */
import {
  ErrorCode,
  fromServiceError,
  type PluginInfo__Output,
  type RemovePluginResponse__Output,
} from '@pushdown/proto';
import type { BaseNodeState } from '../catalog/base-node-registry.js';
import { installsInFlight } from './node-plugin-install.js';

/** One node's outcome, as NodePluginInstall carries it (plus what the node removed). */
export interface NodeRemoval {
  nodeId: string;
  status: 'removed' | 'absent' | 'failed';
  /** Why it failed; empty otherwise. */
  error: string;
  /** What the node removed (status "removed" only). */
  plugin?: PluginInfo__Output;
}

export interface NodeRemoveOptions {
  /** Deadline of the call (default 10 s: the node only deletes a folder). */
  readonly timeoutMs?: number;
}

/**
 * Removes plugin `name` from `node`. "absent" when the node has no installed plugin of that name
 * (its NOT_FOUND); "failed" with the reason for anything else (down, refused, deadline).
 */
export async function removeFromNode(
  node: BaseNodeState,
  name: string,
  options: NodeRemoveOptions = {},
): Promise<NodeRemoval> {
  // An install by hash that placement started before the intermediary forgot the plugin could
  // otherwise land on the node after this removal and bring the plugin back.
  await Promise.allSettled(installsInFlight(node.id, name));
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  try {
    const res = await new Promise<RemovePluginResponse__Output>((resolve, reject) => {
      node.client.removePlugin({ name }, { deadline }, (err, value) =>
        err || !value ? reject(err ?? new Error('empty response')) : resolve(value),
      );
    });
    forgetPlugin(node, name);
    return { nodeId: node.id, status: 'removed', error: '', ...(res.plugin ? { plugin: res.plugin } : {}) };
  } catch (err) {
    const e = fromServiceError(err, `could not remove plugin "${name}" from base node ${node.id}`);
    // Nothing installed there: its Capabilities (a shipped plugin of that name, or none) stand.
    if (e.code === ErrorCode.NOT_FOUND) return { nodeId: node.id, status: 'absent', error: '' };
    return { nodeId: node.id, status: 'failed', error: e.message };
  }
}

/** Drops plugin `name` from the node's remembered Capabilities.plugins (see rememberPlugin). */
function forgetPlugin(node: BaseNodeState, name: string): void {
  const caps = node.capabilities;
  if (!caps) return;
  caps.plugins = caps.plugins.filter((p) => p.name !== name);
}

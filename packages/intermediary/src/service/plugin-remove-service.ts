/**
 * Intermediary.RemovePlugin: takes an installed plugin out of the running topology. Order
 * matters. Every check that can refuse the call (name, shipped plugin, unknown node) runs before
 * anything changes. Then the intermediary's own copy goes first and its plugin library is
 * re-read, so SQL stops binding the functions at once and placement stops installing the
 * plugin on nodes by hash. Only then do the base nodes remove theirs. Otherwise a query
 * planned in between could put the plugin back on a node it was just removed from.
 *
 * Queries in flight: a scan unit already running on a base node (or in the intermediary's pool)
 * keeps its compiled module (it is in memory; deleting the files does not touch it) and its
 * worker's library snapshot, so it finishes. Scan units dispatched after the removal resolve the
 * plugin again, find nothing, and fail that query with PUSHDOWN_ERR_PLUGIN ("... is not
 * installed on this node"). New queries fail to bind: "function ... is not supported; did you
 * mean ...". Nothing crashes and no other query is touched.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadRegistry, refreshPluginLibrary, removePlugin } from '@pushdown/plugins';
import {
  InvalidArgumentError,
  NotFoundError,
  type ClusterRemovePluginRequest__Output,
  type ClusterRemovePluginResponse,
  type PluginInfo,
} from '@pushdown/proto';
import { removeFromNode } from '../plugins/node-plugin-remove.js';
import type { QueryContext } from '../query/run-query.js';
import { pluginTargetNodes } from './plugin-service.js';

// The manifest's name rule (manifest-validate.ts): anything else cannot be installed, and must
// not reach a path join.
const PLUGIN_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

export async function removeClusterPlugin(
  ctx: QueryContext,
  req: ClusterRemovePluginRequest__Output,
): Promise<ClusterRemovePluginResponse> {
  const name = req.name;
  if (!PLUGIN_NAME.test(name)) {
    throw new InvalidArgumentError(`"${name}" is not a plugin name`, {
      hint: 'plugin names are lower-case letters, digits, _ and -, starting with a letter; see `pushdown plugins list`',
    });
  }
  const dir = ctx.options.pluginDir;
  // An intermediary without a plugin folder has nothing installed; the nodes still may.
  const installedHere = dir !== null && existsSync(join(dir, name, 'manifest.json'));
  // An installed copy may shadow a shipped plugin of the same name; removing that copy is fine
  // (the shipped build comes back). A name that is only shipped cannot go away.
  if (!installedHere && isShipped(name)) {
    throw new InvalidArgumentError(`plugin "${name}" is shipped with the build and cannot be removed`, {
      hint: 'only plugins installed with `pushdown plugins add` can be removed; see `pushdown plugins list`',
    });
  }
  const targets = pluginTargetNodes(ctx, req.nodeIds);

  let plugin: PluginInfo | undefined;
  let status: 'removed' | 'absent' = 'absent';
  if (installedHere && dir !== null) {
    // A concurrent removal may have won since the check: then it is simply absent here.
    const r = await removePlugin(name, dir).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    if (r) {
      plugin = { name, version: r.manifest.version, kind: r.manifest.kind, sha256: r.manifest.sha256 };
      status = 'removed';
    }
    refreshPluginLibrary();
  }
  // Nodes answer independently: one down or refusing does not stop the others.
  const perNode = await Promise.all(targets.map((node) => removeFromNode(node, name)));
  plugin ??= perNode.find((n) => n.plugin)?.plugin;
  ctx.options.logger('info', 'plugin removed', {
    plugin: name,
    status,
    nodes: perNode.map((n) => `${n.nodeId}:${n.status}`),
  });
  return {
    plugin: plugin ?? { name, version: '', kind: '', sha256: '' },
    status,
    nodes: perNode.map(({ nodeId, status: s, error }) => ({ nodeId, status: s, error })),
  };
}

/** Whether `name` ships with this build (registry plugins and built-in operators alike). */
function isShipped(name: string): boolean {
  try {
    return loadRegistry().find(name) !== undefined;
  } catch {
    return false; // registry not built: nothing is shipped
  }
}

/**
 * Intermediary.InstallPlugin and ListPlugins: the cluster's plugins from one place. An install
 * is checked and stored in the intermediary's own plugin folder first (so SQL here can bind the
 * new functions and NO_PUSHDOWN fragments can run them), then sent to each base node by content
 * hash, where the node verifies it again. Nodes answer independently: one refusing or being
 * down does not undo the others, and the response says what happened where.
 */
import { join } from 'node:path';
import {
  installPluginUpload,
  libraryPlugins,
  refreshPluginLibrary,
  type LibraryPlugin,
} from '@pushdown/plugins';
import {
  InvalidArgumentError,
  NotFoundError,
  type ClusterInstallPluginRequest__Output,
  type ClusterInstallPluginResponse,
  type ClusterPlugin__Output,
  type ListPluginsResponse,
  type NodePluginInstall,
} from '@pushdown/proto';
import type { BaseNodeState } from '../catalog/base-node-registry.js';
import { installOnNode } from '../plugins/node-plugin-install.js';
import type { QueryContext } from '../query/run-query.js';

export async function installClusterPlugin(
  ctx: QueryContext,
  req: ClusterInstallPluginRequest__Output,
): Promise<ClusterInstallPluginResponse> {
  const dir = ctx.options.pluginDir;
  if (!dir) {
    throw new InvalidArgumentError('this intermediary has no plugin folder, so it cannot install plugins', {
      hint: 'start it with --plugin-dir DIR (pushdown start passes <data-dir>/intermediary/plugins)',
    });
  }
  const targets = pluginTargetNodes(ctx, req.nodeIds);
  const upload = { manifestJson: req.manifestJson, wasm: req.wasm, sha256: req.sha256.toLowerCase() };
  const mine = await installPluginUpload(upload, dir, { replace: req.replace });
  refreshPluginLibrary();
  const plugin: LibraryPlugin = {
    manifest: mine.manifest,
    wasmPath: mine.wasmPath,
    manifestPath: join(mine.dir, 'manifest.json'),
    origin: 'installed',
  };
  const perNode = await Promise.all(
    targets.map(async (node): Promise<NodePluginInstall> => {
      try {
        const status = await installOnNode(node, plugin, { replace: req.replace });
        return { nodeId: node.id, status, error: '' };
      } catch (err) {
        return { nodeId: node.id, status: 'failed', error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
  const m = mine.manifest;
  ctx.options.logger('info', 'plugin installed', {
    plugin: m.name,
    sha256: m.sha256,
    status: mine.status,
    nodes: perNode.map((n) => `${n.nodeId}:${n.status}`),
  });
  return {
    plugin: { name: m.name, version: m.version, kind: m.kind, sha256: m.sha256 },
    status: mine.status,
    nodes: perNode,
  };
}

/**
 * The base nodes a cluster plugin call (install, remove) acts on: the listed ids, else every
 * node. An unknown id fails the whole call with NOT_FOUND before anything changes anywhere.
 */
export function pluginTargetNodes(ctx: QueryContext, nodeIds: readonly string[]): BaseNodeState[] {
  const nodes = ctx.catalog.nodes;
  const unknown = nodeIds.filter((id) => !nodes.get(id));
  if (unknown.length > 0) {
    throw new NotFoundError(`no base node ${unknown.map((id) => `"${id}"`).join(', ')}`, {
      hint: `base nodes are ${
        nodes
          .all()
          .map((n) => n.id)
          .join(', ') || 'none'
      }`,
    });
  }
  return nodeIds.length > 0 ? nodeIds.map((id) => nodes.get(id)!) : nodes.all();
}

/** Every (name, sha256) the intermediary or a base node has, and which nodes have it. */
export async function listClusterPlugins(ctx: QueryContext): Promise<ListPluginsResponse> {
  await ctx.catalog.refresh();
  const byKey = new Map<string, ClusterPlugin__Output>();
  const entry = (p: { name: string; version: string; kind: string; sha256: string }) => {
    const key = `${p.name}\0${p.sha256}`;
    let e = byKey.get(key);
    if (!e) {
      e = { name: p.name, version: p.version, kind: p.kind, sha256: p.sha256, origin: '', nodeIds: [] };
      byKey.set(key, e);
    }
    return e;
  };
  for (const p of libraryPlugins()) entry(p.manifest).origin = p.origin;
  for (const node of ctx.catalog.nodes.all()) {
    for (const p of node.capabilities?.plugins ?? []) entry(p).nodeIds.push(node.id);
  }
  const plugins = [...byKey.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.origin.localeCompare(b.origin),
  );
  return { plugins };
}

/**
 * Installing a plugin of the intermediary's library on a base node by content hash: the node
 * gets the published manifest, the module bytes and the SHA-256 they must have, and verifies all
 * of it itself before compiling or writing anything. Concurrent requests for the same (node,
 * plugin, hash), e.g. several fragments of one query, share one call. On success the node's
 * remembered capabilities list the plugin at once, so placement need not wait for the next
 * catalog round.
 */
import { readFile } from 'node:fs/promises';
import { findLibraryPlugin, type LibraryPlugin } from '@pushdown/plugins';
import {
  fromServiceError,
  NotFoundError,
  type InstallPluginResponse__Output,
  type PluginInfo__Output,
} from '@pushdown/proto';
import type { BaseNodeState } from '../catalog/base-node-registry.js';

export interface NodeInstallOptions {
  readonly replace?: boolean;
  /** Deadline of the call (default 30 s: the node compiles the module once to check it). */
  readonly timeoutMs?: number;
}

export type NodeInstallStatus = 'installed' | 'replaced' | 'unchanged';

const inFlight = new Map<string, Promise<NodeInstallStatus>>();

/** The manifest and module of a library plugin, as an InstallPlugin request carries them. */
export async function pluginUploadOf(
  plugin: LibraryPlugin,
): Promise<{ manifestJson: string; wasm: Uint8Array; sha256: string }> {
  const [manifestJson, wasm] = await Promise.all([
    readFile(plugin.manifestPath, 'utf8'),
    readFile(plugin.wasmPath),
  ]);
  return { manifestJson, wasm, sha256: plugin.manifest.sha256 };
}

/**
 * The installs of plugin `name` on node `nodeId` still under way (any hash): a removal waits for
 * them, so an install placement started just before cannot land after it and bring the plugin back.
 */
export function installsInFlight(nodeId: string, name: string): Promise<NodeInstallStatus>[] {
  const prefix = `${nodeId}\0${name}\0`;
  return [...inFlight].filter(([key]) => key.startsWith(prefix)).map(([, call]) => call);
}

/** Installs `plugin` on `node`; rejects with the node's error (INVALID_ARGUMENT, ALREADY_EXISTS, ...). */
export function installOnNode(
  node: BaseNodeState,
  plugin: LibraryPlugin,
  options: NodeInstallOptions = {},
): Promise<NodeInstallStatus> {
  const key = `${node.id}\0${plugin.manifest.name}\0${plugin.manifest.sha256}\0${options.replace === true}`;
  let call = inFlight.get(key);
  if (!call) {
    call = send(node, plugin, options).finally(() => inFlight.delete(key));
    inFlight.set(key, call);
  }
  return call;
}

async function send(
  node: BaseNodeState,
  plugin: LibraryPlugin,
  options: NodeInstallOptions,
): Promise<NodeInstallStatus> {
  const upload = await pluginUploadOf(plugin);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const res = await new Promise<InstallPluginResponse__Output>((resolve, reject) => {
    node.client.installPlugin({ ...upload, replace: options.replace === true }, { deadline }, (err, value) =>
      err || !value
        ? reject(
            fromServiceError(
              err,
              `could not install plugin "${plugin.manifest.name}" on base node ${node.id}`,
            ),
          )
        : resolve(value),
    );
  });
  if (res.plugin) rememberPlugin(node, res.plugin);
  return res.status as NodeInstallStatus;
}

/** Puts `info` into the node's remembered Capabilities.plugins (replacing a same-named entry). */
function rememberPlugin(node: BaseNodeState, info: PluginInfo__Output): void {
  const caps = node.capabilities;
  if (!caps) return;
  caps.plugins = [...caps.plugins.filter((p) => p.name !== info.name), info];
}

/** Whether placement may install plugin `name` on base nodes: this process has it, and it runs there. */
export function canInstallOnBase(name: string): boolean {
  const plugin = findLibraryPlugin(name);
  return plugin !== undefined && plugin.manifest.runsOn.includes('base');
}

/**
 * Installs on `node` every plugin in `names` (placement's `installs`); resolves with a short
 * note for the placement reason. Rejects if any install fails.
 */
export async function installForFragment(node: BaseNodeState, names: readonly string[]): Promise<string> {
  const notes: string[] = [];
  for (const name of names) {
    const plugin = findLibraryPlugin(name);
    if (!plugin) throw new NotFoundError(`plugin "${name}" is not in the intermediary's plugin library`);
    await installOnNode(node, plugin);
    notes.push(`"${name}" (sha256 ${plugin.manifest.sha256.slice(0, 12)}…)`);
  }
  return `installed plugin ${notes.join(', ')} on ${node.id} by hash`;
}

/**
 * Plugins of a running topology, through its intermediary: install one everywhere (the
 * intermediary stores it and installs it on each base node by content hash), remove one
 * everywhere, and list who has what. An installed plugin is verified here first, so a broken
 * build fails with the local reason before anything is sent; the nodes verify it again on arrival.
 *
 * @example
 * const r = await installPluginOnCluster('127.0.0.1:50051', 'my_fn/build');
 * for (const n of r.nodes) console.log(n.nodeId, n.status);
 */
import { readFile } from 'node:fs/promises';
import { MAX_PLUGIN_MODULE_BYTES, verifyPlugin } from '@pushdown/plugins';
import {
  createIntermediaryClient,
  InvalidArgumentError,
  type ClusterInstallPluginResponse__Output,
  type ClusterPlugin__Output,
  type ClusterRemovePluginResponse__Output,
  type IntermediaryClient,
  type ListPluginsResponse__Output,
} from '@pushdown/proto';
import { callOptions, type CallControl } from '../client/call-options.js';
import { clientError } from '../client/unreachable.js';

export interface ClusterInstallOptions extends CallControl {
  replace?: boolean;
  /** Only these base nodes (default: every one). */
  nodeIds?: readonly string[];
}

/** Sends the plugin at `path` (folder, .wasm beside its manifest, or manifest) to the intermediary. */
export async function installPluginOnCluster(
  address: string,
  path: string,
  options: ClusterInstallOptions = {},
): Promise<ClusterInstallPluginResponse__Output> {
  const plugin = await verifyPlugin(path);
  if (plugin.bytes.byteLength > MAX_PLUGIN_MODULE_BYTES) {
    throw new InvalidArgumentError(
      `${plugin.wasmPath} is ${plugin.bytes.byteLength} bytes; nodes accept plugins up to ${MAX_PLUGIN_MODULE_BYTES}`,
    );
  }
  const request = {
    manifestJson: await readFile(plugin.manifestPath, 'utf8'),
    wasm: plugin.bytes,
    sha256: plugin.manifest.sha256,
    replace: options.replace === true,
    nodeIds: [...(options.nodeIds ?? [])],
  };
  return call<ClusterInstallPluginResponse__Output>(address, 'install plugin', (client, cb) =>
    client.installPlugin(request, callOptions(options), (err, res) => cb(err, res)),
  );
}

export interface ClusterRemoveOptions extends CallControl {
  /** Only these base nodes (default: every one). */
  nodeIds?: readonly string[];
}

/**
 * Removes installed plugin `name` from the intermediary, then from every base node (or
 * `nodeIds`). Each place says "removed", "absent" or (a node) "failed" with the reason;
 * a shipped plugin is refused with INVALID_ARGUMENT, an unknown node id with NOT_FOUND.
 */
export async function removePluginOnCluster(
  address: string,
  name: string,
  options: ClusterRemoveOptions = {},
): Promise<ClusterRemovePluginResponse__Output> {
  const request = { name, nodeIds: [...(options.nodeIds ?? [])] };
  return call<ClusterRemovePluginResponse__Output>(address, 'remove plugin', (client, cb) =>
    client.removePlugin(request, callOptions(options), (err, res) => cb(err, res)),
  );
}

/** Every (name, sha256) the intermediary or a base node has, with the nodes that have it. */
export async function listPluginsOnCluster(
  address: string,
  options: CallControl = {},
): Promise<ClusterPlugin__Output[]> {
  const res = await call<ListPluginsResponse__Output>(address, 'list plugins', (client, cb) =>
    client.listPlugins({}, callOptions(options), (err, value) => cb(err, value)),
  );
  return res.plugins;
}

function call<T>(
  address: string,
  what: string,
  start: (client: IntermediaryClient, cb: (err: Error | null, value: T | undefined) => void) => void,
): Promise<T> {
  const client = createIntermediaryClient(address);
  return new Promise<T>((resolve, reject) => {
    start(client, (err, value) => {
      client.close();
      if (err || value === undefined) reject(clientError(err, `${what} failed`, address, 'intermediary'));
      else resolve(value);
    });
  });
}

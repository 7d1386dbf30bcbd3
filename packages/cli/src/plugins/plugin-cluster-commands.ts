/**
 * The cluster side of `pushdown plugins add` and `list`: where a command acts (a running
 * topology through its intermediary, or a local plugin folder), and what it prints there.
 *
 * Where, first match wins: `--addr`; `--data-dir DIR` of a running topology (its state file),
 * else DIR/plugins as a plain folder; `PUSHDOWN_ADDR`; the topology running from .pushdown.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pluginInstallDir } from '@pushdown/plugins';
import { ExecutionError, NotFoundError } from '@pushdown/proto';
import { formatBoxTable } from '../format/box-table.js';
import { dataDirOf, println, type CliContext } from '../commands/context.js';
import { readLiveState } from '../topology/state-file.js';
import { installPluginOnCluster, listPluginsOnCluster } from './cluster-plugins.js';

export type PluginTarget =
  | { kind: 'cluster'; address: string; source: string }
  | { kind: 'folder'; dir: string }
  | { kind: 'none'; dir: string };

export async function resolvePluginTarget(
  ctx: CliContext,
  flags: { addr?: string; dataDir?: string },
): Promise<PluginTarget> {
  if (flags.addr) return { kind: 'cluster', address: flags.addr, source: '--addr' };
  const dataDir = dataDirOf(ctx, flags.dataDir);
  const live = await readLiveState(dataDir).catch(() => undefined);
  if (flags.dataDir !== undefined) {
    return live
      ? { kind: 'cluster', address: live.state.intermediary, source: `the topology in ${dataDir}` }
      : { kind: 'folder', dir: pluginInstallDir(dataDir) };
  }
  if (ctx.envAddr) return { kind: 'cluster', address: ctx.envAddr, source: 'PUSHDOWN_ADDR' };
  if (live)
    return { kind: 'cluster', address: live.state.intermediary, source: `the topology in ${dataDir}` };
  return { kind: 'none', dir: pluginInstallDir(dataDir) };
}

/**
 * A plugin source folder (assembly/ + manifest.json) stands for its build output: `plugins add
 * my_fn` after `plugins build my_fn` sends my_fn/build.
 */
export function builtPluginPath(path: string): string {
  if (!existsSync(join(path, 'assembly'))) return path;
  const built = join(path, 'build');
  if (!existsSync(join(built, 'manifest.json'))) {
    throw new NotFoundError(`${path} is a plugin source folder that has not been built`, {
      hint: `run \`pushdown plugins build ${path}\` first`,
    });
  }
  return built;
}

export async function clusterAdd(
  ctx: CliContext,
  address: string,
  path: string,
  options: { replace: boolean; nodeIds: string[]; deadlineMs?: number },
): Promise<void> {
  const r = await installPluginOnCluster(address, path, {
    replace: options.replace,
    nodeIds: options.nodeIds,
    signal: ctx.signal,
    ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}),
  });
  const p = r.plugin!;
  const verb = (s: string) => (s === 'unchanged' ? 'already installed' : s);
  println(
    ctx.stdout,
    `${verb(r.status)}: ${p.name} ${p.version} (sha256 ${p.sha256.slice(0, 12)}…) on the intermediary ${address}`,
  );
  for (const n of r.nodes) {
    println(ctx.stdout, `  ${n.nodeId}: ${n.status === 'failed' ? `FAILED: ${n.error}` : verb(n.status)}`);
  }
  const failed = r.nodes.filter((n) => n.status === 'failed');
  if (failed.length > 0) {
    throw new ExecutionError(
      `plugin ${p.name} is not installed on ${failed.map((n) => n.nodeId).join(', ')}; ` +
        'fragments that call it run on the intermediary there',
      { hint: 'fix what the node said, then run the same `pushdown plugins add` again' },
    );
  }
  println(ctx.stdout, `SQL can call ${p.name}'s functions now: pushdown plugins info ${p.name}`);
}

export async function clusterList(ctx: CliContext, address: string): Promise<void> {
  const plugins = await listPluginsOnCluster(address, { signal: ctx.signal });
  const rows = plugins.map((p) => [
    p.name,
    p.version,
    p.kind,
    p.sha256.slice(0, 12),
    p.origin || '-',
    p.nodeIds.join(', ') || '-',
  ]);
  const cols = ['name', 'version', 'kind', 'sha256', 'intermediary', 'base nodes'];
  println(ctx.stdout, `plugins of the topology at ${address}:`);
  println(
    ctx.stdout,
    formatBoxTable(
      cols.map((name) => ({ name, align: 'left' as const })),
      rows,
      { maxRows: 1000 },
    ),
  );
}

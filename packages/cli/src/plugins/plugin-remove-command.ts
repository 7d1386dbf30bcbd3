/**
 * `pushdown plugins remove NAME`: where it acts follows the same rule as `add`
 * (resolvePluginTarget): a running topology through its intermediary (every base node, or the
 * `--node` ones), else `--data-dir DIR` of no running topology as a plain folder (DIR/plugins).
 * With neither it refuses rather than guess a folder no process reads.
 *
 * On a topology the intermediary forgets the plugin first (SQL stops binding its functions),
 * then each node removes its copy; the command prints one line per node and exits non-zero when
 * a node failed (it keeps its copy, though no new query can call it) or when no place had it.
 */
import { removePlugin } from '@pushdown/plugins';
import { ExecutionError, InvalidArgumentError, NotFoundError } from '@pushdown/proto';
import { Command } from 'commander';
import { println, type CliContext } from '../commands/context.js';
import { removePluginOnCluster } from './cluster-plugins.js';
import { resolvePluginTarget } from './plugin-cluster-commands.js';

interface RemoveFlags {
  dataDir?: string;
  addr?: string;
  node?: string[];
}

export function removeCmd(ctx: CliContext): Command {
  return new Command('remove')
    .description(
      'remove an installed plugin from the running topology (intermediary, then every base node), ' +
        'or from <data-dir>/plugins/ when no topology runs there',
    )
    .argument('<name>', 'installed plugin name (shipped plugins cannot be removed)')
    .option(
      '--data-dir <dir>',
      "data directory of a running topology, or a base node's folder whose plugins/ to change (default: .pushdown)",
    )
    .option(
      '--addr <host:port>',
      'intermediary of a running topology (default: $PUSHDOWN_ADDR, the topology in .pushdown)',
    )
    .option('--node <id...>', 'only these base nodes (default: all; the intermediary always)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ pushdown plugins remove my_fn                   # intermediary + every base node\n' +
        '  $ pushdown plugins remove my_fn --node b2 --addr 127.0.0.1:50051\n' +
        '  $ pushdown plugins remove geo --data-dir .pushdown/nodes/b0   # a plain folder, nothing running',
    )
    .action(async (name: string, flags: RemoveFlags) => {
      const target = await resolvePluginTarget(ctx, flags);
      if (target.kind === 'cluster') return clusterRemove(ctx, target.address, name, flags.node ?? []);
      if (flags.node) {
        throw new InvalidArgumentError('--node needs a running topology', {
          hint: 'pass --addr HOST:PORT of its intermediary, or drop --node to change the --data-dir folder',
        });
      }
      if (target.kind === 'none') {
        throw new NotFoundError(`no running topology to remove "${name}" from`, {
          hint: 'start one, pass --addr HOST:PORT, or --data-dir DIR to remove it from DIR/plugins',
        });
      }
      const r = await removePlugin(name, target.dir);
      println(ctx.stdout, `removed: ${r.manifest.name} ${r.manifest.version} from ${r.dir}`);
    });
}

async function clusterRemove(
  ctx: CliContext,
  address: string,
  name: string,
  nodeIds: string[],
): Promise<void> {
  const r = await removePluginOnCluster(address, name, { nodeIds, signal: ctx.signal });
  const p = r.plugin;
  const what = p?.version ? `${name} ${p.version} (sha256 ${p.sha256.slice(0, 12)}…)` : name;
  println(
    ctx.stdout,
    r.status === 'removed'
      ? `removed: ${what} from the intermediary ${address}`
      : `absent: ${name} was not installed on the intermediary ${address}`,
  );
  for (const n of r.nodes) {
    const outcome =
      n.status === 'failed'
        ? `FAILED: ${n.error}`
        : n.status === 'absent'
          ? 'absent (not installed there)'
          : n.status;
    println(ctx.stdout, `  ${n.nodeId}: ${outcome}`);
  }
  const failed = r.nodes.filter((n) => n.status === 'failed');
  if (failed.length > 0) {
    throw new ExecutionError(
      `plugin ${name} is still installed on ${failed.map((n) => n.nodeId).join(', ')}; ` +
        'no new query can call it, but the node keeps the files',
      { hint: 'run the same `pushdown plugins remove` again once the node answers' },
    );
  }
  if (r.status === 'absent' && r.nodes.every((n) => n.status === 'absent')) {
    throw new NotFoundError(`plugin "${name}" is not installed anywhere in the topology at ${address}`, {
      hint: 'see `pushdown plugins list`',
    });
  }
  if (r.status === 'removed') {
    println(ctx.stdout, `SQL no longer binds ${name}'s functions; scans already running finish with it`);
  }
}

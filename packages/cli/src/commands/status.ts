/** `pushdown status`: each process of the local topology, whether it lives, and its health. */
import { Command } from 'commander';
import { checkHealth, type HealthResult } from '../client/health.js';
import { ExitCode } from '../client/errors.js';
import { formatBoxTable } from '../format/box-table.js';
import { readLiveState } from '../topology/state-file.js';
import { dataDirOf, println, type CliContext } from './context.js';
import { addDataDirOption } from './shared-options.js';

interface StatusFlags {
  dataDir?: string;
  json?: boolean;
}

export function statusCommand(ctx: CliContext): Command {
  const cmd = new Command('status')
    .description('show the processes of the local topology: pid, alive, address, gRPC health')
    .option('--json', 'print the status as JSON');
  addDataDirOption(cmd);
  cmd.addHelpText(
    'after',
    '\nExit status: 0 when every process is alive and SERVING, 1 when some are not, 3 when nothing runs.\n\nExample:\n  $ pushdown status',
  );
  cmd.action(async (flags: StatusFlags) => {
    const dataDir = dataDirOf(ctx, flags.dataDir);
    const live = await readLiveState(dataDir, (s) =>
      println(
        ctx.stderr,
        `removed stale state file (pids ${s.processes.map((p) => p.pid).join(', ')} are gone)`,
      ),
    );
    if (!live) {
      if (flags.json) println(ctx.stdout, JSON.stringify({ running: false, dataDir }));
      else println(ctx.stdout, `no topology running from ${dataDir} (start one with \`pushdown start\`)`);
      process.exitCode = ExitCode.NOT_FOUND;
      return;
    }
    const { state, alive } = live;
    const health = await Promise.all(
      state.processes.map((p): Promise<HealthResult> =>
        alive.get(p.id)
          ? checkHealth(p.grpc)
          : Promise.resolve({ status: 'UNREACHABLE', detail: 'process is gone' }),
      ),
    );
    const rows = state.processes.map((p, i) => ({
      ...p,
      alive: alive.get(p.id) ?? false,
      health: health[i]!,
    }));
    const healthy = rows.every((r) => r.alive && r.health.status === 'SERVING');
    if (!healthy) process.exitCode = ExitCode.FAILURE;
    if (flags.json) {
      println(ctx.stdout, JSON.stringify({ running: true, healthy, ...state, processes: rows }, null, 2));
      return;
    }
    const age = Math.round((Date.now() - Date.parse(state.startedAt)) / 1000);
    println(
      ctx.stdout,
      `topology from ${state.dataDir}, started ${state.startedAt} (${age} s ago)` +
        (state.detached ? ', detached' : `, launcher pid ${state.launcherPid}`),
    );
    println(ctx.stdout, `intermediary: ${state.intermediary}`);
    println(
      ctx.stdout,
      formatBoxTable(
        [
          { name: 'id', align: 'left' },
          { name: 'role', align: 'left' },
          { name: 'pid', align: 'right' },
          { name: 'alive', align: 'left' },
          { name: 'grpc', align: 'left' },
          { name: 'http', align: 'left' },
          { name: 'health', align: 'left' },
        ],
        rows.map((r) => [
          r.id,
          r.role,
          String(r.pid),
          r.alive ? 'yes' : 'no',
          r.grpc,
          r.http ?? '',
          r.health.status +
            (r.health.latencyMs !== undefined ? ` (${r.health.latencyMs.toFixed(1)} ms)` : ''),
        ]),
      ),
    );
    if (!healthy) println(ctx.stdout, `logs: ${state.dataDir}/logs/`);
  });
  return cmd;
}

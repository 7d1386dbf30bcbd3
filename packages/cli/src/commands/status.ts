/**
 * `pushdown status`: each process of the local topology: whether it lives, its health, its CPU
 * quota (requested, and what calibration measured at start), its load over the last second from
 * its cgroup, and whether the quota is throttling it.
 */
import { Command } from 'commander';
import { sampleCgroupLoad, type CgroupLoad } from '../cgroups/cgroup-load.js';
import { checkHealth, type HealthResult } from '../client/health.js';
import { ExitCode } from '../client/errors.js';
import { formatBoxTable } from '../format/box-table.js';
import { formatBytes } from '../format/units.js';
import { readLiveState, type NodeLimits, type TopologyState } from '../topology/state-file.js';
import { dataDirOf, println, type CliContext } from './context.js';
import { addDataDirOption } from './shared-options.js';

interface StatusFlags {
  dataDir?: string;
  json?: boolean;
  window: string;
}

export function statusCommand(ctx: CliContext): Command {
  const cmd = new Command('status')
    .description('show the processes of the local topology: pid, alive, address, gRPC health')
    .option('--json', 'print the status as JSON')
    .option('--window <ms>', 'measure load over this many milliseconds', '1000');
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
    const windowMs = Math.min(10_000, Math.max(100, Number(flags.window) || 1000));
    const [health, load] = await Promise.all([
      Promise.all(
        state.processes.map((p): Promise<HealthResult> =>
          alive.get(p.id)
            ? checkHealth(p.grpc)
            : Promise.resolve({ status: 'UNREACHABLE', detail: 'process is gone' }),
        ),
      ),
      sampleCgroupLoad(
        state.processes.map((p) => (alive.get(p.id) ? p.cgroup : undefined)),
        windowMs,
      ),
    ]);
    const rows = state.processes.map((p, i) => ({
      ...p,
      alive: alive.get(p.id) ?? false,
      health: health[i]!,
      load: load[i],
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
    println(ctx.stdout, throttlingLine(state.throttling));
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
          { name: 'cpus req', align: 'right' },
          { name: 'cpus eff', align: 'right' },
          { name: 'memory', align: 'right' },
          { name: 'load', align: 'right' },
          { name: 'throttled', align: 'left' },
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
          ...limitCells(r.limits, r.load),
        ]),
      ),
    );
    if (!healthy) println(ctx.stdout, `logs: ${state.dataDir}/logs/`);
  });
  return cmd;
}

function throttlingLine(t: TopologyState['throttling']): string {
  if (!t) return 'throttling: unknown (state file of an older version)';
  if (t.active) return `throttling: on (cgroup v${t.version}); quotas and memory limits are enforced`;
  return `throttling: OFF, nodes run unthrottled${t.reason ? ` (${t.reason.replace(/^warning: /, '')})` : ''}`;
}

/** cpus requested, cpus measured at start, memory limit, load now, throttled now. */
function limitCells(limits: NodeLimits | undefined, load: CgroupLoad | undefined): string[] {
  const cpus = load?.quotaCpus ?? limits?.cpus ?? 0;
  const eff = limits?.cpuFractionEffective;
  const mem = limits?.memory ?? 0;
  return [
    cpus > 0 ? cpus.toFixed(2) : 'max',
    eff !== undefined ? eff.toFixed(2) : '',
    mem > 0 ? formatBytes(mem) : 'max',
    load?.cpuCores !== undefined ? `${(load.cpuCores * 100).toFixed(0)}%` : '',
    load ? (load.throttledPeriods > 0 ? `yes (${load.throttledPeriods} periods)` : 'no') : 'n/a',
  ];
}

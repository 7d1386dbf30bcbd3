/**
 * `pushdown stop`: stops the topology recorded in the state file, removes the nodes' cgroups and
 * the state file.
 */
import { Command } from 'commander';
import { removeNodeCgroup } from '../cgroups/node-cgroup.js';
import { DEFAULT_STOP_TIMEOUT_MS, stopProcesses } from '../topology/launcher.js';
import { isAlive, readState, removeState } from '../topology/state-file.js';
import { dataDirOf, println, type CliContext } from './context.js';
import { addDataDirOption, positiveInt } from './shared-options.js';

interface StopFlags {
  dataDir?: string;
  timeout: number;
}

export function stopCommand(ctx: CliContext): Command {
  const cmd = new Command('stop')
    .description('stop the local topology started by `pushdown start` (SIGTERM, then SIGKILL)')
    .option(
      '--timeout <ms>',
      'wait this long after SIGTERM before SIGKILL',
      positiveInt('--timeout'),
      DEFAULT_STOP_TIMEOUT_MS,
    );
  addDataDirOption(cmd);
  cmd.addHelpText('after', '\nExamples:\n  $ pushdown stop\n  $ pushdown stop --data-dir /tmp/lab');
  cmd.action(async (flags: StopFlags) => {
    const dataDir = dataDirOf(ctx, flags.dataDir);
    const state = await readState(dataDir);
    if (!state) {
      println(ctx.stdout, `nothing to stop: no state file in ${dataDir}`);
      return;
    }
    // A foreground launcher stops its own children and removes the state file; tell it first.
    if (!state.detached && state.launcherPid !== process.pid && isAlive(state.launcherPid)) {
      try {
        process.kill(state.launcherPid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    const results = await stopProcesses(state.processes, flags.timeout);
    for (const r of results)
      println(ctx.stdout, `${r.id.padEnd(14)} pid ${String(r.pid).padEnd(8)} ${r.outcome}`);
    for (const p of state.processes) {
      if (!p.cgroup) continue;
      const left = await removeNodeCgroup(p.cgroup);
      if (left.length > 0) println(ctx.stderr, `warning: could not remove cgroup ${left.join(', ')}`);
    }
    await removeState(dataDir);
    const left = results.filter((r) => r.outcome === 'still running');
    if (left.length > 0) {
      process.exitCode = 1;
      println(ctx.stderr, `error: ${left.map((r) => `${r.id} (pid ${r.pid})`).join(', ')} did not stop`);
    }
  });
  return cmd;
}

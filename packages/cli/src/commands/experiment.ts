/** `pushdown experiment SPEC`: runs a CPU-throttled latency experiment (../experiment). */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { expandSweep, describePoint } from '../experiment/sweep.js';
import { loadSpec, resolveTopology, specDirOf } from '../experiment/spec-load.js';
import { runExperiment } from '../experiment/runner.js';
import { println, type CliContext } from './context.js';

interface ExperimentFlags {
  out?: string;
  workDir?: string;
  quickCheck?: boolean;
  dryRun?: boolean;
}

export function experimentCommand(ctx: CliContext): Command {
  const cmd = new Command('experiment')
    .description(
      'run an experiment spec: sweep CPU quota, placement, format, selectivity and load; write results, plots and a report',
    )
    .argument('<spec>', 'experiment spec (YAML), e.g. experiments/quick.yaml')
    .option('-o, --out <dir>', 'output folder (default: results/<name>-<timestamp>)')
    .option(
      '--work-dir <dir>',
      'where the topology runs and generated data is cached (default: .pushdown/experiments)',
    )
    .option('--quick-check', 'run every sweep point for 1 s only, to check the spec end to end')
    .option('--dry-run', 'validate the spec and print the sweep points, without running anything');
  cmd.addHelpText(
    'after',
    `
Examples:
  $ pushdown experiment experiments/quick.yaml            # ~4 min on 2 cores; open results/quick-*/report.html
  $ pushdown experiment experiments/full.yaml --quick-check
  $ pushdown experiment my.yaml --dry-run`,
  );
  cmd.action(async (specFile: string, flags: ExperimentFlags) => {
    if (flags.dryRun) {
      const loaded = await loadSpec(resolve(ctx.cwd, specFile));
      await resolveTopology(loaded.spec, specDirOf(loaded));
      const points = expandSweep(loaded.spec);
      for (const p of points) println(ctx.stdout, `${p.index + 1}\t${describePoint(p)}`);
      const run = loaded.spec.run;
      println(
        ctx.stderr,
        `${loaded.spec.name}: valid; ${points.length} sweep points, ≈ ${Math.round((points.length * run.repetitions * (run.warmup + run.duration)) / 60)} min of load`,
      );
      return;
    }
    const result = await runExperiment({
      specFile,
      cwd: ctx.cwd,
      stderr: ctx.stderr,
      signal: ctx.signal,
      commandLine: ['pushdown', 'experiment', specFile, ...experimentArgs(flags)],
      ...(flags.out !== undefined ? { outDir: flags.out } : {}),
      ...(flags.workDir !== undefined ? { workDir: flags.workDir } : {}),
      ...(flags.quickCheck ? { quickCheck: true } : {}),
    });
    println(ctx.stdout, `${result.outDir}/report.html`);
  });
  return cmd;
}

function experimentArgs(flags: ExperimentFlags): string[] {
  return [
    ...(flags.out !== undefined ? ['--out', flags.out] : []),
    ...(flags.workDir !== undefined ? ['--work-dir', flags.workDir] : []),
    ...(flags.quickCheck ? ['--quick-check'] : []),
  ];
}

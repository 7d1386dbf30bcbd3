/** `pushdown compose --topology FILE`: the topology as a Docker Compose file. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { Command } from 'commander';
import { composeHeader, composeToYaml } from '../compose/compose-yaml.js';
import { topologyToCompose } from '../compose/topology-to-compose.js';
import { loadTopology } from '../topology/topology.js';
import { println, type CliContext } from './context.js';

interface ComposeFlags {
  topology: string;
  output?: string;
  projectName?: string;
}

/** The repository root (the Docker build context): packages/cli/{src,dist}/commands → ../../../.. */
const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');

export function composeCommand(ctx: CliContext): Command {
  const cmd = new Command('compose')
    .description('translate a topology file into a Docker Compose file (stdout, or --output)')
    .requiredOption('--topology <file>', 'topology file (YAML or JSON)')
    .option('-o, --output <file>', 'write the Compose file here instead of stdout')
    .option('--project-name <name>', 'Compose project name', 'pushdown-lab');
  cmd.addHelpText(
    'after',
    `
Base nodes get the topology's CPU quota and memory limit as cpus: and mem_limit:, which Docker
enforces through each container's cgroup; links are emulated by the base nodes themselves.

Examples:
  $ pushdown compose --topology docker/topology.yaml --output docker-compose.yml
  $ pushdown compose --topology topologies/edge.yaml -o edge-compose.yml && docker compose -f edge-compose.yml up`,
  );
  cmd.action(async (flags: ComposeFlags) => {
    const topologyFile = resolve(ctx.cwd, flags.topology);
    const topology = await loadTopology(topologyFile);
    const output = flags.output === undefined ? undefined : resolve(ctx.cwd, flags.output);
    const outputDir = output ? dirname(output) : ctx.cwd;
    const compose = topologyToCompose(topology, {
      buildContext: portable(relative(outputDir, REPO_ROOT)) || '.',
      outputDir,
      ...(flags.projectName ? { projectName: flags.projectName } : {}),
    });
    // Paths in the header are relative to the repository root, where README tells users to run it.
    const yaml = composeToYaml(
      compose,
      composeHeader(
        portable(relative(REPO_ROOT, topologyFile)),
        output ? portable(relative(REPO_ROOT, output)) : 'FILE',
      ),
    );
    if (!output) return void ctx.stdout.write(yaml);
    await mkdir(outputDir, { recursive: true });
    await writeFile(output, yaml);
    println(ctx.stderr, `wrote ${output} (${Object.keys(compose.services).length} services)`);
  });
  return cmd;
}

function portable(path: string): string {
  return path.split(sep).join('/');
}

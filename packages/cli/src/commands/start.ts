/**
 * `pushdown start`: brings up base nodes and an intermediary as local processes, each in its own
 * cgroup with the topology's CPU quota and memory limit where cgroups are writable, and loads the
 * topology's `tables:`. Foreground by default (Ctrl-C stops everything); `--detach` leaves them
 * running for `pushdown stop`.
 * `--demo` also generates TPC-H lineitem, loads it and runs Q1 and Q6 under both placements.
 */
import { Command } from 'commander';
import { PushdownClient } from '../client/pushdown-client.js';
import { demoDataDir, ensureDemoData, loadDemoData, waitForCatalog } from '../demo/demo-data.js';
import { runDemo } from '../demo/run-demo.js';
import {
  DEFAULT_CALIBRATE_MS,
  DEFAULT_READY_TIMEOUT_MS,
  launchTopology,
  type LaunchedTopology,
} from '../topology/launcher.js';
import { loadTables } from '../topology/table-loader.js';
import { DEFAULT_TOPOLOGY, loadTopology, type Topology } from '../topology/topology.js';
import { dataDirOf, println, type CliContext } from './context.js';
import { InvalidArgumentError as CommanderArgumentError } from 'commander';
import { addDataDirOption, portNumber, positiveInt } from './shared-options.js';

interface StartFlags {
  topology?: string;
  detach?: boolean;
  dataDir?: string;
  demo?: boolean;
  port?: number;
  readyTimeout: number;
  sf: string;
  parts: number;
  cgroups: boolean;
  cgroupRoot?: string;
  calibrateMs: number;
}

export function startCommand(ctx: CliContext): Command {
  const cmd = new Command('start')
    .description('bring up a local topology (base nodes + intermediary) as child processes')
    .option(
      '--topology <file>',
      'topology file, YAML or JSON (see topologies/edge.yaml); default: topologies/default.yaml',
    )
    .option('--no-cgroups', 'run every process unthrottled: do not create cgroups')
    .option('--cgroup-root <dir>', 'where cgroup hierarchies are mounted', '/sys/fs/cgroup')
    .option(
      '--calibrate-ms <ms>',
      'base nodes spin this long at start to measure the CPU fraction they get (0 = skip)',
      nonNegativeInt('--calibrate-ms'),
      DEFAULT_CALIBRATE_MS,
    )
    .option('--detach', 'leave the processes running and return (stop them with `pushdown stop`)')
    .option(
      '--demo',
      'also generate TPC-H lineitem, load it, and compare Q1/Q6 under pushdown and no-pushdown',
    )
    .option(
      '--port <port>',
      'intermediary port (overrides the topology; 0 picks a free one)',
      portNumber('--port'),
    )
    .option(
      '--ready-timeout <ms>',
      'how long each process may take to start',
      positiveInt('--ready-timeout'),
      DEFAULT_READY_TIMEOUT_MS,
    )
    .option('--sf <n>', 'demo: TPC-H scale factor', '0.1')
    .option('--parts <n>', 'demo: part files per format', positiveInt('--parts'), 4);
  addDataDirOption(cmd);
  cmd.addHelpText(
    'after',
    `
Processes write their logs to <data-dir>/logs/<id>.log and keep objects in <data-dir>/nodes/<id>;
<data-dir>/state.json records pids and addresses for stop, status and the client commands.

Examples:
  $ pushdown start                        # 2 base nodes + intermediary on 127.0.0.1:50051, Ctrl-C stops
  $ pushdown start --detach --data-dir /tmp/lab --port 0
  $ pushdown start --topology topologies/edge.yaml   # 2 nodes at 0.25 core, 20 ms / 100 Mbit link
  $ pushdown start --demo                 # what \`npm start\` runs`,
  );
  cmd.action(async (flags: StartFlags) => runStart(ctx, flags));
  return cmd;
}

async function runStart(ctx: CliContext, flags: StartFlags): Promise<void> {
  const dataDir = dataDirOf(ctx, flags.dataDir);
  let topology: Topology = flags.topology
    ? await loadTopology(flags.topology)
    : structuredClone(DEFAULT_TOPOLOGY);
  if (flags.port !== undefined)
    topology = { ...topology, intermediary: { ...topology.intermediary, port: flags.port } };
  const err = (s: string) => println(ctx.stderr, s);

  // Generate before launching: a long generation should not hold ports and processes.
  const sf = Number(flags.sf);
  const files = flags.demo
    ? await ensureDemoData({ dataDir, sf, parts: flags.parts, stderr: ctx.stderr, signal: ctx.signal })
    : undefined;

  const launched = await launchTopology({
    dataDir,
    topology,
    detached: flags.detach ?? false,
    readyTimeoutMs: flags.readyTimeout,
    onEvent: err,
    cgroups: flags.cgroups ? 'auto' : 'off',
    calibrateMs: flags.calibrateMs,
    ...(flags.cgroupRoot ? { cgroupRoot: flags.cgroupRoot } : {}),
  });
  const address = launched.state.intermediary;
  try {
    if (topology.tables.length > 0) {
      const placed = await loadTables(topology.tables, launched.state, {
        dataDir,
        stderr: ctx.stderr,
        signal: ctx.signal,
      });
      const client = new PushdownClient(address);
      try {
        const expected = Object.fromEntries(
          topology.tables.map((t) => [
            t.name,
            new Set(placed.filter((p) => p.table === t.name).map((p) => p.file)).size,
          ]),
        );
        if (!(await waitForCatalog(client, expected)))
          err('warning: the intermediary does not list every loaded object yet');
      } finally {
        client.close();
      }
    }
    if (files) {
      const nodes = launched.state.processes.filter((p) => p.role === 'base-node');
      await loadDemoData(nodes, files, { stderr: ctx.stderr, signal: ctx.signal });
      const client = new PushdownClient(address);
      try {
        const ready = await waitForCatalog(client, {
          lineitem: files.parquet.length,
          lineitem_csv: files.csv.length,
        });
        if (!ready)
          err('warning: the intermediary does not list every loaded object yet; running the demo anyway');
        err(`running TPC-H Q1 and Q6 over ${demoDataDir(dataDir, sf)} ...`);
        const report = await runDemo(client, { out: ctx.stdout, signal: ctx.signal });
        if (!report.allAgree) {
          err('error: placements returned different answers (see the comparison above)');
          process.exitCode = 1;
        }
      } finally {
        client.close();
      }
    }
  } catch (e) {
    if (!flags.detach) await launched.stop();
    throw e;
  }

  printHowToQuery(ctx, address, dataDir, flags);
  if (flags.detach) return;
  await serveUntilStopped(ctx, launched);
}

function printHowToQuery(ctx: CliContext, address: string, dataDir: string, flags: StartFlags): void {
  const dirFlag = flags.dataDir ? ` --data-dir ${flags.dataDir}` : '';
  const lines = [
    '',
    `intermediary listening on ${address}`,
    'query it from another terminal:',
    `  pushdown query "SELECT l_returnflag, count(*) AS n FROM lineitem GROUP BY l_returnflag"${dirFlag}`,
    `  pushdown ls${dirFlag}   pushdown status${dirFlag}`,
    `  grpcurl -plaintext -d '{"sql":"SELECT count(*) AS n FROM lineitem","format":"RESULT_FORMAT_JSON"}' ${address} pushdown.v1.Intermediary/Query`,
    `logs: ${dataDir}/logs/`,
    flags.detach ? 'stop it with: pushdown stop' + dirFlag : 'press Ctrl-C to stop',
  ];
  println(ctx.stdout, lines.join('\n'));
}

async function serveUntilStopped(ctx: CliContext, launched: LaunchedTopology): Promise<void> {
  const outcome = await Promise.race([
    ctx.waitForShutdown().then((signal) => ({ kind: 'signal' as const, signal })),
    launched.firstExit.then((exit) => ({ kind: 'exit' as const, exit })),
  ]);
  if (outcome.kind === 'exit') {
    const { record, code, signal } = outcome.exit;
    println(
      ctx.stderr,
      `error: ${record.id} (pid ${record.pid}) exited with ${signal ? `signal ${signal}` : `code ${code}`}; see ${record.log}`,
    );
    process.exitCode = 1;
  } else {
    println(ctx.stderr, `\n${outcome.signal}: stopping ...`);
  }
  await launched.stop();
  println(ctx.stderr, 'stopped');
}

function nonNegativeInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new CommanderArgumentError(`${flag} expects an integer >= 0.`);
    return n;
  };
}

/**
 * A real local topology for end-to-end tests: base nodes and an intermediary as separate
 * processes (the built `dist/main.js` of each package, through the CLI's launcher), on free
 * ports, with data put through the real BaseNode.PutObject path.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  BaseNodeAdmin,
  PushdownClient,
  defaultServerScripts,
  launchTopology,
  waitForCatalog,
  type LaunchedTopology,
} from '@pushdown/cli';

export interface Cluster {
  dir: string;
  topology: LaunchedTopology;
  client: PushdownClient;
  /** gRPC address of each base node, by id. */
  nodes: Record<string, string>;
  /** Puts files round-robin over the base nodes as objects of `table`, and waits for the catalog. */
  load(table: string, files: readonly string[]): Promise<void>;
  /** Puts files on one base node only. */
  loadOn(nodeId: string, table: string, files: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

/** Whether every server entry point is built (tests that need processes skip otherwise). */
export function serversBuilt(): boolean {
  const scripts = defaultServerScripts();
  return existsSync(scripts.baseNode) && existsSync(scripts.intermediary);
}

export interface ClusterOptions {
  /** Base nodes b1..bN (default 2). */
  baseNodes?: number;
  /**
   * Runs on the data folder before any process starts, e.g. to put plugins where the processes
   * load them: `<dir>/nodes/<id>/plugins` and `<dir>/intermediary/plugins`.
   */
  beforeLaunch?: (dir: string) => void | Promise<void>;
}

export async function startCluster(options: number | ClusterOptions = 2): Promise<Cluster> {
  const { baseNodes = 2, beforeLaunch } = typeof options === 'number' ? { baseNodes: options } : options;
  const dir = await mkdtemp(join(tmpdir(), 'pushdown-e2e-'));
  await beforeLaunch?.(dir);
  const topology = await launchTopology({
    dataDir: dir,
    topology: {
      host: '127.0.0.1',
      baseNodes: Array.from({ length: baseNodes }, (_, i) => ({ id: `b${i + 1}`, grpcPort: 0, httpPort: 0 })),
      intermediary: { port: 0 },
    },
  });
  const nodes: Record<string, string> = {};
  for (const p of topology.state.processes) if (p.role === 'base-node') nodes[p.id] = p.grpc;
  const client = new PushdownClient(topology.state.intermediary);
  const ids = Object.keys(nodes);
  let next = 0;
  async function putAll(table: string, files: readonly string[], pick: () => string): Promise<void> {
    for (const file of files) {
      const admin = new BaseNodeAdmin(nodes[pick()]!);
      try {
        await admin.putObject(file, { table, name: basename(file) });
      } finally {
        admin.close();
      }
    }
    if (!(await waitForCatalog(client, { [table]: files.length }, 20_000))) {
      throw new Error(`the intermediary's catalog did not list ${files.length} objects of ${table}`);
    }
  }
  return {
    dir,
    topology,
    client,
    nodes,
    load: (table, files) => putAll(table, files, () => ids[next++ % ids.length]!),
    loadOn: (nodeId, table, files) => putAll(table, files, () => nodeId),
    async stop() {
      client.close();
      await topology.stop();
      if (!process.env.PUSHDOWN_KEEP_TEST_DIRS) await rm(dir, { recursive: true, force: true });
    },
  };
}

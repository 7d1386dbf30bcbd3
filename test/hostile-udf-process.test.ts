/**
 * Hostile scalar UDFs through real processes: one base node and an intermediary, both started
 * with the hostile plugins in their plugin folders (`--plugin-dir`, which the launcher sets to
 * `<node data dir>/plugins` and `<data dir>/intermediary/plugins`). Under PUSHDOWN the base
 * node's scan pool runs the call, under NO_PUSHDOWN the intermediary's: either way the query
 * fails with the status and message naming the plugin and what it exceeded, a well-behaved
 * query sent at the same moment succeeds, and the node keeps serving. Stop times are printed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PushdownClient } from '@pushdown/cli';
import { grpcFailure } from './support/errors.js';
import { serversBuilt, startCluster, type Cluster } from './support/cluster.js';
import {
  HOSTILE_BUDGET_MS,
  installHostilePlugins,
  type HostilePlugin,
} from './support/hostile-udf-modules.js';

const describeIfBuilt = serversBuilt() ? describe : describe.skip;
const ROWS = 3000;
const word = (i: number) => ['alpha', 'beta', 'gamma', 'zeta'][i % 4]!;

const CASES: { plugin: HostilePlugin; status: string; message: RegExp }[] = [
  {
    plugin: 'spin',
    status: 'DEADLINE_EXCEEDED',
    message:
      /plugin "spin" function "spin_udf" exceeded its time budget of 100 ms; its scan worker was terminated and the query stopped/,
  },
  {
    plugin: 'memory_bomb',
    status: 'RESOURCE_EXHAUSTED',
    message:
      /plugin "memory_bomb" function "memory_bomb_udf" exhausted its memory cap of 16 pages \(limits\.memoryPages\)/,
  },
  {
    plugin: 'recurse',
    status: 'RESOURCE_EXHAUSTED',
    message: /plugin "recurse" function "recurse_udf" exhausted the stack/,
  },
  {
    plugin: 'unreachable',
    status: 'INVALID_ARGUMENT',
    message: /plugin "unreachable" function "unreachable_udf" trapped: unreachable/,
  },
  {
    plugin: 'out_of_bounds',
    status: 'INVALID_ARGUMENT',
    message: /plugin "out_of_bounds" function "out_of_bounds_udf" trapped: memory access out of bounds/,
  },
  {
    plugin: 'huge',
    status: 'RESOURCE_EXHAUSTED',
    message: /plugin "huge" function "huge_udf" output of \d+ bytes for \d+ rows is above the maxOutputBytes/,
  },
];
const PLACEMENTS = ['pushdown', 'no-pushdown'] as const;

describeIfBuilt('hostile UDFs through a real base node and intermediary', () => {
  let cluster: Cluster;
  let client: PushdownClient;
  const times: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster({
      baseNodes: 1,
      // Where the launched processes load plugins from (--plugin-dir).
      beforeLaunch: (dir) => {
        installHostilePlugins(join(dir, 'nodes', 'b1', 'plugins'));
        installHostilePlugins(join(dir, 'intermediary', 'plugins'));
      },
    });
    client = cluster.client;
    const csv = join(cluster.dir, 't.csv');
    const lines = ['a,s'];
    for (let i = 0; i < ROWS; i++) lines.push(`${i},${word(i)}`);
    writeFileSync(csv, lines.join('\n') + '\n');
    await cluster.load('t', [csv]);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    if (times.length) console.log(`hostile UDFs through processes:\n  ${times.join('\n  ')}`);
  });

  const wellBehaved = async (placement: (typeof PLACEMENTS)[number]) => {
    const { table } = await client.queryTable(
      "SELECT count(*) AS n FROM t WHERE contains(upper_ascii(s), 'ZETA')",
      {
        placement,
      },
    );
    expect(Number(table.toArray()[0]!.toJSON().n)).toBe(ROWS / 4);
  };

  for (const placement of PLACEMENTS) {
    // Cold start (the scan pool's threads, the plugin compiled) is not what the stop time measures.
    it(`serves a well-behaved UDF query first (${placement})`, () => wellBehaved(placement), 30_000);

    it.each(CASES)(`$plugin fails only its own query (${placement})`, async (c) => {
      const t0 = performance.now();
      let ms = 0;
      const hostile = grpcFailure(
        client.queryTable(`SELECT ${c.plugin}_udf(CAST(a AS INTEGER)) AS x FROM t`, { placement }),
      ).finally(() => (ms = performance.now() - t0));
      const [failure] = await Promise.all([hostile, wellBehaved(placement)]);
      times.push(
        `${c.plugin} (${placement}): ${failure.status} after ${ms.toFixed(1)} ms (budget ${HOSTILE_BUDGET_MS} ms)`,
      );
      expect(failure.status).toBe(c.status);
      expect(failure.message).toMatch(c.message);
      if (c.plugin === 'spin') expect(ms).toBeGreaterThanOrEqual(HOSTILE_BUDGET_MS);
      await wellBehaved(placement); // and the node keeps serving
    });
  }
});

/**
 * Hostile aggregate `_merge`/`_finalize` through real processes (one base node, an intermediary,
 * both with the plugins in their plugin folders). Those phases run on each node's main thread:
 * the base node merges its workers' partial states (PUSHDOWN), the intermediary merges fragment
 * states and finalizes (both placements). A runaway call there fails its query with
 * DEADLINE_EXCEEDED naming the plugin and the export, a well-behaved aggregate query sent at the
 * same moment succeeds, and the nodes keep serving. Stop times are printed, not asserted.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PushdownClient } from '@pushdown/cli';
import { serversBuilt, startCluster, type Cluster } from './support/cluster.js';
import { grpcFailure } from './support/errors.js';
import {
  installMainThreadHostiles,
  MAIN_THREAD_BUDGET_MS,
  mainThreadDeadlineMessage,
} from './support/hostile-aggregate-modules.js';

const describeIfBuilt = serversBuilt() ? describe : describe.skip;
const ROWS = 3000;
const PLACEMENTS = ['pushdown', 'no-pushdown'] as const;
const CASES = [
  {
    plugin: 'agg_merge_spin',
    status: 'DEADLINE_EXCEEDED',
    message: mainThreadDeadlineMessage('agg_merge_spin', 'merge'),
  },
  {
    plugin: 'agg_finalize_spin',
    status: 'DEADLINE_EXCEEDED',
    message: mainThreadDeadlineMessage('agg_finalize_spin', 'finalize'),
  },
  {
    plugin: 'agg_merge_trap',
    status: 'INVALID_ARGUMENT', // PluginError's status, as for scalar traps
    message: 'plugin "agg_merge_trap" function "agg_merge_trap_merge" trapped: unreachable',
  },
];

describeIfBuilt('hostile aggregate merge/finalize through a real base node and intermediary', () => {
  let cluster: Cluster;
  let client: PushdownClient;
  const times: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster({
      baseNodes: 1,
      // Where the launched processes load plugins from (--plugin-dir).
      beforeLaunch: (dir) => {
        installMainThreadHostiles(join(dir, 'nodes', 'b1', 'plugins'));
        installMainThreadHostiles(join(dir, 'intermediary', 'plugins'));
      },
    });
    client = cluster.client;
    const csv = join(cluster.dir, 't.csv');
    const lines = ['a,p', ...Array.from({ length: ROWS }, (_, i) => `${i},${i % 2}`)];
    writeFileSync(csv, lines.join('\n') + '\n');
    await cluster.load('t', [csv]);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    if (times.length) console.log(`hostile aggregates through processes:\n  ${times.join('\n  ')}`);
  });

  /** var_welford per parity of a = 0..ROWS-1: every other integer, 4 × the variance of 0..n-1. */
  const wellBehaved = async (placement: (typeof PLACEMENTS)[number]) => {
    const { table } = await client.queryTable('SELECT p, var_welford(a) AS v FROM t GROUP BY p ORDER BY p', {
      placement,
    });
    const n = ROWS / 2;
    const want = (4 * n * (n + 1)) / 12;
    const rows = table.toArray().map((r) => r.toJSON() as { p: unknown; v: number });
    expect(rows.map((r) => Number(r.p))).toEqual([0, 1]);
    for (const r of rows) expect(Math.abs(r.v - want) / want).toBeLessThan(1e-12);
  };

  for (const placement of PLACEMENTS) {
    it(`serves a well-behaved aggregate query first (${placement})`, () => wellBehaved(placement), 30_000);

    it.each(CASES)(
      `$plugin fails only its own query (${placement})`,
      async (c) => {
        const t0 = performance.now();
        let ms = 0;
        const hostile = grpcFailure(
          client.queryTable(`SELECT p, ${c.plugin}(a) AS x FROM t GROUP BY p`, { placement }),
        ).finally(() => (ms = performance.now() - t0));
        const [failure] = await Promise.all([hostile, wellBehaved(placement)]);
        times.push(
          `${c.plugin} (${placement}): ${failure.status} after ${ms.toFixed(1)} ms (budget ${MAIN_THREAD_BUDGET_MS} ms)`,
        );
        expect(failure.status).toBe(c.status);
        expect(failure.message).toContain(c.message);
        if (c.status === 'DEADLINE_EXCEEDED') expect(ms).toBeGreaterThanOrEqual(MAIN_THREAD_BUDGET_MS);
        await wellBehaved(placement); // and the nodes keep serving
      },
      30_000,
    );
  }
});

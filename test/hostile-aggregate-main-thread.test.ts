/**
 * Hostile aggregate UDFs whose `_merge` or `_finalize` never returns, in this process: those
 * phases run on the main thread (the base node's replay of worker logs, the final aggregator),
 * where no scan watchdog reaches, so they go through the blocking sandbox
 * (plugins sandbox/blocking-call.ts). The query fails with DEADLINE_EXCEEDED naming the plugin
 * and the export; a well-behaved aggregate query started at the same moment, and one after,
 * succeed. A trap in `_merge` arrives classified. Workers run the dist: `npx tsc -b` first.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  catalogFromSchemas,
  openFileBlob,
  openObject,
  planQuery,
  runFragment,
  runUpperStages,
  ScanPool,
  type Fragment,
} from '@pushdown/engine';
import { configurePluginDirs } from '@pushdown/plugins';
import { ErrorCode, type PushdownError } from '@pushdown/proto';
import {
  installMainThreadHostiles,
  MAIN_THREAD_BUDGET_MS,
  mainThreadDeadlineMessage,
} from './support/hostile-aggregate-modules.js';

const built =
  existsSync(join(import.meta.dirname, '../packages/engine/dist/parallel/scan-worker.js')) &&
  existsSync(join(import.meta.dirname, '../packages/plugins/dist/sandbox/blocking-call-worker.js'));
const describeIfBuilt = built ? describe : describe.skip;
const ROWS = 3000;

let dir: string;
let pool: ScanPool;
let csv: string;
const times: string[] = [];

/** Runs `sql` as a node would: the fragment in the pool, then merges and finalize on this thread. */
async function query(sql: string): Promise<Record<string, unknown>[]> {
  const schema = await openObject(await openFileBlob(csv), 'csv', null, {}).schema();
  const plan = planQuery(sql, catalogFromSchemas({ t: schema }));
  const fragment: Fragment = { ...plan.fragment, object: csv, format: 'csv', schema, rowGroups: null };
  // Small batches: several slices per group, so the replay on this thread calls `_merge`.
  const run = runFragment(fragment, await openFileBlob(csv), { parallelism: 2, pool, batchRows: 500 });
  const rows: Record<string, unknown>[] = [];
  for await (const b of runUpperStages(plan.upper, run.batches))
    for (const r of b.toArray()) rows.push(r.toJSON());
  return rows;
}

/** var_welford of a = 0..ROWS-1 per parity p: the sample variance of the evens (or odds). */
async function wellBehaved(): Promise<void> {
  const rows = await query('SELECT p, var_welford(a) AS v FROM t GROUP BY p ORDER BY p');
  const n = ROWS / 2;
  const want = (4 * n * (n + 1)) / 12; // every other integer: 2² times the variance of 0..n-1
  expect(rows.map((r) => Number(r.p))).toEqual([0, 1]);
  for (const r of rows) expect(Math.abs((r.v as number) - want) / want).toBeLessThan(1e-12);
}

async function failure(sql: string): Promise<{ err: PushdownError; ms: number }> {
  const t0 = performance.now();
  try {
    await query(sql);
  } catch (err) {
    return { err: err as PushdownError, ms: performance.now() - t0 };
  }
  throw new Error(`expected ${sql} to fail`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hostile-agg-main-'));
  installMainThreadHostiles(join(dir, 'plugins'));
  configurePluginDirs([join(dir, 'plugins')]);
  csv = join(dir, 't.csv');
  writeFileSync(csv, ['a,p', ...Array.from({ length: ROWS }, (_, i) => `${i},${i % 2}`)].join('\n') + '\n');
  if (built) pool = new ScanPool({ threads: 2 });
});

afterAll(async () => {
  await pool?.close();
  configurePluginDirs([]);
  rmSync(dir, { recursive: true, force: true });
  if (times.length) console.log(`main-thread hostile aggregates (in process):\n  ${times.join('\n  ')}`);
});

describeIfBuilt('hostile aggregate _merge/_finalize on the main thread', () => {
  it.each([
    { plugin: 'agg_merge_spin', phase: 'merge' as const },
    { plugin: 'agg_finalize_spin', phase: 'finalize' as const },
  ])(
    'an endless $plugin is stopped and ends only its own query',
    async ({ plugin, phase }) => {
      await wellBehaved(); // the pool's workers up, the good plugin compiled
      const hostile = failure(`SELECT ${plugin}(a) AS x FROM t`);
      const [{ err, ms }] = await Promise.all([hostile, wellBehaved()]);
      times.push(`${plugin}: ${err.code} after ${ms.toFixed(1)} ms (budget ${MAIN_THREAD_BUDGET_MS} ms)`);
      expect(err.code).toBe(ErrorCode.DEADLINE_EXCEEDED);
      expect(err.message).toBe(mainThreadDeadlineMessage(plugin, phase));
      // The caller waits out the whole budget before it gives up: a floor by construction.
      expect(ms).toBeGreaterThanOrEqual(MAIN_THREAD_BUDGET_MS);
      await wellBehaved(); // and this "node" keeps serving
    },
    30_000,
  );

  it('a trap in _merge fails its query as the classified plugin error', async () => {
    const { err } = await failure('SELECT agg_merge_trap(a) AS x FROM t');
    expect(err.code).toBe(ErrorCode.PLUGIN);
    expect(err.message).toMatch(
      /^plugin "agg_merge_trap" function "agg_merge_trap_merge" trapped: unreachable/,
    );
    await wellBehaved();
  }, 30_000);
});

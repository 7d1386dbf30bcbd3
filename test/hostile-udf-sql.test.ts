/**
 * Hostile scalar UDFs called from SQL, in this process with real scan workers (they run the
 * engine's dist: `npx tsc -b` first). Each hostile plugin ends only its own query with the
 * status code and message that name the plugin and what it exceeded; a well-behaved UDF query
 * started at the same moment on the same pool succeeds; the pool is whole again afterwards.
 * Stop times are printed, not asserted: only "not before the budget" holds by construction.
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
  type FragmentStats,
} from '@pushdown/engine';
import { configurePluginDirs, REFERENCE_UDFS } from '@pushdown/plugins';
import { ErrorCode, type PushdownError } from '@pushdown/proto';
import {
  HOSTILE_BUDGET_MS,
  HUGE_OUTPUT_BYTES,
  installHostilePlugins,
  type HostilePlugin,
} from './support/hostile-udf-modules.js';

const built = existsSync(join(import.meta.dirname, '../packages/engine/dist/parallel/scan-worker.js'));
const describeIfBuilt = built ? describe : describe.skip;

const ROWS = 3000;
const WORDS = ['alpha', 'beta', 'gamma', 'Delta', 'épsilon', 'zeta'];
const word = (i: number) => `${WORDS[i % 6]} ${WORDS[(i * 7) % 6]}`;

let dir: string;
let pool: ScanPool;
let csv: string;
const stopTimes: string[] = [];

async function query(sql: string): Promise<{ rows: Record<string, unknown>[]; stats: FragmentStats }> {
  const schema = await openObject(await openFileBlob(csv), 'csv', null, {}).schema();
  const plan = planQuery(sql, catalogFromSchemas({ t: schema }));
  const fragment: Fragment = { ...plan.fragment, object: csv, format: 'csv', schema, rowGroups: null };
  // parallelism 1: the fragment still runs in a worker, because it calls a plugin.
  const run = runFragment(fragment, await openFileBlob(csv), { parallelism: 1, pool });
  const rows: Record<string, unknown>[] = [];
  for await (const b of runUpperStages(plan.upper, run.batches))
    for (const r of b.toArray()) rows.push(r.toJSON());
  return { rows, stats: run.stats };
}

/** The well-behaved query: a utf8-returning UDF, checked against its TypeScript reference. */
async function wellBehaved(): Promise<void> {
  const { rows, stats } = await query('SELECT a, upper_ascii(s) AS u FROM t WHERE a < 500');
  expect(rows).toHaveLength(500);
  for (const r of rows) expect(r.u).toBe(word(Number(r.a)).replace(/[a-z]/g, (c) => c.toUpperCase()));
  expect(stats.workerThreads).toBe(1);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hostile-udf-sql-'));
  installHostilePlugins(join(dir, 'plugins'));
  configurePluginDirs([join(dir, 'plugins')]);
  csv = join(dir, 't.csv');
  const lines = ['a,s'];
  for (let i = 0; i < ROWS; i++) lines.push(`${i},${word(i)}`);
  writeFileSync(csv, lines.join('\n') + '\n');
  if (built) pool = new ScanPool({ threads: 2 });
});

afterAll(async () => {
  await pool?.close();
  configurePluginDirs([]);
  rmSync(dir, { recursive: true, force: true });
  if (stopTimes.length) console.log(`SQL hostile-UDF stop times (scan pool):\n  ${stopTimes.join('\n  ')}`);
});

interface Case {
  plugin: HostilePlugin;
  code: string;
  message: string | RegExp;
}

const CASES: Case[] = [
  {
    plugin: 'spin',
    code: ErrorCode.DEADLINE_EXCEEDED,
    message:
      `plugin "spin" function "spin_udf" exceeded its time budget of ${HOSTILE_BUDGET_MS} ms; its scan worker ` +
      `was terminated and the query stopped (raise limits.timeBudgetMs of "spin" or call it on smaller batches)`,
  },
  {
    plugin: 'memory_bomb',
    code: ErrorCode.RESOURCES_EXHAUSTED,
    message:
      /^plugin "memory_bomb" function "memory_bomb_udf" exhausted its memory cap of 16 pages \(limits\.memoryPages\) and trapped: unreachable/,
  },
  {
    plugin: 'recurse',
    code: ErrorCode.RESOURCES_EXHAUSTED,
    message:
      /^plugin "recurse" function "recurse_udf" exhausted the stack \(too deep a recursion\) and trapped: Maximum call stack size exceeded/,
  },
  {
    plugin: 'unreachable',
    code: ErrorCode.PLUGIN,
    message: /^plugin "unreachable" function "unreachable_udf" trapped: unreachable/,
  },
  {
    plugin: 'out_of_bounds',
    code: ErrorCode.PLUGIN,
    message: /^plugin "out_of_bounds" function "out_of_bounds_udf" trapped: memory access out of bounds/,
  },
  {
    plugin: 'huge',
    code: ErrorCode.RESOURCES_EXHAUSTED,
    message: new RegExp(
      `^plugin "huge" function "huge_udf" output of ${HUGE_OUTPUT_BYTES + 4 * (ROWS + 1) + ((ROWS + 7) >>> 3)} bytes ` +
        `for ${ROWS} rows is above the maxOutputBytes of ${64 * 1024 * 1024}`,
    ),
  },
];

describeIfBuilt('hostile scalar UDFs through SQL on the scan pool', () => {
  beforeAll(async () => {
    await wellBehaved(); // start both workers and compile the good plugin
  }, 30_000);

  it.each(CASES)('$plugin fails only its own query', async (c) => {
    const t0 = performance.now();
    let ms = 0;
    const hostile = query(`SELECT ${c.plugin}_udf(CAST(a AS INTEGER)) AS x FROM t`).then(
      () => new Error('the hostile query succeeded'),
      (e: unknown) => ((ms = performance.now() - t0), e),
    );
    const [err] = await Promise.all([hostile, wellBehaved()]);
    const past = c.plugin === 'spin' ? pool.watchdog.recentStops.at(-1) : undefined;
    stopTimes.push(
      `${c.plugin}: query failed after ${ms.toFixed(1)} ms (budget ${HOSTILE_BUDGET_MS} ms)` +
        (past
          ? `; overrun seen ${past.detectedMs.toFixed(1)} ms and worker gone ` +
            `${past.pastDeadlineMs.toFixed(1)} ms past the deadline`
          : ''),
    );
    expect((err as PushdownError).code).toBe(c.code);
    if (typeof c.message === 'string') expect((err as Error).message).toBe(c.message);
    else expect((err as Error).message).toMatch(c.message);
    // The deadline is a lower bound by construction: the watchdog never fires early.
    if (c.plugin === 'spin') expect(ms).toBeGreaterThanOrEqual(HOSTILE_BUDGET_MS);
    await wellBehaved(); // the pool still serves queries (a terminated worker is replaced)
  });

  it('replaces a terminated worker and counts the stop', async () => {
    const before = pool.watchdog.stopped;
    await expect(query('SELECT spin_udf(CAST(a AS INTEGER)) FROM t')).rejects.toMatchObject({
      code: ErrorCode.DEADLINE_EXCEEDED,
    });
    expect(pool.watchdog.stopped).toBe(before + 1);
    for (let i = 0; i < 200 && pool.liveThreads < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pool.liveThreads).toBe(2);
    await wellBehaved();
  });
});

describeIfBuilt('utf8 UDF results through SQL', () => {
  it('upper_ascii and replace_all equal their TypeScript references, in WHERE and SELECT', async () => {
    const { rows } = await query(
      "SELECT a, s, upper_ascii(s) AS u, replace_all(s, 'a', 'AAA') AS r FROM t WHERE contains(upper_ascii(s), 'ZETA')",
    );
    const want = Array.from({ length: ROWS }, (_, i) => word(i)).filter((w) =>
      w.toUpperCase().includes('ZETA'),
    );
    expect(rows.map((r) => r.s)).toEqual(want);
    const enc = new TextEncoder();
    const col = (xs: string[]) => {
      const parts = xs.map((x) => enc.encode(x));
      const offsets = new Int32Array(xs.length + 1);
      parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
      const data = new Uint8Array(offsets[xs.length]!);
      parts.forEach((p, i) => data.set(p, offsets[i]!));
      return { type: 'utf8' as const, offsets, data };
    };
    const strings = (r: { values: unknown; data?: Uint8Array }) => {
      const o = r.values as Int32Array;
      return want.map((_, i) => new TextDecoder().decode(r.data!.subarray(o[i]!, o[i + 1]!)));
    };
    const upper = REFERENCE_UDFS['text_match.upper_ascii']!([col(want)], want.length);
    const replaced = REFERENCE_UDFS['text_match.replace_all']!(
      [col(want), col(['a']), col(['AAA'])],
      want.length,
    );
    expect(rows.map((r) => r.u)).toEqual(strings(upper));
    expect(rows.map((r) => r.r)).toEqual(strings(replaced));
  });
});

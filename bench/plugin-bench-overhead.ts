/**
 * Section 1: what one plugin call costs when it does (almost) no work. A 1-row call of the cheapest
 * export (hash64_int64) through each way the system can make it: a plain TypeScript function as
 * the floor, the in-thread host (instantiateUdf), the worker sandbox (a postMessage round trip to
 * a worker thread), and a whole SQL query through the engine with the UDF against the same query
 * without it (plan, CSV scan, project, upper stages), over a 1-row in-memory CSV object.
 */
import {
  catalogFromSchemas,
  planQuery,
  runFragment,
  runUpperStages,
  type Fragment,
  type Schema,
} from '@pushdown/engine';
import {
  instantiateUdf,
  PluginSandbox,
  REFERENCE_UDFS,
  type UdfColumn,
  type VerifiedPlugin,
} from '@pushdown/plugins';
import { assertSameResult } from './plugin-bench-abi.js';
import {
  fmt,
  progress,
  timeEach,
  timeEachAsync,
  readClock,
  type ClockMode,
  type PluginBenchOptions,
  type Timing,
} from './plugin-bench-util.js';

export interface OverheadRow {
  path: string;
  usPerCall: number;
  /** Extra over the row it is compared with (the TS floor, or the plain SQL query on this thread). */
  extraUs: number | null;
  note: string;
}

const KEY = 1234567890123n;
const ARGS: UdfColumn[] = [{ type: 'int64', values: BigInt64Array.of(KEY) }];

/** The rows in each clock mode (wall: the latency of a call; cpu: the work of every thread it used). */
export async function measureOverhead(
  hash64: VerifiedPlugin,
  o: PluginBenchOptions,
): Promise<Record<ClockMode, OverheadRow[]>> {
  const ref = REFERENCE_UDFS['hash64.hash64_int64']!;
  const udf = instantiateUdf(hash64.module, hash64.manifest);
  const want = ref(ARGS, 1);
  assertSameResult('in-thread hash64_int64', udf.call('hash64_int64', ARGS, 1), want, 1);

  progress('overhead: TypeScript reference and in-thread host');
  // Three times the rounds: they are cheap here, and a 2 µs call is the most easily disturbed.
  const [ts, host] = timeEach(
    [() => ref(ARGS, 1), () => udf.call('hash64_int64', ARGS, 1)],
    o.minMs,
    o.reps * 3,
  ) as [Timing, Timing];

  progress('overhead: worker sandbox round trip');
  const sandbox = new PluginSandbox({ threads: 1 });
  let sandboxed: Timing;
  try {
    await sandbox.load(hash64);
    assertSameResult('sandbox hash64_int64', await sandbox.call('hash64', 'hash64_int64', ARGS, 1), want, 1);
    [sandboxed] = (await timeEachAsync(
      [() => sandbox.call('hash64', 'hash64_int64', ARGS, 1)],
      o.minMs,
      o.reps,
    )) as [Timing];
  } finally {
    await sandbox.close();
  }

  progress('overhead: SQL query through the engine, with and without the UDF');
  const expected = (want.values as BigInt64Array)[0]!;
  // runFragment moves any fragment that calls a plugin to a scan worker (so the watchdog can stop
  // a runaway call): the plain query forced onto the pool separates that hop from the UDF itself.
  const [withT, withoutT, hoppedT] = (await timeEachAsync(
    [
      await checkedQuery('SELECT hash64_int64(k) AS h FROM t', expected, false),
      await checkedQuery('SELECT k AS h FROM t', KEY, false),
      await checkedQuery('SELECT k AS h FROM t', KEY, true),
    ],
    o.minMs,
    o.reps,
  )) as [Timing, Timing, Timing];
  return { auto: overheadRows('auto'), wall: overheadRows('wall'), cpu: overheadRows('cpu') };

  function overheadRows(mode: ClockMode): OverheadRow[] {
    const us = (t: Timing, threaded: boolean) => readClock(t, mode, threaded) / 1000;
    const [tsUs, hostUs, sandboxUs] = [us(ts, false), us(host, false), us(sandboxed, true)];
    const [withUdf, without, hopped] = [us(withT, true), us(withoutT, true), us(hoppedT, true)];
    return [
      {
        path: 'TypeScript function (floor)',
        usPerCall: tsUs,
        extraUs: null,
        note: 'REFERENCE_UDFS, same 1 row',
      },
      {
        path: 'in-thread host',
        usPerCall: hostUs,
        extraUs: hostUs - tsUs,
        note: 'instantiateUdf().call: copy in, call, copy out',
      },
      {
        path: 'worker sandbox',
        usPerCall: sandboxUs,
        extraUs: sandboxUs - tsUs,
        note: 'PluginSandbox (1 thread): postMessage round trip',
      },
      { path: 'SQL without UDF', usPerCall: without, extraUs: null, note: 'plan + runFragment, 1-row CSV' },
      {
        path: 'SQL without UDF, on a scan worker',
        usPerCall: hopped,
        extraUs: hopped - without,
        note: 'forceWorkers: the thread hop a UDF query makes',
      },
      {
        path: 'SQL with UDF',
        usPerCall: withUdf,
        extraUs: withUdf - without,
        note: `SELECT hash64_int64(k); ${fmt(withUdf - hopped)} µs over the hop alone`,
      },
    ];
  }
}

const SCHEMA: Schema = [{ name: 'k', type: 'int64', nullable: false }];
const CATALOG = catalogFromSchemas({ t: SCHEMA });

/** A query of `sql` over a 1-row CSV object, planning included, after checking its answer once. */
async function checkedQuery(
  sql: string,
  expect: bigint,
  forceWorkers: boolean,
): Promise<() => Promise<unknown>> {
  const blob = new Blob([`k\n${KEY}\n`]);
  const query = async (): Promise<unknown> => {
    const plan = planQuery(sql, CATALOG);
    const fragment: Fragment = {
      ...plan.fragment,
      object: 't.csv',
      format: 'csv',
      schema: SCHEMA,
      rowGroups: null,
    };
    let value: unknown;
    for await (const b of runUpperStages(plan.upper, runFragment(fragment, blob, { forceWorkers }).batches))
      if (b.numRows > 0) value = b.getChildAt(0)?.get(0);
    return value;
  };
  const got = await query();
  if (got !== expect) throw new Error(`${sql}: expected ${expect}, got ${String(got)}`);
  return query;
}

/**
 * `npm run bench`: the two-tier benchmark. From one run, side by side:
 *
 * 1. Base-node scan throughput for TPC-H Q6 over lineitem (SF 1 by default) in Parquet (zstd)
 *    and in CSV, one core: the fragment a base node runs for Scan (`runFragment`: read, filter,
 *    partial aggregate in WASM), against DuckDB with `threads=1` on the same file.
 * 2. Bytes shipped between tiers for Q1 and Q6 under `pushdown` and `no-pushdown`, over a real
 *    topology (two base node processes and an intermediary).
 *
 * Every answer is checked against DuckDB before its time counts. Parameters come from the
 * environment: BENCH_SF (1), BENCH_REPS (3), BENCH_SHIP_SF (0.1), BENCH_DATA (data/bench), BENCH_ONLY
 * (`scan` or `ship` runs only that part; both by default), BENCH_FORMATS (`parquet,csv`).
 */
import { openAsBlob, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  BaseNodeAdmin,
  PushdownClient,
  Q1_SQL,
  Q6_SQL,
  createProgressBar,
  generateTable,
  launchTopology,
  overTable,
  partFileName,
  waitForCatalog,
} from '@pushdown/cli';
import {
  catalogFromSchemas,
  openFileBlob,
  openObject,
  planQuery,
  runFragment,
  runUpperStages,
} from '@pushdown/engine';
import type { Fragment, ObjectFormat, Schema } from '@pushdown/engine';
import type { RecordBatch } from 'apache-arrow';
import { nodeFlagsNote, underServerFlags } from './server-flags.js';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const SF = Number(env('BENCH_SF', '1'));
const REPS = Number(env('BENCH_REPS', '3'));
const SHIP_SF = Number(env('BENCH_SHIP_SF', '0.1'));
const DATA = resolve(env('BENCH_DATA', 'data/bench'));
const ONLY = env('BENCH_ONLY', '');
const FORMATS = env('BENCH_FORMATS', 'parquet,csv').split(',') as ObjectFormat[];

async function ensureData(sf: number, parts: number): Promise<{ parquet: string[]; csv: string[] }> {
  const dir = join(DATA, `sf${sf}-p${parts}`);
  const files = (format: 'parquet' | 'csv') =>
    Array.from({ length: parts }, (_, p) => join(dir, partFileName('lineitem', p, parts, format)));
  const out = { parquet: files('parquet'), csv: files('csv') };
  if (![...out.parquet, ...out.csv].every((f) => existsSync(f))) {
    console.error(`generating lineitem SF ${sf} (${parts} part${parts > 1 ? 's' : ''}) in ${dir}`);
    const bar = createProgressBar(process.stderr, 'gen lineitem');
    await generateTable(
      { table: 'lineitem', sf, formats: ['parquet', 'csv'], parts, outDir: dir, compression: 'zstd' },
      { onProgress: (p) => bar.update(p) },
    );
    bar.done();
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Q6 through the base-node fragment and the upper stages, in this process: one core. */
async function engineQ6(file: string, format: ObjectFormat, schema: Schema): Promise<number> {
  const plan = planQuery(Q6_SQL, catalogFromSchemas({ lineitem: schema }));
  const fragment: Fragment = { ...plan.fragment, object: file, format, schema, rowGroups: null };
  // As a base node opens its objects: a file-backed Blob whose path the readers may use.
  const run = runFragment(fragment, await openFileBlob(file));
  const batches: RecordBatch[] = [];
  for await (const b of runUpperStages(plan.upper, run.batches)) batches.push(b);
  return Number(batches[0]?.getChildAt(0)?.get(0));
}

async function duckdbQ6(conn: DuckDBConnection, from: string): Promise<number> {
  const reader = await conn.runAndReadAll(overTable(Q6_SQL, from));
  return Number(reader.getRowsJS()[0]?.[0]);
}

function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

async function scanThroughput(conn: DuckDBConnection): Promise<string[]> {
  const files = await ensureData(SF, 1);
  const rows: (string | number)[][] = [];
  const verdicts: string[] = [];
  for (const format of FORMATS) {
    const file = format === 'parquet' ? files.parquet[0]! : files.csv[0]!;
    const bytes = (await stat(file)).size;
    const reader = openObject(await openAsBlob(file), format);
    const schema = await reader.schema();
    const from = format === 'parquet' ? `read_parquet('${file}')` : `read_csv('${file}', header = true)`;
    const count = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${from}`)).getRowsJS()[0]?.[0]);

    const ours: number[] = [];
    const theirs: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      const a = await timeIt(() => engineQ6(file, format, schema));
      const b = await timeIt(() => duckdbQ6(conn, from));
      if (!sameNumber(a.value, b.value)) {
        throw new Error(`Q6 over ${format}: pushdown engine says ${a.value}, DuckDB says ${b.value}`);
      }
      ours.push(a.ms);
      theirs.push(b.ms);
      console.error(
        `  ${format} rep ${rep + 1}/${REPS}: engine ${a.ms.toFixed(0)} ms, DuckDB ${b.ms.toFixed(0)} ms`,
      );
    }
    const o = median(ours);
    const t = median(theirs);
    // Each rep runs both engines back to back, so its ratio sees the same machine load; the
    // median of those ratios is steadier than a ratio of medians on a shared machine.
    const ratio = median(ours.map((ms, i) => theirs[i]! / ms));
    rows.push([
      `Q6 ${format}`,
      (count / (o / 1000) / 1e6).toFixed(2),
      (bytes / (o / 1000) / 1e6).toFixed(1),
      o.toFixed(0),
      (count / (t / 1000) / 1e6).toFixed(2),
      t.toFixed(0),
      ratio.toFixed(2) + 'x',
    ]);
    verdicts.push(
      `Q6 ${format} scan: ${ratio.toFixed(2)}x DuckDB threads=1 (target >= 0.5x): ${ratio >= 0.5 ? 'MET' : 'MISSED'}`,
    );
  }
  console.log(
    `\nBase-node scan throughput, TPC-H Q6 over lineitem SF ${SF}, one core, median of ${REPS} (ratio: median of per-rep ratios)`,
  );
  console.log(table(['query', 'Mrows/s', 'MB/s', 'ms', 'DuckDB Mrows/s', 'DuckDB ms', 'vs DuckDB'], rows));
  return verdicts;
}

async function bytesShipped(): Promise<string[]> {
  const parts = 4;
  const files = await ensureData(SHIP_SF, parts);
  const dir = join(DATA, 'topology');
  const topo = await launchTopology({
    dataDir: dir,
    topology: {
      host: '127.0.0.1',
      baseNodes: [
        { id: 'b1', grpcPort: 0, httpPort: 0 },
        { id: 'b2', grpcPort: 0, httpPort: 0 },
      ],
      intermediary: { port: 0 },
    },
  });
  const client = new PushdownClient(topo.state.intermediary);
  const verdicts: string[] = [];
  try {
    const nodes = topo.state.processes.filter((p) => p.role === 'base-node');
    for (const [tableName, list] of [
      ['lineitem', files.parquet],
      ['lineitem_csv', files.csv],
    ] as const) {
      for (const [i, file] of list.entries()) {
        const admin = new BaseNodeAdmin(nodes[i % nodes.length]!.grpc);
        await admin.putObject(file, { table: tableName, overwrite: true }).finally(() => admin.close());
      }
    }
    if (!(await waitForCatalog(client, { lineitem: parts, lineitem_csv: parts }, 30_000))) {
      throw new Error('the catalog did not list the loaded objects');
    }
    const rows: (string | number)[][] = [];
    for (const [qname, sql] of [
      ['Q1', Q1_SQL],
      ['Q6', Q6_SQL],
    ] as const) {
      for (const tableName of ['lineitem', 'lineitem_csv']) {
        const shipped: Record<string, number> = {};
        const latency: Record<string, number> = {};
        let objects = 0;
        for (const placement of ['pushdown', 'no-pushdown'] as const) {
          const t0 = performance.now();
          const { stats } = await client.queryTable(overTable(sql, tableName), { placement });
          latency[placement] = performance.now() - t0;
          shipped[placement] = Number(stats.bytesShipped);
          objects = stats.fragments.length;
        }
        const perObject = shipped['pushdown']! / objects;
        rows.push([
          `${qname} ${tableName === 'lineitem' ? 'parquet' : 'csv'}`,
          objects,
          shipped['pushdown']!,
          perObject.toFixed(0),
          shipped['no-pushdown']!,
          (shipped['no-pushdown']! / shipped['pushdown']!).toFixed(0) + 'x',
          latency['pushdown']!.toFixed(0),
          latency['no-pushdown']!.toFixed(0),
        ]);
        if (qname === 'Q6') {
          verdicts.push(
            `Q6 ${tableName}: pushdown ships ${perObject.toFixed(0)} B per object (target < 1024 B): ${perObject < 1024 ? 'MET' : 'MISSED'}`,
          );
        }
      }
    }
    console.log(
      `\nBytes shipped between tiers, lineitem SF ${SHIP_SF} in ${parts} objects over 2 base nodes`,
    );
    console.log(
      table(
        [
          'query',
          'objects',
          'pushdown B',
          'B/object',
          'no-pushdown B',
          'reduction',
          'pushdown ms',
          'no-pushdown ms',
        ],
        rows,
      ),
    );
  } finally {
    client.close();
    await topo.stop();
  }
  return verdicts;
}

async function main(): Promise<void> {
  if (!underServerFlags()) return;
  console.log(`scan bench: ${nodeFlagsNote()}`);
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run('SET threads = 1');
  const verdicts = [
    ...(ONLY === 'ship' ? [] : await scanThroughput(conn)),
    ...(ONLY === 'scan' ? [] : await bytesShipped()),
  ];
  conn.closeSync();
  console.log('\nTargets');
  for (const v of verdicts) console.log(`  ${v}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * Parallel scans against the serial path, in this process with real worker threads (which run
 * the engine's dist: build first). Every fragment must give the same rows, bit for bit, with
 * 1 and 2 workers; CSV units must hold with quoted newlines, escaped quotes, CRLF, records
 * longer than a unit, files shorter than a unit and empty files; a worker that dies fails only
 * its query and is replaced.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTable, Q1_SQL, Q6_SQL } from '@pushdown/cli';
import {
  catalogFromSchemas,
  openFileBlob,
  openObject,
  planQuery,
  runFragment,
  runUpperStages,
  ScanPool,
  type Fragment,
  type ObjectFormat,
  type OpenObjectOptions,
} from '@pushdown/engine';
import { ExecutionError } from '@pushdown/proto';

const built = existsSync(join(import.meta.dirname, '../packages/engine/dist/parallel/scan-worker.js'));
const describeIfBuilt = built ? describe : describe.skip;
if (!built) console.warn('parallel-scan suite skipped: run `npx tsc -b` first');

const QUERIES: Record<string, string> = {
  q1: Q1_SQL,
  q6: Q6_SQL,
  'filter+project': 'SELECT l_orderkey, l_comment, l_extendedprice * 2 AS x FROM t WHERE l_quantity < 3',
  limit: 'SELECT l_orderkey, l_partkey FROM t WHERE l_discount > 0.05 LIMIT 700',
  'group-by':
    'SELECT l_suppkey, sum(l_extendedprice), avg(l_discount), min(l_shipmode), count(*) FROM t GROUP BY l_suppkey',
};

async function answer(
  sql: string,
  file: string,
  format: ObjectFormat,
  parallelism: number,
  pool: ScanPool,
  reader: OpenObjectOptions = {},
) {
  const schema = await openObject(await openFileBlob(file), format, null, reader).schema();
  const plan = planQuery(sql.replaceAll('lineitem', 't'), catalogFromSchemas({ t: schema }));
  const fragment: Fragment = { ...plan.fragment, object: file, format, schema, rowGroups: null };
  const run = runFragment(fragment, await openFileBlob(file), { parallelism, pool, reader });
  const rows: string[] = [];
  for await (const b of runUpperStages(plan.upper, run.batches))
    for (const r of b.toArray())
      rows.push(JSON.stringify(r.toJSON(), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));
  return { rows, stats: run.stats };
}

describeIfBuilt('parallel scans give the serial answer', () => {
  let dir: string;
  let pool: ScanPool;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parallel-scan-'));
    pool = new ScanPool({ threads: 2 });
    const gen = await generateTable({
      table: 'lineitem',
      sf: 0.01,
      formats: ['parquet', 'csv'],
      parts: 1,
      outDir: dir,
      rowGroupSize: 8192,
    });
    for (const f of gen.files) files[f.format] = f.path;
  }, 60_000);

  afterAll(async () => {
    await pool?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cases = Object.keys(QUERIES).flatMap((q) =>
    (['parquet', 'csv'] as const).map((f) => [q, f] as const),
  );
  it.each(cases)(
    '%s over %s',
    async (q, format) => {
      // Small CSV units so the 7 MB file splits into many.
      const reader = format === 'csv' ? { csv: { unitBytes: 256 * 1024 } } : {};
      const serial = await answer(QUERIES[q]!, files[format]!, format, 1, pool, reader);
      const parallel = await answer(QUERIES[q]!, files[format]!, format, 2, pool, reader);
      expect(serial.stats.parallelism).toBe(1);
      expect(parallel.stats.parallelism).toBe(2);
      expect(parallel.stats.workerThreads).toBeGreaterThanOrEqual(1);
      expect(parallel.rows.length).toBeGreaterThan(0);
      expect(parallel.rows).toEqual(serial.rows);
      if (q !== 'limit') {
        expect(parallel.stats.rowsScanned).toBe(serial.stats.rowsScanned);
        expect(parallel.stats.bytesScanned).toBe(serial.stats.bytesScanned);
        expect(parallel.stats.rowGroupsScanned).toBe(serial.stats.rowGroupsScanned);
      }
    },
    60_000,
  );

  const CSV_FILES: Record<string, string> = {
    'quoted newlines': `a,b,c\n${Array.from({ length: 300 }, (_, i) => `${i},"line\n${i}\nend",${i * 0.1}`).join('\n')}\n`,
    'escaped quotes': `a,b,c\n${Array.from({ length: 300 }, (_, i) => `${i},"say ""${i}""\n""ok""",${i / 7}`).join('\n')}\n`,
    crlf: `a,b,c\r\n${Array.from({ length: 300 }, (_, i) => `${i},"x\r\n${i}",${i / 3}`).join('\r\n')}\r\n`,
    'a record longer than a unit': `a,b,c\n1,x,1.5\n2,"${'long '.repeat(2000)}\n${'more '.repeat(500)}",2.5\n3,y,3.5\n${Array.from({ length: 200 }, (_, i) => `${i},z,${i}`).join('\n')}\n`,
    // Longer than the 64 KiB a CSV task first reads past its grid point.
    'a record longer than the read-ahead': `a,b,c\n1,x,1.5\n2,"${'long\n'.repeat(30_000)}",2.5\n${Array.from({ length: 2000 }, (_, i) => `${i},z,${i}`).join('\n')}\n`,
    'a file shorter than a unit': 'a,b,c\n1,x,0.5\n2,y,1.5\n',
    'an empty file': 'a,b,c\n',
  };
  it.each(Object.keys(CSV_FILES))(
    'CSV with %s: same rows and sums serial and parallel',
    async (name) => {
      const path = join(dir, `${name.replaceAll(' ', '-')}.csv`);
      writeFileSync(path, CSV_FILES[name]!);
      const reader = { csv: { unitBytes: 512 } };
      // An empty file infers every column as text: no SUM there.
      const sum = name === 'an empty file' ? 'count(c)' : 'sum(c)';
      for (const sql of ['SELECT a, b, c FROM t', `SELECT count(*), ${sum}, min(b), max(a) FROM t`]) {
        const serial = await answer(sql, path, 'csv', 1, pool, reader);
        const parallel = await answer(sql, path, 'csv', 2, pool, reader);
        expect(parallel.rows).toEqual(serial.rows);
        // Files of several units ran on the workers, not by falling back to the serial path.
        if (CSV_FILES[name]!.length > 1024) expect(parallel.stats.parallelism).toBe(2);
      }
      const all = await answer('SELECT a, b FROM t', path, 'csv', 2, pool, reader);
      expect(all.rows.length).toBe(CSV_FILES[name]!.split(/\r?\n(?=\d+,)/).length - 1);
    },
    30_000,
  );

  test('a worker that dies mid-scan fails only that query, and the pool replaces it', async () => {
    const file = files['parquet']!;
    const schema = await openObject(await openFileBlob(file), 'parquet').schema();
    const plan = planQuery(Q6_SQL.replaceAll('lineitem', 't'), catalogFromSchemas({ t: schema }));
    const fragment: Fragment = { ...plan.fragment, object: file, format: 'parquet', schema, rowGroups: null };
    const doomed = runFragment(fragment, await openFileBlob(file), {
      parallelism: 2,
      pool,
      crashUnitForTest: 1,
    });
    const other = answer(Q6_SQL, file, 'parquet', 2, pool);
    const drain = async () => {
      for await (const _ of doomed.batches);
    };
    await expect(drain()).rejects.toThrow(ExecutionError);
    await expect(drain()).resolves.toBeUndefined(); // the generator is closed, not stuck
    const serial = await answer(Q6_SQL, file, 'parquet', 1, pool);
    expect((await other).rows).toEqual(serial.rows);
    const after = await answer(Q6_SQL, file, 'parquet', 2, pool);
    expect(after.rows).toEqual(serial.rows);
    expect(after.stats.workerThreads).toBeGreaterThanOrEqual(1);
  }, 60_000);
});

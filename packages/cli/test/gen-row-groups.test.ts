/**
 * Row groups of one Parquet file encoded in parallel workers and stitched (parquet-stitch.ts):
 * the file is the same bytes for any thread count and the same bytes the streaming writer
 * makes; DuckDB and our own reader read it; row-group statistics are present and right; worker
 * recycling changes nothing; a failing worker leaves no file behind.
 * Workers load the built JavaScript: run `npx tsc -b` first.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { bin, col, lit, newScanCounters, openFileBlob, openObject } from '@pushdown/engine';
import { ColumnBatch } from '../src/gen/column-batch.js';
import { resolveGenOptions } from '../src/gen/options.js';
import { ParquetSink } from '../src/gen/parquet-sink.js';
import { partRange } from '../src/gen/part-plan.js';
import { provenance } from '../src/gen/row-group-encoder.js';
import { genWorkerFile } from '../src/gen/row-group-pool.js';
import { getTable } from '../src/gen/table-registry.js';
import { bytesOf, duck, genLineitem, makeTempDir, removeDir, SF, source } from './gen-helpers.js';

// Small groups so SF 0.01 (59,709 rows) has 15 of them, most cut inside an order.
const GROUP = 4096;
const ROWS = 59_709;
const NAME = 'lineitem-00000-of-00001';
let dir: string;
let serial: string;

beforeAll(async () => {
  dir = await makeTempDir('groups');
  serial = join(dir, 'serial.parquet');
  await writeStreamed(serial);
  for (const threads of [1, 2, 3])
    await genLineitem(join(dir, `t${threads}`), { rowGroupSize: GROUP, threads });
}, 60_000);
afterAll(() => removeDir(dir));

/** The reference: the whole part streamed through parquet-wasm's writer in 64Ki-row batches. */
async function writeStreamed(path: string): Promise<void> {
  const table = getTable('lineitem');
  const options = resolveGenOptions({ table: 'lineitem', sf: SF, rowGroupSize: GROUP, threads: 1 });
  const sink = await ParquetSink.create(path, table.schema, {
    compression: options.compression,
    rowGroupSize: GROUP,
    metadata: provenance(options, 0),
  });
  const batch = new ColumnBatch(table.schema, 65_536 + 7, table.utf8BytesPerRow);
  const filler = table.open(SF, options.seed);
  const { from, to } = partRange(table.unitCount(SF), 1, 0);
  for (let unit = from; unit < to; unit++) {
    filler.fill(batch, unit);
    if (batch.length >= 65_536 || unit === to - 1) {
      await sink.write(batch);
      batch.reset();
    }
  }
  await sink.close();
}

const parquetOf = (threads: number): string => join(dir, `t${threads}`, `${NAME}.parquet`);

describe('row groups encoded in parallel, one file', () => {
  it('is byte-identical for 1, 2 and 3 threads, in Parquet and CSV', async () => {
    for (const format of ['parquet', 'csv']) {
      const one = await bytesOf(join(dir, 't1', `${NAME}.${format}`));
      for (const threads of [2, 3])
        expect(one.equals(await bytesOf(join(dir, `t${threads}`, `${NAME}.${format}`)))).toBe(true);
    }
  });

  it('is byte-identical to the file the streaming (serial) writer makes', async () => {
    // Holds only if every offset, ordinal and page index of the stitched footer is right.
    expect((await bytesOf(parquetOf(2))).equals(await bytesOf(serial))).toBe(true);
  });

  it('DuckDB reads the same rows and aggregates as from the serial file', async () => {
    // Money summed as integer cents: a float sum's last bits depend on DuckDB's thread order.
    const agg = (path: string): string =>
      `SELECT l_returnflag, count(*) AS n, sum(round(l_extendedprice * 100)::BIGINT) AS cents, sum(l_orderkey) AS keys
       FROM ${source(path)} GROUP BY l_returnflag ORDER BY l_returnflag`;
    const stitched = await duck(agg(parquetOf(3)));
    expect(stitched.map((r) => r['l_returnflag'])).toEqual(['A', 'N', 'R']);
    expect(stitched.reduce((a, r) => a + (r['n'] as number), 0)).toBe(ROWS);
    expect(stitched).toEqual(await duck(agg(serial)));
    const diff = await duck(
      `SELECT count(*) AS n FROM (SELECT * FROM ${source(parquetOf(3))} EXCEPT ALL SELECT * FROM ${source(serial)})`,
    );
    expect(diff).toEqual([{ n: 0 }]);
  });

  it('has one row group per 4096 rows with ordinals, offsets and exact min/max statistics', async () => {
    const file = await bytesOf(parquetOf(2));
    // A Buffer from readFile never sits on a SharedArrayBuffer.
    const meta = parquetMetadata(
      file.buffer.slice(file.byteOffset, file.byteOffset + file.length) as ArrayBuffer,
    );
    expect(Number(meta.num_rows)).toBe(ROWS);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([
      ...Array<number>(14).fill(GROUP),
      ROWS - 14 * GROUP,
    ]);
    let next = 4;
    for (const [i, g] of meta.row_groups.entries()) {
      expect(g.ordinal).toBe(i);
      expect(Number(g.file_offset)).toBe(next);
      const first = g.columns[0]!.meta_data!;
      expect(Number(first.dictionary_page_offset ?? first.data_page_offset)).toBe(next);
      next += Number(g.total_compressed_size);
    }
    // The statistics agree with the rows each group really holds.
    const actual = await duck(
      `SELECT file_row_number // ${GROUP} AS g, min(l_orderkey) AS lo, max(l_orderkey) AS hi,
              min(l_shipdate)::VARCHAR AS ship_lo, max(l_comment) AS comment_hi
       FROM read_parquet('${parquetOf(2)}', file_row_number = true) GROUP BY g ORDER BY g`,
    );
    const stats = await duck(
      `SELECT row_group_id AS g, path_in_schema AS c, coalesce(stats_min_value, stats_min) AS lo,
              coalesce(stats_max_value, stats_max) AS hi
       FROM parquet_metadata('${parquetOf(2)}')
       WHERE path_in_schema IN ('l_orderkey', 'l_shipdate', 'l_comment') ORDER BY g, c`,
    );
    for (const a of actual) {
      const of = (c: string): Record<string, unknown> =>
        stats.find((s) => s['g'] === a['g'] && s['c'] === c)!;
      expect([of('l_orderkey')['lo'], of('l_orderkey')['hi']]).toEqual([String(a['lo']), String(a['hi'])]);
      expect(of('l_shipdate')['lo']).toBe(a['ship_lo']);
      expect(of('l_comment')['hi']).toBe(a['comment_hi']);
    }
  });

  it('our reader reads every row and prunes row groups by the stitched statistics', async () => {
    const reader = openObject(await openFileBlob(parquetOf(3)), 'parquet');
    expect(await reader.numRows()).toBe(ROWS);
    const count = async (filter: ReturnType<typeof bin> | null): Promise<[number, number]> => {
      const counters = newScanCounters();
      let rows = 0;
      for await (const b of reader.scan({ columns: ['l_orderkey'], filter, rowGroups: null }, counters))
        rows += b.numRows;
      return [rows, counters.rowGroupsScanned];
    };
    expect(await count(null)).toEqual([ROWS, 15]);
    // Order keys grow with the row number, so keys below 100 sit in the first group only.
    const [rows, groups] = await count(bin('<', col('l_orderkey'), lit(100, 'int64')));
    expect(groups).toBe(1);
    expect(rows).toBe(GROUP);
  });

  it('recycled workers (a fresh wasm memory every 2 groups) write the same bytes', async () => {
    const out = join(dir, 'recycled');
    const result = await genLineitem(
      out,
      { formats: 'parquet', rowGroupSize: 8192, threads: 2 },
      {
        workers: { maxGroupsPerWorker: 2 },
      },
    );
    expect(result.workersStarted).toBeGreaterThanOrEqual(4); // 8 groups, 2 per worker
    expect(result.peakWasmBytes).toBeGreaterThan(0);
    const plain = await genLineitem(join(dir, 'plain'), {
      formats: 'parquet',
      rowGroupSize: 8192,
      threads: 1,
    });
    expect(plain.workersStarted).toBe(0);
    const name = `${NAME}.parquet`;
    expect((await bytesOf(join(out, name))).equals(await bytesOf(join(dir, 'plain', name)))).toBe(true);
  });
});

describe('a failing worker', () => {
  // Fixtures: the real worker, with a first listener that fails on the 4th group (seq 3),
  // after earlier groups were already written to the temp file.
  const failing = async (name: string, failure: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(
      path,
      // Wraps the real worker's message listener so that group 3 fails before it is encoded.
      `import { parentPort } from 'node:worker_threads';
       const on = parentPort.on.bind(parentPort);
       parentPort.on = (event, listener) =>
         on(event, event !== 'message' ? listener : (m) => { if (m.job.seq === 3) { ${failure} } listener(m); });
       await import(${JSON.stringify(genWorkerFile())});`,
    );
    return path;
  };

  it.each([
    ['throws', "throw new Error('boom in worker');", /generator thread failed: boom in worker/],
    ['exits', 'process.exit(7);', /generator thread exited with code 7/],
  ])('that %s rejects the run and leaves no file, final or temp', async (_what, failure, message) => {
    const out = join(dir, `fail-${_what}`);
    const workerFile = await failing(`worker-${_what}.mjs`, failure);
    const run = genLineitem(out, { rowGroupSize: GROUP, threads: 2 }, { workers: { workerFile } });
    await expect(run).rejects.toThrow(message);
    expect(await readdir(out)).toEqual([]);
  });
});

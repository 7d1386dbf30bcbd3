/**
 * CSV encoding rules (RFC 4180 quoting only when needed, fixed decimals, dates), atomic files,
 * cancellation, and the progress display.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError } from '@pushdown/proto';
import { appendUtf8, asciiBytes, ColumnBatch, type GenSchema } from '../src/gen/column-batch.js';
import { CsvSink } from '../src/gen/csv-sink.js';
import { dayOf } from '../src/gen/dates.js';
import { createProgressBar, generateTable, type GenProgress } from '../src/gen/index.js';
import { duck, makeTempDir, removeDir } from './gen-helpers.js';

const schema: GenSchema = [
  { name: 'i', type: 'int64', nullable: false },
  { name: 'n', type: 'int32', nullable: false },
  { name: 'x', type: 'float64', nullable: false, scale: 2 },
  { name: 'd', type: 'date32', nullable: false },
  { name: 's', type: 'utf8', nullable: false },
];

function batchOf(rows: [number, number, number, string, string][]): ColumnBatch {
  const b = new ColumnBatch(schema, rows.length, 4);
  for (const [i, n, x, d, s] of rows) {
    const r = b.length++;
    b.float64(0)[r] = i;
    b.int32(1)[r] = n;
    b.float64(2)[r] = x;
    b.int32(3)[r] = dayOf(d);
    const bytes = Buffer.from(s, 'utf8');
    appendUtf8(b.utf8(4), r, bytes, 0, bytes.length);
  }
  return b;
}

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('csv');
});
afterAll(() => removeDir(dir));

describe('CSV encoding', () => {
  it('quotes only fields that need it and formats numbers and dates', async () => {
    const sink = await CsvSink.create(join(dir, 'enc.csv'), schema);
    const text = Buffer.from(
      sink.encode(
        batchOf([
          [1, -7, 0.07, '1992-01-01', 'plain words'],
          [9007199254740991, 0, -1234.5, '1998-12-31', 'a, b'],
          [0, 2147483647, 0, '1970-01-01', 'say "hi"'],
          [42, 1, 10.005, '2000-02-29', ''],
          [5, 2, 1e-9, '1995-06-17', ' padded '],
          [6, 3, 3, '1996-03-01', 'line\nbreak'],
          [7, 4, 0.1 + 0.2, '1996-03-02', 'naïve'],
        ]),
      ),
    ).toString('utf8');
    expect(text.split('\n')).toEqual([
      '1,-7,0.07,1992-01-01,plain words',
      '9007199254740991,0,-1234.50,1998-12-31,"a, b"',
      '0,2147483647,0.00,1970-01-01,"say ""hi"""',
      '42,1,10.01,2000-02-29,""',
      '5,2,0.00,1995-06-17," padded "',
      '6,3,3.00,1996-03-01,"line',
      'break"',
      '7,4,0.30,1996-03-02,naïve',
      '',
    ]);
    await sink.abort();
  });

  it('round-trips through DuckDB, empty string and quotes included', async () => {
    const path = join(dir, 'round.csv');
    const sink = await CsvSink.create(path, schema);
    await sink.write(
      batchOf([
        [1, 1, 1.5, '1992-01-01', 'a, "b"'],
        [2, 2, 2.25, '1992-01-02', ''],
        [3, 3, 3, '1992-01-03', ' x'],
      ]),
    );
    expect(await sink.close()).toBeGreaterThan(0);
    const rows = await duck(
      // allow_quoted_nulls = false: DuckDB otherwise reads a quoted "" as NULL, not as ''.
      `SELECT i, s, x, CAST(d AS VARCHAR) AS d FROM read_csv('${path}', header = true, auto_detect = false,
         allow_quoted_nulls = false,
         columns = {'i': 'BIGINT', 'n': 'INTEGER', 'x': 'DOUBLE', 'd': 'DATE', 's': 'VARCHAR'}) ORDER BY i`,
    );
    expect(rows).toEqual([
      { i: 1, s: 'a, "b"', x: 1.5, d: '1992-01-01' },
      { i: 2, s: '', x: 2.25, d: '1992-01-02' },
      { i: 3, s: ' x', x: 3, d: '1992-01-03' },
    ]);
  });
});

describe('atomic output', () => {
  it('an aborted sink leaves neither the final file nor a temp file', async () => {
    const sub = join(dir, 'abort');
    await generateTable({ table: 'lineitem', sf: 0.001, formats: 'csv', outDir: sub });
    const sink = await CsvSink.create(join(sub, 'x.csv'), schema);
    await sink.write(batchOf([[1, 1, 1, '1992-01-01', 'x']]));
    await sink.abort();
    expect(await readdir(sub)).toEqual(['lineitem-00000-of-00001.csv']);
  });

  it('cancelling a generation rejects with CancelledError and removes unfinished files', async () => {
    const sub = join(dir, 'cancel');
    const abort = new AbortController();
    const run = generateTable(
      { table: 'lineitem', sf: 0.01, formats: 'parquet,csv', parts: 2, batchRows: 4096, outDir: sub },
      { signal: abort.signal, onProgress: (p) => p.rowsDone > 10_000 && abort.abort() },
    );
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(await readdir(sub)).toEqual([]);
  });
});

describe('progress', () => {
  it('reports exact totals, monotonic counts, and a final 100%', async () => {
    const seen: GenProgress[] = [];
    const result = await generateTable(
      {
        table: 'lineitem',
        sf: 0.002,
        formats: 'csv',
        parts: 2,
        batchRows: 1024,
        outDir: join(dir, 'progress'),
      },
      { onProgress: (p) => seen.push(p) },
    );
    expect(seen.length).toBeGreaterThan(3);
    for (const p of seen) expect(p.rowsTotal).toBe(result.rows);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.rowsDone).toBeGreaterThanOrEqual(seen[i - 1]!.rowsDone);
    expect(seen.at(-1)).toMatchObject({ rowsDone: result.rows, partsDone: 2, partsTotal: 2 });
  });

  it('prints plain lines per 10% when not on a TTY, and a redrawn bar on a TTY', () => {
    const p = (rowsDone: number, elapsedMs: number): GenProgress => ({
      table: 'lineitem',
      rowsDone,
      rowsTotal: 1000,
      partsDone: 0,
      partsTotal: 1,
      elapsedMs,
    });
    const plain: string[] = [];
    const bar = createProgressBar({ write: (t: string) => plain.push(t) }, 'gen');
    for (let i = 0; i <= 1000; i += 50) bar.update(p(i, i));
    bar.update({ ...p(1000, 1000), partsDone: 1 }); // the part is closed: only now 100%
    bar.done();
    expect(plain).toHaveLength(11);
    expect(plain.at(-2)).toContain(' 90.0%');
    expect(plain.every((l) => l.startsWith('gen: ') && l.endsWith('\n'))).toBe(true);
    expect(plain.at(-1)).toContain('100.0%');

    const tty: string[] = [];
    const live = createProgressBar({ isTTY: true, columns: 100, write: (t: string) => tty.push(t) }, 'gen');
    live.update(p(100, 0));
    live.update(p(200, 50)); // within 100 ms: skipped
    live.update({ ...p(1000, 60), partsDone: 1 }); // finished: always drawn
    live.done();
    expect(tty).toHaveLength(3);
    expect(tty[0]).toMatch(/^\rgen \[#+\.+\] +10\.0%/);
    expect(tty[1]).toContain('100.0%');
    expect(tty[2]).toBe('\n');
  });
});

// asciiBytes is part of the column toolkit other tables will use.
it('asciiBytes encodes ASCII one byte per char', () => {
  expect([...asciiBytes('AZ ')]).toEqual([65, 90, 32]);
});

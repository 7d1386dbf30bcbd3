// Parquet reader: values compared with DuckDB for every supported type, projection, batch
// sizes, row-group pruning, and the errors of corrupt files (the process must survive them).
import { mkdtempSync, openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, col, lit, newScanCounters, openObject, readParquetMetadata, type Expr } from '@pushdown/engine';
import { duck, expectRowsEqual, rowsOf, scanAll } from './readers-helpers.js';

const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);
const tmp = mkdtempSync(join(tmpdir(), 'readers-parquet-'));
const TYPES = fixture('types.parquet');
const ALL = [
  'id',
  'b',
  'i8',
  'i16',
  'i32',
  'i64',
  'f32',
  'f64',
  'dec_i32',
  'dec_i64',
  'dec_big',
  'd',
  's_dict',
  's',
];

describe('Parquet reader against DuckDB', () => {
  test('schema maps every physical and logical type', async () => {
    const reader = openObject(await openAsBlob(TYPES), 'parquet');
    expect((await reader.schema()).map((f) => `${f.name}:${f.type}:${f.nullable}`)).toEqual([
      'id:int64:true',
      'b:bool:true',
      'i8:int32:true',
      'i16:int32:true',
      'i32:int32:true',
      'i64:int64:true',
      'f32:float64:true',
      'f64:float64:true',
      'dec_i32:float64:true',
      'dec_i64:float64:true',
      'dec_big:float64:true',
      'd:date32:true',
      's_dict:utf8:true',
      's:utf8:true',
    ]);
    expect(await reader.numRows()).toBe(6000);
  });

  test('every value of every type, NULLs included, over several row groups', async () => {
    const reader = openObject(await openAsBlob(TYPES), 'parquet');
    const counters = newScanCounters();
    const batches = await scanAll(reader, { columns: ALL, batchRows: 1500 }, counters);
    expect(batches.every((b) => b.numRows <= 1500)).toBe(true);
    const casts = ALL.map((c) =>
      c.startsWith('dec') || c === 'f32'
        ? `${c}::DOUBLE AS ${c}`
        : c === 'i8' || c === 'i16'
          ? `${c}::INTEGER AS ${c}`
          : c,
    );
    expectRowsEqual(rowsOf(batches), await duck(`SELECT ${casts.join(', ')} FROM '${TYPES}'`));
    expect(counters).toMatchObject({ rowsScanned: 6000, rowGroupsTotal: 3, rowGroupsScanned: 3 });
    expect(counters.bytesScanned).toBeGreaterThan(0);
    expect(counters.bytesCopied).toBeGreaterThan(0);
  });

  test('a projection reads only those columns, in the asked order', async () => {
    const reader = openObject(await openAsBlob(TYPES), 'parquet');
    const narrow = newScanCounters();
    const batches = await scanAll(reader, { columns: ['s_dict', 'id'] }, narrow);
    expect(batches[0]!.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['s_dict:Utf8', 'id:Int64']);
    expectRowsEqual(rowsOf(batches), await duck(`SELECT s_dict, id FROM '${TYPES}'`));
    const wide = newScanCounters();
    await scanAll(reader, { columns: ALL }, wide);
    expect(narrow.bytesScanned).toBeLessThan(wide.bytesScanned / 3);
  });

  test('zero columns still count rows', async () => {
    const reader = openObject(await openAsBlob(TYPES), 'parquet');
    const batches = await scanAll(reader, { columns: [] });
    expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(6000);
  });

  test('timestamps are listed as unsupported and fail only when asked for', async () => {
    const path = fixture('timestamp.parquet');
    const meta = await readParquetMetadata(await openAsBlob(path));
    expect(meta.schema.map((f) => f.name)).toEqual(['id']);
    expect(meta.unsupported).toEqual([{ name: 'ts', reason: 'Parquet type TIMESTAMP is not supported' }]);
    const reader = openObject(await openAsBlob(path), 'parquet');
    expect(rowsOf(await scanAll(reader, { columns: ['id'] }))).toHaveLength(10);
    await expect(scanAll(reader, { columns: ['ts'] })).rejects.toMatchObject({
      code: 'PUSHDOWN_ERR_INVALID_ARGUMENT',
      message: 'column ts of this Parquet object cannot be read: Parquet type TIMESTAMP is not supported',
    });
    await expect(scanAll(reader, { columns: ['nope'] })).rejects.toMatchObject({
      code: 'PUSHDOWN_ERR_INVALID_ARGUMENT',
      message: 'unknown column "nope" in Parquet object (its columns are id)',
    });
  });
});

describe('row-group pruning (ranges.parquet: 4 groups, k in [2048g, 2048g+2047], d = 2000-01-01 + 100g days)', () => {
  const D2000 = 10957; // 2000-01-01 in days since the epoch
  const date = (g: number): Expr => lit(D2000 + 100 * g, 'date32');
  const cases: [string, Expr | null, number[] | null, number][] = [
    ['no filter', null, null, 4],
    ['k = 5000 (one group)', bin('=', col('k'), lit('5000', 'int64')), null, 1],
    ['5000 = k (literal on the left)', bin('=', lit(5000, 'int64'), col('k')), null, 1],
    [
      'k < 10 AND x > 0',
      bin('and', bin('<', col('k'), lit(10, 'int64')), bin('>', col('x'), lit(0, 'float64'))),
      null,
      1,
    ],
    ['k >= 6144', bin('>=', col('k'), lit(6144, 'int64')), null, 1],
    ['k > 6143.5 (float literal, int column)', bin('>', col('k'), lit(6143.5, 'float64')), null, 1],
    [
      'd BETWEEN group 1 and 2 dates',
      { kind: 'between', arg: col('d'), low: date(1), high: date(2), negated: false },
      null,
      2,
    ],
    [
      'd IN (group 3)',
      { kind: 'in', arg: col('d'), list: [lit(D2000 + 300, 'date32'), lit(1, 'date32')], negated: false },
      null,
      1,
    ],
    ['g = g2 (strings)', bin('=', col('g'), lit('g2', 'utf8')), null, 1],
    [
      'k = 1 OR k = 8000',
      bin('or', bin('=', col('k'), lit(1, 'int64')), bin('=', col('k'), lit(8000, 'int64'))),
      null,
      2,
    ],
    [
      'k = 1 OR x > 0 (one side unknown: no pruning)',
      bin('or', bin('=', col('k'), lit(1, 'int64')), bin('>', col('x'), lit(-1, 'float64'))),
      null,
      4,
    ],
    ['NOT (k = 1) is not understood', { kind: 'not', arg: bin('=', col('k'), lit(1, 'int64')) }, null, 4],
    ['k < 0 prunes everything', bin('<', col('k'), lit(0, 'int64')), null, 0],
    ['asked row groups [1, 2] with k = 5000', bin('=', col('k'), lit(5000, 'int64')), [1, 2], 1],
  ];
  test.each(cases)('%s', async (_name, filter, rowGroups, scanned) => {
    const reader = openObject(await openAsBlob(fixture('ranges.parquet')), 'parquet');
    const counters = newScanCounters();
    const rows = rowsOf(await scanAll(reader, { columns: ['k'], filter, rowGroups }, counters));
    expect(counters.rowGroupsScanned).toBe(scanned);
    expect(counters.rowGroupsTotal).toBe(rowGroups?.length ?? 4);
    expect(rows).toHaveLength(scanned * 2048);
  });
});

describe('corrupt Parquet objects', () => {
  const bytes = readFileSync(TYPES);
  const write = (name: string, b: Uint8Array): string => {
    const p = join(tmp, name);
    writeFileSync(p, b);
    return p;
  };
  const corrupt = { code: 'PUSHDOWN_ERR_CORRUPT_DATA', name: 'CorruptDataError' };

  test('bad magic', async () => {
    const p = write(
      'bad-magic.parquet',
      Buffer.concat([bytes.subarray(0, bytes.length - 4), Buffer.from('NOPE')]),
    );
    await expect(openObject(await openAsBlob(p), 'parquet').schema()).rejects.toMatchObject({
      ...corrupt,
      message: 'not a Parquet file: bad magic bytes at end (expected "PAR1")',
    });
    await expect(openObject(new Blob(['a,b\n1,2\n']), 'parquet').numRows()).rejects.toMatchObject(corrupt);
  });

  test('truncated footer', async () => {
    // Drop bytes in front of the last 8: the length field now points before the file start... or into data.
    const cut = Buffer.concat([bytes.subarray(0, 100), bytes.subarray(bytes.length - 8)]);
    const p = write('truncated.parquet', cut);
    await expect(openObject(await openAsBlob(p), 'parquet').schema()).rejects.toMatchObject({
      ...corrupt,
      message: expect.stringMatching(
        /^truncated Parquet file: the footer says \d+ bytes of metadata but the file has only 108 bytes$/,
      ),
    });
    const garbled = Buffer.from(bytes);
    const footerLen = garbled.readUInt32LE(garbled.length - 8);
    garbled.fill(0xff, garbled.length - 8 - footerLen, garbled.length - 8 - footerLen + 64);
    await expect(openObject(new Blob([garbled]), 'parquet').schema()).rejects.toMatchObject({
      ...corrupt,
      message: expect.stringMatching(/^corrupt Parquet footer: /),
    });
  });

  test('corrupted page bytes give a clean error, and the next read still works', async () => {
    const meta = await readParquetMetadata(await openAsBlob(TYPES));
    const chunk = meta.metadata.row_groups[1]!.columns[13]!.meta_data!; // column s, row group 1
    const start = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
    const bad = Buffer.from(bytes);
    bad.fill(0x5a, start + 40, start + Number(chunk.total_compressed_size) - 8);
    const reader = openObject(await openAsBlob(write('bad-page.parquet', bad)), 'parquet');
    expect(await reader.numRows()).toBe(6000); // the footer is intact
    await expect(scanAll(reader, { columns: ['s'] })).rejects.toMatchObject({
      ...corrupt,
      message: expect.stringMatching(/^corrupt Parquet data in row group/),
    });
    // Row group 0 is intact and still readable from the same reader; a healthy file reads fine.
    expect(rowsOf(await scanAll(reader, { columns: ['s'], rowGroups: [0] }))).toHaveLength(2048);
    const healthy = openObject(await openAsBlob(TYPES), 'parquet');
    expect(rowsOf(await scanAll(healthy, { columns: ['id', 's'] }))).toHaveLength(6000);
  });

  test('a row group that does not exist', async () => {
    const reader = openObject(await openAsBlob(TYPES), 'parquet');
    await expect(scanAll(reader, { columns: ['id'], rowGroups: [7] })).rejects.toMatchObject({
      code: 'PUSHDOWN_ERR_INVALID_ARGUMENT',
      message: 'row group 7 does not exist (the object has 3)',
    });
  });
});

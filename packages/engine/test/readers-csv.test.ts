// CSV reader: values compared with DuckDB's read_csv of the same files, RFC 4180 edge cases,
// inference, chunk boundaries, and the errors a user sees for bad files.
import { mkdtempSync, openAsBlob, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inferCsvSchema, newScanCounters, openObject, type Schema } from '@pushdown/engine';
import { duck, expectRowsEqual, rowsOf, scanAll } from './readers-helpers.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixture = (name: string): string => join(fixtures, name);
const tmp = mkdtempSync(join(tmpdir(), 'readers-csv-'));
const textBlob = (text: string): Blob => new Blob([text]);

async function readAll(blob: Blob, columns?: string[], chunkBytes?: number, declared?: Schema) {
  const reader = openObject(blob, 'csv', declared ?? null, { csv: chunkBytes ? { chunkBytes } : {} });
  const schema = await reader.schema();
  const counters = newScanCounters();
  const batches = await scanAll(
    reader,
    { columns: columns ?? schema.map((f) => f.name), batchRows: 1000 },
    counters,
  );
  return { schema, rows: rowsOf(batches), batches, counters };
}

describe('CSV reader against DuckDB', () => {
  test('types.csv: every value and the inferred schema match read_csv', async () => {
    const path = fixture('types.csv');
    const { schema, rows, batches, counters } = await readAll(await openAsBlob(path));
    expect(schema.map((f) => `${f.name}:${f.type}`)).toEqual([
      'id:int64',
      'b:bool',
      'i32:int64',
      'i64:int64',
      'f64:float64',
      'dec_i64:float64',
      'd:date32',
      's_dict:utf8',
      's:utf8',
    ]);
    expectRowsEqual(rows, await duck(`SELECT * FROM read_csv('${path}')`));
    expect(batches.every((b) => b.numRows <= 1000)).toBe(true);
    expect(counters.rowsScanned).toBe(6000);
    expect(counters.bytesScanned).toBe((await openAsBlob(path)).size);
    expect(counters.bytesCopied).toBeGreaterThan(0);
  });

  test('a projection returns exactly the asked columns in order, repeats allowed', async () => {
    const path = fixture('types.csv');
    const { rows, batches } = await readAll(await openAsBlob(path), ['s', 'd', 'id', 's']);
    expect(batches[0]!.schema.fields.map((f) => f.name)).toEqual(['s', 'd', 'id', 's']);
    expectRowsEqual(rows, await duck(`SELECT s, d, id FROM read_csv('${path}')`));
    expect(batches[0]!.getChildAt(3)!.get(5)).toBe(batches[0]!.getChildAt(0)!.get(5));
  });

  test.each([1024, 4099])('tiny input chunks (%i bytes) give the same rows', async (chunkBytes) => {
    const path = fixture('types.csv');
    const { rows } = await readAll(await openAsBlob(path), undefined, chunkBytes);
    expectRowsEqual(rows, await duck(`SELECT * FROM read_csv('${path}')`));
  });

  test.each(['quoted.csv', 'crlf-bom.csv', 'no-trailing-newline.csv', 'mixed.csv'])(
    '%s matches DuckDB',
    async (name) => {
      const path = fixture(name);
      const { rows } = await readAll(await openAsBlob(path));
      expectRowsEqual(rows, await duck(`SELECT * FROM read_csv('${path}')`));
    },
  );

  test('inference of a mixed file is pinned', async () => {
    const schema = await inferCsvSchema(await openAsBlob(fixture('mixed.csv')));
    expect(schema.map((f) => `${f.name}:${f.type}`)).toEqual([
      'flag:bool',
      'n:int64',
      'big:int64',
      'ratio:float64',
      'day:date32',
      'word:utf8',
      'empty:utf8',
      'mixed:utf8',
    ]);
    expect(schema.every((f) => f.nullable)).toBe(true);
  });
});

describe('CSV dialect edge cases', () => {
  test('quoted newlines, "" escapes, quoted delimiters, empty quoted field → NULL', async () => {
    const { rows } = await readAll(await openAsBlob(fixture('quoted.csv')));
    expect(rows).toEqual([
      { id: '1', name: 'Smith, John', note: 'said "hi"\nthen left' },
      { id: '2', name: 'plain', note: null },
      { id: '3', name: null, note: 'x' },
    ]);
  });

  test('CRLF line endings and a UTF-8 BOM', async () => {
    const { schema, rows } = await readAll(await openAsBlob(fixture('crlf-bom.csv')));
    expect(schema.map((f) => f.name)).toEqual(['a', 'b']);
    expect(rows).toEqual([
      { a: '1', b: '2024-02-29' },
      { a: '2', b: '1999-12-31' },
      { a: null, b: null },
    ]);
  });

  test('a header-only file has its columns (utf8) and no rows', async () => {
    const { schema, rows } = await readAll(await openAsBlob(fixture('header-only.csv')));
    expect(schema.map((f) => `${f.name}:${f.type}`)).toEqual(['a:utf8', 'b:utf8', 'c:utf8']);
    expect(rows).toEqual([]);
  });

  test('a declared delimiter', async () => {
    const reader = openObject(await openAsBlob(fixture('pipe.csv')), 'csv', null, {
      csv: { delimiter: '|' },
    });
    expect(rowsOf(await scanAll(reader, { columns: ['a', 'b'] }))).toEqual([
      { a: '1', b: 'x' },
      { a: '2', b: 'y|z' },
    ]);
  });

  test('a record longer than the input chunk, and a chunk boundary inside every quoted field', async () => {
    const long = 'y'.repeat(5000);
    const lines = ['k,v,w'];
    for (let i = 0; i < 200; i++) lines.push(`${i},"a ""${i}"",\nb${i % 3 === 0 ? long : ''}",${i * 0.25}`);
    const blob = textBlob(lines.join('\r\n') + '\r\n');
    const expected = Array.from({ length: 200 }, (_, i) => ({
      k: String(i),
      v: `a "${i}",\nb${i % 3 === 0 ? long : ''}`,
      w: i * 0.25,
    }));
    for (const chunkBytes of [64, 333, 1 << 20]) {
      const { rows } = await readAll(blob, undefined, chunkBytes);
      expect(rows).toEqual(expected);
    }
  });

  test('floats round-trip like DuckDB, including hard cases', async () => {
    const values = [
      '0.05',
      '0.1',
      '1e-7',
      '123456789012345678',
      '3.141592653589793238',
      '-0.0',
      '9007199254740993.5',
      '1e300',
      '.5',
      '7.',
    ];
    const path = join(tmp, 'floats.csv');
    writeFileSync(path, 'x\n' + values.join('\n') + '\n');
    const { rows, schema } = await readAll(await openAsBlob(path));
    expect(schema[0]!.type).toBe('float64');
    expect(rows.map((r) => r.x)).toEqual(values.map(Number));
    expectRowsEqual(rows, await duck(`SELECT * FROM read_csv('${path}', columns = {'x': 'DOUBLE'})`));
  });

  test('asking for an unknown column names the columns there are', async () => {
    const reader = openObject(textBlob('a,b\n1,2\n'), 'csv');
    await expect(scanAll(reader, { columns: ['zz'] })).rejects.toMatchObject({
      code: 'PUSHDOWN_ERR_INVALID_ARGUMENT',
      message: 'unknown column "zz" in CSV object (its columns are a, b)',
    });
  });
});

describe('CSV errors', () => {
  const corrupt = { code: 'PUSHDOWN_ERR_CORRUPT_DATA', name: 'CorruptDataError' };

  test('wrong field count names the line', async () => {
    const blob = textBlob('a,b,c\n1,2,3\n4,5,6\n7,8\n');
    await expect(readAll(blob)).rejects.toMatchObject({
      ...corrupt,
      message: 'line 4: expected 3 fields, found 2',
    });
  });

  test('an unterminated quote names the line where the field starts', async () => {
    const blob = textBlob('a,b\n1,x\n2,"open\nstill open\n');
    // The sample is the whole file, so schema() already finds it (put-time validation).
    await expect(openObject(blob, 'csv').schema()).rejects.toMatchObject({
      ...corrupt,
      message: expect.stringMatching(/^line 3: unterminated quoted field starting at column b/),
    });
  });

  test('a value that does not parse under a declared schema', async () => {
    const declared: Schema = [
      { name: 'l_orderkey', type: 'int64', nullable: false },
      { name: 'l_quantity', type: 'float64', nullable: true },
    ];
    const blob = textBlob('l_orderkey,l_quantity\n1,2.5\n2,3\n3,abc\n');
    await expect(readAll(blob, undefined, undefined, declared)).rejects.toMatchObject({
      ...corrupt,
      message: "line 4, column l_quantity: 'abc' is not a float64",
    });
  });

  test('a declared schema must match the header', async () => {
    const declared: Schema = [{ name: 'x', type: 'int64', nullable: true }];
    await expect(openObject(textBlob('y\n1\n'), 'csv', declared).schema()).rejects.toMatchObject({
      ...corrupt,
      message: 'line 1: the CSV header (y) does not match the declared columns (x)',
    });
  });

  test('a value past the sample that breaks the inferred type', async () => {
    const lines = ['n'];
    for (let i = 0; i < 3000; i++) lines.push(String(i));
    lines.push('oops');
    const reader = openObject(textBlob(lines.join('\n') + '\n'), 'csv', null, { csv: { sampleBytes: 1024 } });
    expect((await reader.schema())[0]!.type).toBe('int64');
    await expect(scanAll(reader, { columns: ['n'] })).rejects.toMatchObject({
      ...corrupt,
      message: expect.stringMatching(/^line 3002, column n: 'oops' is not a int64 \(the type was inferred/),
    });
  });

  test('an empty object is not a CSV file', async () => {
    await expect(openObject(textBlob(''), 'csv').schema()).rejects.toMatchObject({
      ...corrupt,
      message: 'not a CSV file with a header: the object is empty',
    });
  });

  test('options are validated', () => {
    expect(() => openObject(textBlob('a\n'), 'csv', null, { csv: { delimiter: '"' } })).toThrow(
      "options.delimiter must be one ASCII character other than '\"', CR or LF",
    );
  });
});

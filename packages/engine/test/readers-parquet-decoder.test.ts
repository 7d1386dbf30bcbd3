// Our own Parquet page decoder against parquet-wasm and DuckDB: files written by DuckDB and by
// parquet-wasm (the generator's writer) with every codec we decode, nulls, dictionaries, several
// pages and row groups, data pages v1 and v2; the fallback for encodings we leave to
// parquet-wasm; and corrupted bytes, which must end in a CorruptDataError or a clean read.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { openFileBlob, openObject, readParquetMetadata, type ParquetDecodeEvent } from '@pushdown/engine';
import { duck, expectRowsEqual, rowsOf, scanAll } from './readers-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'readers-parquet-decoder-'));
const N = 5000;

/** Scans every column with `decoder`; returns the rows and the decode events seen. */
async function read(
  path: string,
  decoder: 'auto' | 'parquet-wasm',
  blob?: Blob,
): Promise<{ rows: ReturnType<typeof rowsOf>; events: ParquetDecodeEvent[] }> {
  const events: ParquetDecodeEvent[] = [];
  const onEvent = (e: unknown): void => void events.push(e as ParquetDecodeEvent);
  subscribe('pushdown:parquet:decode', onEvent);
  try {
    const reader = openObject(blob ?? (await openFileBlob(path)), 'parquet', null, {
      parquetDecoder: decoder,
    });
    const columns = (await reader.schema()).map((f) => f.name);
    return { rows: rowsOf(await scanAll(reader, { columns, batchRows: 700 })), events };
  } finally {
    unsubscribe('pushdown:parquet:decode', onEvent);
  }
}

const DUCK_TABLE = `SELECT
  i AS id,
  CASE WHEN i % 7 = 3 THEN NULL ELSE i % 3 = 0 END AS b,
  CASE WHEN i % 5 = 1 THEN NULL ELSE (i * 7919 - 1000000)::INTEGER END AS i32,
  (i::BIGINT * 1000000007 - 5000000000) AS i64,
  CASE WHEN i % 11 = 2 THEN NULL ELSE (i * 0.37 - 50)::FLOAT END AS f32,
  CASE WHEN i % 13 = 4 THEN NULL ELSE i / 7.0 - 100 END AS f64,
  ((i % 50) / 100)::DECIMAL(4,2) AS dec_i32,
  CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 12.34 + 0.05)::DECIMAL(15,2) END AS dec_i64,
  DATE '1992-01-01' + (i % 2500)::INTEGER AS d,
  (i % 10)::DOUBLE AS few_doubles,
  CASE WHEN i % 9 = 5 THEN NULL ELSE ['AIR', 'RAIL', 'SHIP', 'TRUCK', 'ünï'][(i % 5 + 1)::BIGINT] END AS s_dict,
  CASE WHEN i % 4 = 1 THEN NULL ELSE 'row ' || i || repeat('x', i % 13) || ' ✓' END AS s
  FROM range(${N}) r(i)`;

describe('own decoder = parquet-wasm = DuckDB', () => {
  const duckCases: [string, string][] = [
    ['zstd', 'COMPRESSION zstd, ROW_GROUP_SIZE 2048'],
    ['snappy', 'COMPRESSION snappy, ROW_GROUP_SIZE 1500'],
    ['gzip', 'COMPRESSION gzip'],
    ['uncompressed', 'COMPRESSION uncompressed, ROW_GROUP_SIZE 1024'],
  ];
  test.each(duckCases)('DuckDB-written, %s', async (name, opts) => {
    const path = join(tmp, `duck-${name}.parquet`);
    await duck(`COPY (${DUCK_TABLE}) TO '${path}' (FORMAT parquet, ${opts})`);
    const own = await read(path, 'auto');
    const ref = await read(path, 'parquet-wasm');
    expect(own.events.length).toBeGreaterThan(0);
    expect(own.events.filter((e) => e.decoder !== 'native')).toEqual([]);
    expectRowsEqual(own.rows, ref.rows);
    const casts =
      'id, b, i32, i64, f32::DOUBLE AS f32, f64, dec_i32::DOUBLE AS dec_i32, dec_i64::DOUBLE AS dec_i64, d, few_doubles, s_dict, s';
    expectRowsEqual(own.rows, await duck(`SELECT ${casts} FROM '${path}'`));
  });

  const pwCases: [string, pw.Compression, pw.WriterVersion, boolean][] = [
    ['zstd v1 dictionary', pw.Compression.ZSTD, pw.WriterVersion.V1, true],
    ['zstd v2 dictionary', pw.Compression.ZSTD, pw.WriterVersion.V2, true],
    ['snappy v1 plain', pw.Compression.SNAPPY, pw.WriterVersion.V1, false],
    ['uncompressed v1 dictionary', pw.Compression.UNCOMPRESSED, pw.WriterVersion.V1, true],
    ['brotli v1 plain', pw.Compression.BROTLI, pw.WriterVersion.V1, false],
  ];
  test.each(pwCases)('parquet-wasm-written (small pages), %s', async (name, codec, version, dict) => {
    const path = join(tmp, `pw-${name.replace(/ /g, '-')}.parquet`);
    writePw(path, codec, version, dict);
    const meta = await readParquetMetadata(await openAsBlob(path));
    expect(meta.metadata.row_groups.length).toBe(3);
    const own = await read(path, 'auto');
    const ref = await read(path, 'parquet-wasm');
    expect(own.events.filter((e) => e.decoder !== 'native')).toEqual([]);
    expect(own.events.flatMap((e) => e.rowGroups)).toEqual([0, 1, 2]);
    expectRowsEqual(own.rows, ref.rows);
    expect(own.rows).toHaveLength(N);
  });

  test('a plain in-memory Blob decodes the same as a file', async () => {
    const path = join(tmp, 'duck-zstd.parquet');
    const fromMemory = await read(path, 'auto', new Blob([readFileSync(path)]));
    const fromFile = await read(path, 'auto');
    expect(fromMemory.events.every((e) => e.decoder === 'native')).toBe(true);
    expectRowsEqual(fromMemory.rows, fromFile.rows);
  });

  test('encodings it does not decode (DuckDB V2: DELTA_*) go to parquet-wasm, same rows', async () => {
    const path = join(tmp, 'duck-v2.parquet');
    await duck(`COPY (${DUCK_TABLE}) TO '${path}' (FORMAT parquet, PARQUET_VERSION V2, ROW_GROUP_SIZE 2048)`);
    const own = await read(path, 'auto');
    expect(own.events.some((e) => e.decoder === 'parquet-wasm')).toBe(true);
    expectRowsEqual(own.rows, (await read(path, 'parquet-wasm')).rows);
  });
});

/** A parquet-wasm file of N rows in 3 row groups and many small pages. */
function writePw(path: string, codec: pw.Compression, version: pw.WriterVersion, dict: boolean): void {
  const ids = Array.from({ length: N }, (_, i) => i);
  const nullable = <T>(f: (i: number) => T, every: number): (T | null)[] =>
    ids.map((i) => (i % every === 1 ? null : f(i)));
  const table = new arrow.Table({
    i32: arrow.vectorFromArray(
      nullable((i) => ((i * 7919) % 100_000) - 50_000, 6),
      new arrow.Int32(),
    ),
    i64: arrow.vectorFromArray(
      ids.map((i) => BigInt(i) * 1_000_000_007n - 3n),
      new arrow.Int64(),
    ),
    f64: arrow.vectorFromArray(
      nullable((i) => (i % 17) / 4 - 1, 5),
      new arrow.Float64(),
    ),
    f32: arrow.vectorFromArray(
      nullable((i) => i * 0.25, 9),
      new arrow.Float32(),
    ),
    d: arrow.vectorFromArray(
      nullable((i) => new Date(Date.UTC(1995, 0, 1 + (i % 400))), 8),
      new arrow.DateDay(),
    ),
    b: arrow.vectorFromArray(
      nullable((i) => i % 3 === 0, 4),
      new arrow.Bool(),
    ),
    s: arrow.vectorFromArray(
      nullable((i) => (i % 3 === 0 ? `v${i % 20}` : `value ${i} ✓`), 3),
      new arrow.Utf8(),
    ),
  });
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(codec)
    .setWriterVersion(version)
    .setDictionaryEnabled(dict)
    .setMaxRowGroupSize(2000)
    .setDataPageSizeLimit(1024)
    .setWriteBatchSize(256)
    .build();
  writeFileSync(path, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props));
}

describe('corrupt pages: a CorruptDataError or a clean read, never a crash or a hang', () => {
  const cases: [string, pw.Compression][] = [
    ['uncompressed', pw.Compression.UNCOMPRESSED],
    ['zstd', pw.Compression.ZSTD],
  ];
  test.each(cases)('%s: 24 corrupted copies', async (name, codec) => {
    const path = join(tmp, `fuzz-${name}.parquet`);
    writePw(path, codec, pw.WriterVersion.V1, true);
    const good = readFileSync(path);
    const footer = good.readUInt32LE(good.length - 8);
    const dataEnd = good.length - 8 - footer;
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    let errors = 0;
    for (let k = 0; k < 24; k++) {
      const bad = Buffer.from(good);
      // A few bytes in the page area (headers, levels, indices, values).
      for (let j = 0; j < 3; j++) bad[4 + (next() % (dataEnd - 4))]! ^= 1 + (next() % 255);
      const p = join(tmp, `fuzz-${name}-${k}.parquet`);
      writeFileSync(p, bad);
      try {
        // Batches only: garbage that decodes (a date of year 300000) need not convert to JS.
        const reader = openObject(await openFileBlob(p), 'parquet');
        await scanAll(reader, { columns: (await reader.schema()).map((f) => f.name) });
      } catch (e) {
        errors++;
        expect(e).toMatchObject({ code: 'PUSHDOWN_ERR_CORRUPT_DATA' });
      }
    }
    expect(errors).toBeGreaterThan(0);
    // Still healthy afterwards.
    expect((await read(path, 'auto')).rows).toHaveLength(N);
  });
});

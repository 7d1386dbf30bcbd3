/**
 * Determinism and parts: the same seed, sf and parts give byte-identical files; another seed
 * gives other data; N parts hold exactly the rows of the one-part output, in order; and a part
 * generated alone equals the same part generated with the others.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { partFileName } from '../src/gen/index.js';
import { bytesOf, duck, genLineitem, makeTempDir, removeDir, source } from './gen-helpers.js';

let root: string;
const dirs = { a: '', b: '', seed2: '', parts: '', alone: '', serialParts: '' };

beforeAll(async () => {
  root = await makeTempDir('determinism');
  for (const k of Object.keys(dirs) as (keyof typeof dirs)[]) dirs[k] = join(root, k);
  await genLineitem(dirs.a);
  await genLineitem(dirs.b);
  await genLineitem(dirs.seed2, { seed: 2, formats: 'parquet' });
  // Parts on two generator threads here, on the main thread below: the files must not differ.
  await genLineitem(dirs.parts, { parts: 3, formats: 'parquet,csv', threads: 2 });
  await genLineitem(dirs.serialParts, { parts: 3, formats: 'parquet,csv', threads: 1 });
  await genLineitem(dirs.alone, { parts: 3, onlyParts: [2], formats: 'parquet,csv' });
});
afterAll(() => removeDir(root));

const one = (dir: string, ext: 'parquet' | 'csv'): string => join(dir, partFileName('lineitem', 0, 1, ext));

describe('lineitem determinism', () => {
  it('same seed, sf and parts → byte-identical Parquet and CSV', async () => {
    for (const ext of ['parquet', 'csv'] as const) {
      const [a, b] = await Promise.all([bytesOf(one(dirs.a, ext)), bytesOf(one(dirs.b, ext))]);
      expect(a.length).toBeGreaterThan(0);
      expect(a.equals(b)).toBe(true);
    }
  });

  it('a different seed → different data, same shape', async () => {
    const [a, b] = await Promise.all([bytesOf(one(dirs.a, 'parquet')), bytesOf(one(dirs.seed2, 'parquet'))]);
    expect(a.equals(b)).toBe(false);
    const [sa] = await duck(
      `SELECT count(DISTINCT l_orderkey) AS orders, sum(l_partkey) AS pk FROM ${source(one(dirs.a, 'parquet'))}`,
    );
    const [sb] = await duck(
      `SELECT count(DISTINCT l_orderkey) AS orders, sum(l_partkey) AS pk FROM ${source(one(dirs.seed2, 'parquet'))}`,
    );
    expect(sb!.orders).toBe(sa!.orders);
    expect(sb!.pk).not.toBe(sa!.pk);
  });

  it('names part files <table>-<part>-of-<parts> and leaves no temp files', async () => {
    expect((await readdir(dirs.parts)).sort()).toEqual([
      'lineitem-00000-of-00003.csv',
      'lineitem-00000-of-00003.parquet',
      'lineitem-00001-of-00003.csv',
      'lineitem-00001-of-00003.parquet',
      'lineitem-00002-of-00003.csv',
      'lineitem-00002-of-00003.parquet',
    ]);
    expect(await readdir(dirs.alone)).toEqual([
      'lineitem-00002-of-00003.csv',
      'lineitem-00002-of-00003.parquet',
    ]);
  });

  it('parts together hold exactly the rows of the one-part output (Parquet)', async () => {
    const files = [0, 1, 2].map((p) => `'${join(dirs.parts, partFileName('lineitem', p, 3, 'parquet'))}'`);
    // A multiset fingerprint: row count plus the sum of per-row hashes (order-independent;
    // order is pinned by the CSV byte comparison below and the contiguity test).
    const fingerprint = (from: string): string =>
      `SELECT count(*) AS n, sum(hash(t)::HUGEINT)::VARCHAR AS h, count(DISTINCT hash(t)) AS distinct_rows FROM ${from} t`;
    const [split] = await duck(fingerprint(`read_parquet([${files.join(', ')}])`));
    const [whole] = await duck(fingerprint(source(one(dirs.a, 'parquet'))));
    expect(split).toEqual(whole);
    expect(whole!.distinct_rows).toBe(whole!.n);
  });

  it('parts together equal the one-part output byte for byte (CSV bodies)', async () => {
    const body = (buf: Buffer): Buffer => buf.subarray(buf.indexOf(10) + 1);
    const whole = await bytesOf(one(dirs.a, 'csv'));
    const parts = await Promise.all(
      [0, 1, 2].map((p) => bytesOf(join(dirs.parts, partFileName('lineitem', p, 3, 'csv')))),
    );
    for (const p of parts)
      expect(p.subarray(0, p.indexOf(10)).equals(whole.subarray(0, whole.indexOf(10)))).toBe(true);
    expect(Buffer.concat(parts.map(body)).equals(body(whole))).toBe(true);
  });

  it('parts are contiguous, disjoint ranges of orders', async () => {
    const ranges = await duck(
      [0, 1, 2]
        .map(
          (p) =>
            `SELECT ${p} AS part, min(l_orderkey) AS lo, max(l_orderkey) AS hi FROM ${source(join(dirs.parts, partFileName('lineitem', p, 3, 'parquet')))}`,
        )
        .join(' UNION ALL ') + ' ORDER BY part',
    );
    expect(ranges[0]!.lo).toBe(1);
    expect((ranges[0]!.hi as number) < (ranges[1]!.lo as number)).toBe(true);
    expect((ranges[1]!.hi as number) < (ranges[2]!.lo as number)).toBe(true);
  });

  it('parts written by 2 threads are byte-identical to parts written by 1', async () => {
    for (const p of [0, 1, 2]) {
      for (const ext of ['parquet', 'csv'] as const) {
        const name = partFileName('lineitem', p, 3, ext);
        const [two, one] = await Promise.all([
          bytesOf(join(dirs.parts, name)),
          bytesOf(join(dirs.serialParts, name)),
        ]);
        expect(two.length).toBeGreaterThan(0);
        expect(two.equals(one)).toBe(true);
      }
    }
  });

  it('a part generated alone is byte-identical to the same part generated with the others', async () => {
    for (const ext of ['parquet', 'csv'] as const) {
      const name = partFileName('lineitem', 2, 3, ext);
      const [withOthers, alone] = await Promise.all([
        bytesOf(join(dirs.parts, name)),
        bytesOf(join(dirs.alone, name)),
      ]);
      expect(alone.equals(withOthers)).toBe(true);
    }
  });
});

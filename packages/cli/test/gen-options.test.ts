/** The validator's messages are part of the CLI's contract: pinned here. */
import { readCpuBudget } from '@pushdown/engine';
import { InvalidArgumentError } from '@pushdown/proto';
import { GEN_DEFAULTS, resolveGenOptions, type GenOptionsInput } from '../src/gen/index.js';

const base: GenOptionsInput = { table: 'lineitem', sf: 0.01 };

describe('resolveGenOptions', () => {
  it('fills the defaults', () => {
    expect(resolveGenOptions(base)).toEqual({
      table: 'lineitem',
      sf: 0.01,
      formats: ['parquet', 'csv'],
      outDir: 'data/sf0.01',
      parts: 1,
      onlyParts: undefined,
      seed: 1,
      compression: 'zstd',
      rowGroupSize: GEN_DEFAULTS.rowGroupSize,
      batchRows: GEN_DEFAULTS.batchRows,
      threads: readCpuBudget().threads,
    });
  });

  it('parses what a command line gives (strings, comma lists, any case)', () => {
    const o = resolveGenOptions({
      table: 'lineitem',
      sf: '0.1',
      formats: 'CSV, parquet',
      parts: '4',
      onlyParts: '3,1',
      seed: '42',
      compression: 'Snappy',
      rowGroupSize: '65536',
      outDir: '/tmp/x',
    });
    expect(o).toMatchObject({
      sf: 0.1,
      formats: ['csv', 'parquet'],
      parts: 4,
      onlyParts: [1, 3],
      seed: 42,
      compression: 'snappy',
      rowGroupSize: 65536,
      outDir: '/tmp/x',
    });
  });

  const cases: [string, Partial<GenOptionsInput> & Record<string, unknown>, string][] = [
    ['sf not a number', { sf: 'abc' }, 'sf must be a number > 0 (got "abc")'],
    ['sf zero', { sf: 0 }, 'sf must be a number > 0 (got 0)'],
    ['sf negative', { sf: -1 }, 'sf must be a number > 0 (got -1)'],
    ['sf empty', { sf: '' }, 'sf must be a number > 0 (got "")'],
    ['sf too large', { sf: 20000 }, 'sf must be <= 10000 (got 20000)'],
    ['unknown table', { table: 'orderz' }, 'unknown table "orderz"; known tables: lineitem'],
    ['unknown format', { formats: 'parquet,orc' }, 'unknown format "orc"; valid formats: parquet, csv'],
    ['no format', { formats: '' }, 'formats must name at least one of: parquet, csv'],
    [
      'unknown compression',
      { compression: 'gzip' },
      'unknown compression "gzip"; valid compressions: zstd, snappy, none',
    ],
    ['parts zero', { parts: 0 }, 'parts must be a positive integer (got 0)'],
    ['threads zero', { threads: 0 }, 'threads must be a positive integer (got 0)'],
    ['threads too many', { threads: 300 }, 'threads must be <= 256 (got 300)'],
    ['parts fractional', { parts: '1.5' }, 'parts must be a positive integer (got "1.5")'],
    [
      'parts beyond orders',
      { sf: 0.00001, parts: 100 },
      'parts must be <= the number of orders (15 at sf 0.00001), got 100',
    ],
    ['onlyParts out of range', { parts: 2, onlyParts: [2] }, 'onlyParts: part 2 is out of range 0..1'],
    ['seed negative', { seed: -1 }, 'seed must be a non-negative integer (got -1)'],
    ['rowGroupSize tiny', { rowGroupSize: 10 }, 'rowGroupSize must be an integer >= 1024 (got 10)'],
    ['batchRows not int', { batchRows: 'many' }, 'batchRows must be an integer >= 1024 (got "many")'],
    ['misspelled option', { compresion: 'zstd' }, 'unknown option "compresion"; did you mean "compression"?'],
    [
      'unknown option',
      { colour: 'red' },
      'unknown option "colour"; valid options: table, sf, formats, outDir, parts, onlyParts, seed, compression, rowGroupSize, batchRows, threads',
    ],
  ];
  it.each(cases)('rejects %s', (_name, patch, message) => {
    const run = (): unknown => resolveGenOptions({ ...base, ...patch } as GenOptionsInput);
    expect(run).toThrow(InvalidArgumentError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (err) {
      expect((err as InvalidArgumentError).message).toBe(message);
      expect((err as InvalidArgumentError).code).toBe('PUSHDOWN_ERR_INVALID_ARGUMENT');
    }
  });
});

/**
 * TPC-H data generator, a thin CLI over `generateTable` (@pushdown/cli/gen).
 *
 *   node scripts/dist/gen.js --table lineitem --sf 0.1 --format parquet,csv --parts 2 --out data/sf0.1
 *
 * Options: --table (default lineitem), --sf (required), --format parquet,csv, --parts N,
 * --only-parts 0,3, --seed N, --compression zstd|snappy|none, --row-group-size N,
 * --batch-rows N, --out DIR (default data/sf<sf>), --quiet. Progress goes to stderr (a bar on a
 * TTY, a line per 10% otherwise); the list of files written goes to stdout.
 */
import { parseArgs } from 'node:util';
import { createProgressBar, generateTable, tableNames, type GenOptionsInput } from '@pushdown/cli/gen';

const USAGE = `usage: node scripts/dist/gen.js --sf SF [--table ${tableNames().join('|')}] [--format parquet,csv]
  [--parts N] [--only-parts I,J] [--seed N] [--compression zstd|snappy|none] [--row-group-size N]
  [--batch-rows N] [--out DIR] [--quiet]`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      table: { type: 'string', default: 'lineitem' },
      sf: { type: 'string' },
      format: { type: 'string' },
      parts: { type: 'string' },
      'only-parts': { type: 'string' },
      seed: { type: 'string' },
      compression: { type: 'string' },
      'row-group-size': { type: 'string' },
      'batch-rows': { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (values.sf === undefined) {
    process.stderr.write(`gen: --sf is required\n${USAGE}\n`);
    return 2;
  }
  const input: GenOptionsInput = { table: values.table ?? 'lineitem', sf: values.sf };
  if (values.format !== undefined) input.formats = values.format;
  if (values.parts !== undefined) input.parts = values.parts;
  if (values['only-parts'] !== undefined) input.onlyParts = values['only-parts'];
  if (values.seed !== undefined) input.seed = values.seed;
  if (values.compression !== undefined) input.compression = values.compression;
  if (values['row-group-size'] !== undefined) input.rowGroupSize = values['row-group-size'];
  if (values['batch-rows'] !== undefined) input.batchRows = values['batch-rows'];
  if (values.out !== undefined) input.outDir = values.out;

  const bar = values.quiet ? undefined : createProgressBar(process.stderr, `gen ${input.table}`);
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const result = await generateTable(input, {
    signal: abort.signal,
    ...(bar ? { onProgress: (p) => bar.update(p) } : {}),
  });
  bar?.done();
  for (const f of result.files)
    process.stdout.write(`${f.path}\t${f.format}\t${f.rows} rows\t${f.bytes} bytes\n`);
  process.stderr.write(`gen: ${result.rows} rows per format in ${(result.elapsedMs / 1000).toFixed(1)}s\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`gen: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(
      err instanceof Error && 'code' in err && err.code === 'PUSHDOWN_ERR_INVALID_ARGUMENT' ? 2 : 1,
    );
  },
);

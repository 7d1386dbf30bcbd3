/** `pushdown gen`: writes TPC-H tables as Parquet and CSV part files (the generator in ../gen). */
import { Command, Option } from 'commander';
import { formatBytes, formatCount } from '../format/units.js';
import {
  createProgressBar,
  GEN_DEFAULTS,
  generateTable,
  PARQUET_COMPRESSIONS,
  tableNames,
} from '../gen/index.js';
import { println, type CliContext } from './context.js';

interface GenFlags {
  table: string;
  sf: string;
  format: string;
  parts: string;
  only?: string;
  out?: string;
  seed: string;
  compression: string;
  rowGroupSize: string;
  threads?: string;
}

export function genCommand(ctx: CliContext): Command {
  const cmd = new Command('gen')
    .description('generate a TPC-H table deterministically as Parquet and/or CSV part files')
    .addOption(new Option('--table <name>', 'table to generate').choices(tableNames()).default('lineitem'))
    .requiredOption('--sf <n>', 'scale factor (SF 1 ≈ 6M lineitem rows)')
    .option('--format <list>', 'comma list of parquet, csv', GEN_DEFAULTS.formats.join(','))
    .option('--parts <n>', 'part files per format', String(GEN_DEFAULTS.parts))
    .option('--only <list>', 'generate only these 0-based parts (comma list), e.g. to spread over processes')
    .option('-o, --out <dir>', 'output folder (default: data/sf<sf>)')
    .option(
      '--seed <n>',
      'PRNG seed; the same seed, sf and parts give identical files',
      String(GEN_DEFAULTS.seed),
    )
    .addOption(
      new Option('--compression <codec>', 'Parquet compression')
        .choices(PARQUET_COMPRESSIONS)
        .default(GEN_DEFAULTS.compression),
    )
    .option('--row-group-size <rows>', 'rows per Parquet row group', String(GEN_DEFAULTS.rowGroupSize))
    .option(
      '--threads <n>',
      'worker threads encoding row groups side by side, also within one part (files do not change; default: the CPU budget)',
    );
  cmd.addHelpText(
    'after',
    `
Examples:
  $ pushdown gen --table lineitem --sf 0.1 --format parquet,csv --parts 4
  $ pushdown gen --sf 1 --parts 4 --threads 2 -o data/sf1-4parts
  $ pushdown gen --sf 1 --format parquet --compression snappy --row-group-size 65536 -o data/sf1-snappy`,
  );
  cmd.action(async (flags: GenFlags) => {
    const bar = createProgressBar(ctx.stderr, `gen ${flags.table}`);
    const result = await generateTable(
      {
        table: flags.table,
        sf: flags.sf,
        formats: flags.format,
        parts: flags.parts,
        seed: flags.seed,
        compression: flags.compression,
        rowGroupSize: flags.rowGroupSize,
        ...(flags.only !== undefined ? { onlyParts: flags.only } : {}),
        ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
        ...(flags.out !== undefined ? { outDir: flags.out } : {}),
      },
      { onProgress: (p) => bar.update(p), signal: ctx.signal },
    );
    bar.done();
    for (const f of result.files) {
      println(ctx.stdout, `${f.path}  ${f.format}  ${formatCount(f.rows)} rows  ${formatBytes(f.bytes)}`);
    }
    println(
      ctx.stderr,
      `${formatCount(result.rows)} rows in ${(result.elapsedMs / 1000).toFixed(2)} s → ${result.options.outDir}`,
    );
  });
  return cmd;
}

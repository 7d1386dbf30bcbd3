/** `pushdown query "SQL"`: runs SQL on the intermediary and prints or writes the result. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command, Option } from 'commander';
import { InvalidArgumentError } from '@pushdown/proto';
import { tableFromIPC } from 'apache-arrow';
import { PLACEMENT_NAMES, type PlacementName } from '../client/options.js';
import { collectBytes, PushdownClient } from '../client/pushdown-client.js';
import { formatArrowTable } from '../format/arrow-cells.js';
import { formatQueryStats, querySummaryLine } from '../format/query-stats.js';
import { println, resolveAddress, writeAll, type CliContext, type OutputStream } from './context.js';
import { addClientOptions, positiveInt, type ClientFlags } from './shared-options.js';

export const QUERY_OUTPUT_FORMATS = ['table', 'csv', 'json', 'arrow'] as const;
export type QueryOutputFormat = (typeof QUERY_OUTPUT_FORMATS)[number];

interface QueryFlags extends ClientFlags {
  placement: PlacementName;
  format: QueryOutputFormat;
  output?: string;
  stats?: boolean;
  maxConcurrency?: number;
  maxRows: number;
}

export function queryCommand(ctx: CliContext): Command {
  const cmd = new Command('query')
    .description('run a SQL query on the intermediary and print the result')
    .argument('<sql>', 'the SQL text (quote it)')
    .addOption(
      new Option('--placement <mode>', 'where base fragments run').choices(PLACEMENT_NAMES).default('auto'),
    )
    .addOption(
      new Option(
        '--format <fmt>',
        'table: aligned text; json: JSON Lines; csv: CSV with header; arrow: IPC stream',
      )
        .choices(QUERY_OUTPUT_FORMATS)
        .default('table'),
    )
    .option('-o, --output <file>', 'write the result to FILE instead of stdout')
    .option('--stats', 'print the query statistics (bytes shipped, per node and stage) on stderr')
    .addOption(
      new Option('--max-concurrency <n>', 'most base fragments in flight').argParser(
        positiveInt('--max-concurrency'),
      ),
    )
    .addOption(
      new Option('--max-rows <n>', 'table format: rows shown before eliding the middle')
        .argParser(positiveInt('--max-rows'))
        .default(40),
    );
  addClientOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ pushdown query "SELECT l_returnflag, count(*) AS n FROM lineitem GROUP BY l_returnflag"
  $ pushdown query "SELECT * FROM lineitem LIMIT 5" --placement no-pushdown --stats
  $ pushdown query "SELECT l_orderkey, l_tax FROM lineitem WHERE l_tax > 0.07" --format json > out.jsonl
  $ pushdown query "SELECT * FROM lineitem_csv" --format arrow -o result.arrow`,
  );
  cmd.action(async (sql: string, flags: QueryFlags) => runQueryCommand(ctx, sql, flags));
  return cmd;
}

async function runQueryCommand(ctx: CliContext, sql: string, flags: QueryFlags): Promise<void> {
  if (sql.trim() === '') throw new InvalidArgumentError('the SQL text is empty');
  if (flags.format === 'arrow' && !flags.output && ctx.stdout.isTTY) {
    throw new InvalidArgumentError('refusing to write binary Arrow IPC to a terminal', {
      hint: 'pass --output FILE or pipe stdout into a file or program',
    });
  }
  const { address } = await resolveAddress(ctx, flags);
  const client = new PushdownClient(address);
  const file = flags.output ? createWriteStream(flags.output) : undefined;
  const out: OutputStream = file ?? ctx.stdout;
  const started = performance.now();
  try {
    const options = {
      placement: flags.placement,
      signal: ctx.signal,
      ...(flags.timeout ? { deadlineMs: flags.timeout } : {}),
      ...(flags.maxConcurrency ? { maxConcurrency: flags.maxConcurrency } : {}),
    };
    let rows: number | undefined;
    const result = client.query(sql, {
      ...options,
      format: flags.format === 'table' ? 'arrow' : flags.format,
    });
    if (flags.format === 'table') {
      const table = tableFromIPC(await collectBytes(result.chunks));
      rows = table.numRows;
      println(out, formatArrowTable(table, { maxRows: flags.maxRows }));
    } else {
      await writeAll(out, result.chunks);
    }
    const stats = await result.stats;
    const wallMs = performance.now() - started;
    if (file) {
      file.end();
      await once(file, 'close');
    }
    if (flags.format === 'table' || flags.output) {
      println(ctx.stderr, querySummaryLine(stats, rows ?? stats.rowsReturned, wallMs));
    }
    if (flags.stats) println(ctx.stderr, formatQueryStats(stats));
  } finally {
    file?.destroy();
    client.close();
  }
}

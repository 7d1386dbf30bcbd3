/** `pushdown ls [TABLE]`: the intermediary's catalog, or one table's columns and objects. */
import { Command } from 'commander';
import { NotFoundError, type TableInfo__Output } from '@pushdown/proto';
import { PushdownClient } from '../client/pushdown-client.js';
import { formatBoxTable } from '../format/box-table.js';
import { formatBytes, formatCount } from '../format/units.js';
import { println, resolveAddress, type CliContext } from './context.js';
import { addClientOptions, type ClientFlags } from './shared-options.js';

interface LsFlags extends ClientFlags {
  json?: boolean;
}

interface ColumnInfo {
  name: string;
  type: string;
  nullable?: boolean;
}

export function lsCommand(ctx: CliContext): Command {
  const cmd = new Command('ls')
    .description('list tables (rows, size, objects), or the columns and objects of one table')
    .argument('[table]', 'show this table in detail')
    .option('--json', 'print the catalog entries as JSON');
  addClientOptions(cmd);
  cmd.addHelpText('after', '\nExamples:\n  $ pushdown ls\n  $ pushdown ls lineitem');
  cmd.action(async (table: string | undefined, flags: LsFlags) => {
    const { address } = await resolveAddress(ctx, flags);
    const client = new PushdownClient(address);
    let tables: TableInfo__Output[];
    try {
      tables = await client.listTables({
        signal: ctx.signal,
        ...(flags.timeout ? { deadlineMs: flags.timeout } : {}),
      });
    } finally {
      client.close();
    }
    tables.sort((a, b) => a.name.localeCompare(b.name));
    if (table !== undefined) {
      const info = tables.find((t) => t.name === table);
      if (!info) {
        throw new NotFoundError(`table "${table}" not found at ${address}`, {
          hint: tables.length
            ? `tables: ${tables.map((t) => t.name).join(', ')}`
            : 'no tables yet; add one with `pushdown put`',
        });
      }
      if (flags.json) return println(ctx.stdout, JSON.stringify(info, null, 2));
      return println(ctx.stdout, describeTable(info));
    }
    if (flags.json) return println(ctx.stdout, JSON.stringify(tables, null, 2));
    if (tables.length === 0)
      return println(ctx.stdout, 'no tables yet; add one with `pushdown put FILE --table NAME`');
    println(
      ctx.stdout,
      formatBoxTable(
        [
          { name: 'table', align: 'left' },
          { name: 'objects', align: 'right' },
          { name: 'rows', align: 'right' },
          { name: 'size', align: 'right' },
          { name: 'formats', align: 'left' },
          { name: 'columns', align: 'right' },
        ],
        tables.map((t) => [
          t.name,
          String(t.objects.length),
          formatCount(t.totalRows),
          formatBytes(t.totalBytes),
          [...new Set(t.objects.map((o) => o.format))].join(','),
          String(parseColumns(t.schemaJson).length),
        ]),
        { maxRows: 1000 },
      ),
    );
  });
  return cmd;
}

function describeTable(info: TableInfo__Output): string {
  const columns = parseColumns(info.schemaJson);
  const parts = [
    `${info.name}: ${formatCount(info.totalRows)} rows, ${formatBytes(info.totalBytes)} in ${info.objects.length} object(s)` +
      (info.error ? `\n  cannot be queried: ${info.error}` : ''),
    formatBoxTable(
      [
        { name: 'column', align: 'left' },
        { name: 'type', align: 'left' },
        { name: 'nullable', align: 'left' },
      ],
      columns.map((c) => [c.name, c.type, c.nullable === false ? 'no' : 'yes']),
      { maxRows: 1000 },
    ),
    formatBoxTable(
      [
        { name: 'object', align: 'left' },
        { name: 'node', align: 'left' },
        { name: 'format', align: 'left' },
        { name: 'rows', align: 'right' },
        { name: 'size', align: 'right' },
        { name: 'sha256', align: 'left' },
      ],
      info.objects.map((o) => [
        o.name,
        o.nodeIds.length > 0 ? o.nodeIds.join(',') : '-',
        o.format,
        o.numRows >= 0 ? formatCount(o.numRows) : '?',
        formatBytes(o.size),
        o.sha256.slice(0, 12),
      ]),
      { maxRows: 1000 },
    ),
  ];
  return parts.join('\n');
}

function parseColumns(schemaJson: string): ColumnInfo[] {
  if (!schemaJson) return [];
  try {
    const doc = JSON.parse(schemaJson) as unknown;
    const list = Array.isArray(doc) ? doc : ((doc as { fields?: unknown[] }).fields ?? []);
    return list.map((c) => ({
      name: String((c as ColumnInfo).name),
      type:
        typeof (c as ColumnInfo).type === 'string'
          ? (c as ColumnInfo).type
          : JSON.stringify((c as ColumnInfo).type),
      ...((c as ColumnInfo).nullable === false ? { nullable: false } : {}),
    }));
  } catch {
    return [];
  }
}

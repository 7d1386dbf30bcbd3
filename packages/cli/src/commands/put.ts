/** `pushdown put FILE... --table NAME`: uploads objects to base nodes of the running topology. */
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { InvalidArgumentError, NotFoundError, type ObjectInfo__Output } from '@pushdown/proto';
import { BaseNodeAdmin, OBJECT_FORMATS, type ObjectFormat } from '../client/base-node-admin.js';
import { formatBytes, formatCount } from '../format/units.js';
import { readLiveState, type ProcessRecord } from '../topology/state-file.js';
import { createProgress } from '../util/progress.js';
import { dataDirOf, println, type CliContext } from './context.js';
import { addDataDirOption, positiveInt } from './shared-options.js';

interface PutFlags {
  table: string;
  node?: string;
  name?: string;
  format?: ObjectFormat;
  schema?: string;
  overwrite?: boolean;
  dataDir?: string;
  timeout?: number;
}

export function putCommand(ctx: CliContext): Command {
  const cmd = new Command('put')
    .description('upload Parquet or CSV files as objects of a table to base nodes')
    .argument('<files...>', 'files to upload (one object each)')
    .requiredOption('-t, --table <name>', 'table the objects belong to')
    .option(
      '--node <id|host:port>',
      'base node to store on (default: the node with the fewest objects of the table)',
    )
    .option('--name <object>', 'object name (default: the file name; one file only)')
    .addOption(
      new Option('--format <fmt>', 'object format (default: from the extension)').choices(OBJECT_FORMATS),
    )
    .option(
      '--schema <json>',
      'CSV or JSON Lines schema as a JSON array of {"name","type"} (default: inferred)',
    )
    .option('--overwrite', 'replace an existing object of the same name')
    .addOption(
      new Option('--timeout <ms>', 'give up after this many milliseconds per file').argParser(
        positiveInt('--timeout'),
      ),
    );
  addDataDirOption(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ pushdown put data/sf0.1/lineitem-00000-of-00004.parquet --table lineitem --node b1
  $ pushdown put data/sf0.1/*.csv --table lineitem_csv
  $ pushdown put orders.csv --table orders --schema '[{"name":"o_orderkey","type":"int64"}]'`,
  );
  cmd.action(async (files: string[], flags: PutFlags) => runPut(ctx, files, flags));
  return cmd;
}

async function runPut(ctx: CliContext, files: string[], flags: PutFlags): Promise<void> {
  if (flags.name && files.length > 1) {
    throw new InvalidArgumentError(
      '--name needs exactly one FILE; drop it to name each object after its file',
    );
  }
  if (flags.schema !== undefined) checkSchemaJson(flags.schema);
  const nodes = await targetNodes(ctx, flags);
  const admins = new Map(nodes.map((n) => [n.id, new BaseNodeAdmin(n.grpc)]));
  try {
    // Least-loaded placement: count this table's objects per node once, then keep counting.
    const load = new Map<string, number>();
    if (!flags.node) {
      await Promise.all(
        nodes.map(async (n) => load.set(n.id, (await admins.get(n.id)!.listObjects(flags.table)).length)),
      );
    }
    for (const file of files) {
      const node = flags.node ? nodes[0]! : pickLeastLoaded(nodes, load);
      load.set(node.id, (load.get(node.id) ?? 0) + 1);
      const bar = createProgress(ctx.stderr, `put ${basename(file)} → ${node.id}`, 0);
      const info: ObjectInfo__Output = await admins.get(node.id)!.putObject(file, {
        table: flags.table,
        ...(flags.name ? { name: flags.name } : {}),
        ...(flags.format ? { format: flags.format } : {}),
        ...(flags.schema ? { schemaJson: flags.schema } : {}),
        overwrite: flags.overwrite ?? false,
        signal: ctx.signal,
        ...(flags.timeout ? { deadlineMs: flags.timeout } : {}),
        onProgress: (sent, total) => bar.update(sent, total),
      });
      bar.done();
      const rows = info.numRows >= 0 ? `${formatCount(info.numRows)} rows, ` : '';
      println(
        ctx.stdout,
        `${file} → ${node.id}: ${info.table}/${info.name} (${info.format}, ${rows}${formatBytes(info.size)}, sha256 ${info.sha256.slice(0, 12)}…)`,
      );
    }
  } finally {
    for (const a of admins.values()) a.close();
  }
}

interface NodeTarget {
  id: string;
  grpc: string;
}

async function targetNodes(ctx: CliContext, flags: PutFlags): Promise<NodeTarget[]> {
  if (flags.node && flags.node.includes(':')) return [{ id: flags.node, grpc: flags.node }];
  const dataDir = dataDirOf(ctx, flags.dataDir);
  const live = await readLiveState(dataDir);
  if (!live) {
    throw new NotFoundError(`no running topology in ${dataDir}`, {
      hint: 'start one with `pushdown start`, pass --data-dir, or give --node HOST:PORT of a base node',
    });
  }
  const nodes = live.state.processes.filter(
    (p: ProcessRecord) => p.role === 'base-node' && live.alive.get(p.id),
  );
  if (flags.node) {
    const n = nodes.find((p) => p.id === flags.node);
    if (!n) {
      throw new NotFoundError(`base node "${flags.node}" is not running in ${dataDir}`, {
        hint: `running base nodes: ${nodes.map((p) => p.id).join(', ') || 'none'}`,
      });
    }
    return [n];
  }
  if (nodes.length === 0) throw new NotFoundError(`no base node is running in ${dataDir}`);
  return nodes;
}

function pickLeastLoaded(nodes: NodeTarget[], load: Map<string, number>): NodeTarget {
  let best = nodes[0]!;
  for (const n of nodes) if ((load.get(n.id) ?? 0) < (load.get(best.id) ?? 0)) best = n;
  return best;
}

function checkSchemaJson(text: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`--schema is not valid JSON: ${(err as Error).message}`);
  }
  if (
    !Array.isArray(doc) ||
    !doc.every((c) => typeof c === 'object' && c && typeof (c as { name?: unknown }).name === 'string')
  ) {
    throw new InvalidArgumentError('--schema must be a JSON array of {"name": ..., "type": ...} objects');
  }
}

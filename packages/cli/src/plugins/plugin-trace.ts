/**
 * `pushdown plugins trace NAME`: an strace for plugins. It runs a plugin once and reports every
 * host call it makes, one line each (`fd_read(fd=5, iovs=0x1f0a8, iovs_len=1, nread=0x1f0b0) = 0
 * <0.004 ms> 4096 bytes`), then a summary of counts and time per call name.
 *
 * What "runs once" means depends on the kind: a format reader reads the object given with
 * `--object` through its WASI calls; a scalar UDF gets one generated batch of `--rows` rows per
 * function (its exports are reported as `export.NAME` lines, since a UDF makes no host calls of
 * its own); any other module runs its `--invoke` export (default `_start`) under a WASI host.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Command } from 'commander';
import {
  formatHostCall,
  formatTraceSummary,
  instantiateUdf,
  manifestFunctions,
  runFormatReader,
  runWasiModule,
  summarizeHostCalls,
  verifyPlugin,
  type HostCall,
  type HostCallSummary,
  type PluginDataType,
  type UdfColumn,
  type VerifiedPlugin,
} from '@pushdown/plugins';
import { InvalidArgumentError } from '@pushdown/proto';
import { println, type CliContext } from '../commands/context.js';

export interface PluginTraceOptions {
  /** The object a format reader reads (its bytes are mounted at /data/<name>). */
  object?: { name: string; bytes: Uint8Array };
  /** Rows of the generated batch a scalar UDF is called on (default 1000). */
  rows?: number;
  /** The export a generic WASI module runs (default `_start`). */
  invoke?: string;
  /** Guest argv after the plugin name. */
  args?: readonly string[];
  /** Called as each call happens, so long runs print as they go. */
  onCall?: (call: HostCall) => void;
}

export interface PluginTraceResult {
  plugin: string;
  kind: string;
  calls: HostCall[];
  summary: HostCallSummary[];
  /** What the run produced, e.g. `3 batches, 50 rows` or `exit code 0`. */
  outcome: string;
}

export const PLUGIN_TRACE_DEFAULT_ROWS = 1000;

/** Verifies and runs the plugin at `path` once, recording every host call. */
export async function runPluginTrace(
  path: string,
  options: PluginTraceOptions = {},
): Promise<PluginTraceResult> {
  const plugin = await verifyPlugin(path);
  const calls: HostCall[] = [];
  const record = (c: HostCall) => {
    calls.push(c);
    options.onCall?.(c);
  };
  const kind = plugin.manifest.kind;
  let outcome: string;
  if (kind === 'format-reader') outcome = traceFormatReader(plugin, options, record);
  else if (kind === 'scalar-udf')
    outcome = traceScalarUdf(plugin, options.rows ?? PLUGIN_TRACE_DEFAULT_ROWS, record);
  else outcome = traceWasiModule(plugin, options, record);
  return { plugin: plugin.manifest.name, kind, calls, summary: summarizeHostCalls(calls), outcome };
}

function traceFormatReader(
  plugin: VerifiedPlugin,
  options: PluginTraceOptions,
  record: (c: HostCall) => void,
): string {
  if (!options.object) {
    throw new InvalidArgumentError(
      `plugin "${plugin.manifest.name}" is a format reader: give the object to read with --object FILE`,
    );
  }
  let batches = 0;
  let rows = 0;
  for (const batch of runFormatReader(plugin, options.object.bytes, {
    objectName: options.object.name,
    trace: record,
  })) {
    batches++;
    rows += batch.rows;
  }
  return `${batches} batch${batches === 1 ? '' : 'es'}, ${rows} rows from ${options.object.name}`;
}

/** A column of `rows` generated values of `type` (one row for a const argument). */
export function sampleColumn(type: PluginDataType, rows: number): UdfColumn {
  switch (type) {
    case 'utf8': {
      const strings = Array.from({ length: rows }, (_, i) => `value ${i} ${'x'.repeat(i % 7)}`);
      const data = new TextEncoder().encode(strings.join(''));
      const offsets = new Int32Array(rows + 1);
      strings.forEach((s, i) => (offsets[i + 1] = offsets[i]! + Buffer.byteLength(s)));
      return { type, offsets, data };
    }
    case 'int64':
      return { type, values: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i * 7919)) };
    case 'float64':
      return { type, values: Float64Array.from({ length: rows }, (_, i) => i * 0.25 - 50) };
    case 'bool':
      return { type, values: new Uint8Array((rows + 7) >>> 3).fill(0x55) };
    default:
      return { type, values: Int32Array.from({ length: rows }, (_, i) => i) };
  }
}

function traceScalarUdf(plugin: VerifiedPlugin, rows: number, record: (c: HostCall) => void): string {
  if (!Number.isInteger(rows) || rows < 1 || rows > 1_000_000) {
    throw new InvalidArgumentError(`--rows must be an integer from 1 to 1000000 (got ${rows})`);
  }
  const udf = instantiateUdf(plugin.module, plugin.manifest);
  const fns = manifestFunctions(plugin.manifest);
  for (const fn of fns) {
    const args = fn.args.map((t, i) => sampleColumn(t, fn.constArgs?.includes(i) ? 1 : rows));
    const start = performance.now();
    const result = udf.call(fn.name, args, rows);
    record({
      module: 'export',
      name: fn.name,
      args: [rows],
      result: result.nullCount,
      durationMs: performance.now() - start,
      text: `rows=${rows}`,
      detail: `${result.nullCount} nulls`,
    });
  }
  return `${fns.length} function${fns.length === 1 ? '' : 's'} called on ${rows} generated rows`;
}

function traceWasiModule(
  plugin: VerifiedPlugin,
  options: PluginTraceOptions,
  record: (c: HostCall) => void,
): string {
  const name = options.invoke ?? '_start';
  const run = runWasiModule(plugin, {
    invoke: name,
    args: [plugin.manifest.name, ...(options.args ?? [])],
    ...(options.object ? { readOnly: { [`/data/${options.object.name}`]: options.object.bytes } } : {}),
    trace: record,
  });
  return `${name}() returned${run.exitCode !== undefined ? `, exit code ${run.exitCode}` : ''}`;
}

/** The trace as text: one line per call, then the summary table. */
export function formatPluginTrace(result: PluginTraceResult, withLines = true): string {
  const lines = withLines ? result.calls.map(formatHostCall) : [];
  return [
    ...lines,
    ...(lines.length ? [''] : []),
    `${result.plugin} (${result.kind}): ${result.outcome}; ${result.calls.length} host calls`,
    formatTraceSummary(result.summary),
  ].join('\n');
}

/** JSON of a trace (bigint arguments as decimal strings). */
export function pluginTraceJson(result: PluginTraceResult): string {
  return JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
}

/** Reads `--object FILE` for the trace. */
export async function readTraceObject(file: string): Promise<{ name: string; bytes: Uint8Array }> {
  return { name: basename(file), bytes: new Uint8Array(await readFile(file)) };
}

/**
 * The `trace` subcommand. `locate` turns a name into a plugin path the way the other
 * `pushdown plugins` subcommands do (a path, an installed plugin, or the registry).
 */
export function pluginTraceCommand(
  ctx: CliContext,
  locate: (target: string, dataDir: string | undefined) => Promise<string>,
): Command {
  return new Command('trace')
    .description('run a plugin once and print every host call it makes (like strace), then a summary')
    .argument('<name>', 'plugin name (installed or in the registry) or path')
    .argument('[args...]', 'arguments the guest sees in argv after its name (WASI modules)')
    .option('--object <file>', 'the object a format reader reads (mounted read-only at /data/<file name>)')
    .option(
      '--rows <n>',
      'rows of the generated batch a scalar UDF is called on',
      String(PLUGIN_TRACE_DEFAULT_ROWS),
    )
    .option('--invoke <export>', 'the export a plain WASI module runs', '_start')
    .option('--summary', 'print only the summary, not one line per call')
    .option('--json', 'print the calls and the summary as JSON')
    .option('--data-dir <dir>', "a base node's data directory, to find installed plugins")
    .addHelpText(
      'after',
      `
Each line: name(arguments) = result [ERRNO] <duration> decoded detail. The summary gives per
call name: calls, total ms, mean µs per call and how many failed (a non-zero errno or a throw).

Examples:
  $ pushdown plugins trace jsonl --object events.jsonl
  $ pushdown plugins trace jsonl --object events.jsonl --summary
  $ pushdown plugins trace hash64 --rows 10000 --json`,
    )
    .action(async (name: string, args: string[], flags: TraceFlags) => {
      const rows = Number(flags.rows);
      if (!Number.isInteger(rows) || rows < 1 || rows > 1_000_000) {
        throw new InvalidArgumentError(`--rows must be an integer from 1 to 1000000 (got "${flags.rows}")`);
      }
      const path = await locate(name, flags.dataDir);
      const object = flags.object ? await readTraceObject(resolve(ctx.cwd, flags.object)) : undefined;
      const result = await runPluginTrace(path, {
        rows,
        invoke: flags.invoke,
        args,
        ...(object ? { object } : {}),
      });
      println(ctx.stdout, flags.json ? pluginTraceJson(result) : formatPluginTrace(result, !flags.summary));
    });
}

interface TraceFlags {
  object?: string;
  rows: string;
  invoke: string;
  summary?: boolean;
  json?: boolean;
  dataDir?: string;
}

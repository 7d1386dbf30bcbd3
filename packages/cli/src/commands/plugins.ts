/**
 * `pushdown plugins`: the plugin registry from the command line. `list`, `info` and `verify`
 * read the registry index and a node's install folder; `add` installs into the running
 * topology through its intermediary (or, with `--data-dir` of no running topology, into that
 * folder's plugins/), `list` shows the topology's plugins when one runs (see
 * plugins/plugin-cluster-commands.ts); `remove` follows the same rule as `add`
 * (plugins/plugin-remove-command.ts); `new` and `build` write plugins
 * (plugins/plugin-author-commands.ts); `bench` compares a scalar UDF with its TypeScript equivalent.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import {
  exportName,
  installPlugin,
  listInstalledPlugins,
  loadRegistry,
  manifestFunctions,
  pluginInstallDir,
  verifyPlugin,
  type PluginManifest,
} from '@pushdown/plugins';
import { InvalidArgumentError, NotFoundError } from '@pushdown/proto';
import { formatBoxTable } from '../format/box-table.js';
import { buildCmd, newCmd } from '../plugins/plugin-author-commands.js';
import { functionSignature, PLUGIN_BENCH_DEFAULTS, runPluginBench } from '../plugins/plugin-bench.js';
import {
  builtPluginPath,
  clusterAdd,
  clusterList,
  resolvePluginTarget,
} from '../plugins/plugin-cluster-commands.js';
import { removeCmd } from '../plugins/plugin-remove-command.js';
import { pluginTraceCommand } from '../plugins/plugin-trace.js';
import { dataDirOf, println, type CliContext } from './context.js';

interface DirFlags {
  dataDir?: string;
}

interface TargetFlags extends DirFlags {
  addr?: string;
}

const ADDR_HELP = 'intermediary of a running topology (default: $PUSHDOWN_ADDR, the topology in .pushdown)';

const DATA_DIR_HELP = "a base node's data directory; plugins go to <dir>/plugins/ (default: .pushdown)";

export function pluginsCommand(ctx: CliContext): Command {
  const cmd = new Command('plugins').description(
    'list, inspect, verify, install, remove and benchmark WASM plugins',
  );
  cmd.addHelpText(
    'after',
    `
Examples:
  $ pushdown plugins list
  $ pushdown plugins info geo
  $ pushdown plugins verify packages/plugins/build/hash64.wasm
  $ pushdown plugins new my_fn && pushdown plugins build my_fn
  $ pushdown plugins add my_fn            # into the running topology: intermediary + every base node
  $ pushdown plugins add my-udf/ --data-dir .pushdown/nodes/b0   # a plain folder, nothing running
  $ pushdown plugins remove my_fn         # from the intermediary and every base node
  $ pushdown plugins bench text_match --sizes 1,1000,1000000`,
  );
  const sub = [
    listCmd(ctx),
    infoCmd(ctx),
    verifyCmd(ctx),
    addCmd(ctx),
    removeCmd(ctx),
    benchCmd(ctx),
    newCmd(ctx),
    buildCmd(ctx),
    pluginTraceCommand(ctx, (t, d) => locate(ctx, t, d)),
  ];
  for (const c of sub) {
    c.exitOverride().configureOutput({
      writeOut: (s: string) => void ctx.stdout.write(s),
      writeErr: (s: string) => void ctx.stderr.write(s),
    });
    cmd.addCommand(c);
  }
  return cmd;
}

function listCmd(ctx: CliContext): Command {
  return new Command('list')
    .description(
      "list the running topology's plugins (which hashes, which nodes), else the registry and a folder's",
    )
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--addr <host:port>', ADDR_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pushdown plugins list\n  $ pushdown plugins list --addr 127.0.0.1:50051\n  $ pushdown plugins list --data-dir .pushdown/nodes/b0',
    )
    .action(async (flags: TargetFlags) => {
      const target = await resolvePluginTarget(ctx, flags);
      if (target.kind === 'cluster') return clusterList(ctx, target.address);
      const rows: string[][] = [];
      for (const p of loadRegistry().plugins) {
        rows.push([
          p.name,
          p.version,
          p.kind,
          p.builtin ? 'built-in' : 'registry',
          p.sha256.slice(0, 12),
          p.description,
        ]);
      }
      const dir = pluginInstallDir(dataDirOf(ctx, flags.dataDir));
      for (const p of await listInstalledPlugins(dir)) {
        const m = p.manifest;
        rows.push([m.name, m.version, m.kind, 'installed', m.sha256.slice(0, 12), m.description ?? '']);
      }
      const cols = ['name', 'version', 'kind', 'source', 'sha256', 'description'];
      println(
        ctx.stdout,
        formatBoxTable(
          cols.map((name) => ({ name, align: 'left' as const })),
          rows,
          { maxRows: 1000 },
        ),
      );
    });
}

function infoCmd(ctx: CliContext): Command {
  return new Command('info')
    .description("show a plugin's manifest: functions and their types, tiers, limits, imports, hash")
    .argument('<name>', 'plugin name (installed or in the registry) or path')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .addHelpText('after', '\nExamples:\n  $ pushdown plugins info hash64\n  $ pushdown plugins info ./my-udf')
    .action(async (name: string, flags: DirFlags) => {
      const plugin = await verifyPlugin(await locate(ctx, name, flags.dataDir));
      const m: PluginManifest = plugin.manifest;
      const lines = [
        `${m.name} ${m.version} (${m.kind}, ABI ${m.abiVersion})`,
        ...(m.description ? [m.description] : []),
        `runs on:   ${m.runsOn.join(', ')}`,
        `limits:    ${m.limits.memoryPages} pages (${(m.limits.memoryPages * 64) / 1024} MiB), ${m.limits.timeBudgetMs} ms per call`,
        `imports:   ${m.imports.join(', ')}`,
        ...(m.persist ? [`persist:   scratch ${m.persist.scratch ? 'snapshotted' : 'not kept'}`] : []),
        `sha256:    ${m.sha256} (verified)`,
        `module:    ${plugin.wasmPath} (${plugin.bytes.length} bytes)`,
        'functions:',
        ...manifestFunctions(m).map(
          (f) => `  ${functionSignature(f)}${f.description ? `  -- ${f.description}` : ''}`,
        ),
        ...m.exports.filter((e) => typeof e === 'string').map((e) => `  ${exportName(e)}`),
      ];
      for (const l of lines) println(ctx.stdout, l);
    });
}

function verifyCmd(ctx: CliContext): Command {
  return new Command('verify')
    .description(
      'check a plugin: manifest, SHA-256 (before compiling), imports, no own memory, ABI signatures',
    )
    .argument('<path|name>', 'plugin folder, .wasm beside its manifest, manifest path, or a plugin name')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pushdown plugins verify packages/plugins/build/geo.wasm\n  $ pushdown plugins verify ./my-udf\n  $ pushdown plugins verify hash64',
    )
    .action(async (target: string, flags: DirFlags) => {
      const p = await verifyPlugin(await locate(ctx, target, flags.dataDir));
      const fns = manifestFunctions(p.manifest);
      println(
        ctx.stdout,
        `ok: ${p.manifest.name} ${p.manifest.version} (${p.manifest.kind}) sha256 ${p.manifest.sha256}` +
          (fns.length ? `\n${fns.map((f) => `  ${functionSignature(f)}`).join('\n')}` : ''),
      );
    });
}

function addCmd(ctx: CliContext): Command {
  return new Command('add')
    .description(
      'verify a plugin and install it on the running topology (intermediary, then every base node by hash), ' +
        'or into <data-dir>/plugins/<name>/ when no topology runs there',
    )
    .argument('<path|name>', 'plugin folder (built), .wasm beside its manifest, or a registry plugin name')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--addr <host:port>', ADDR_HELP)
    .option('--node <id...>', 'only these base nodes (default: all)')
    .option('--replace', 'replace an installed plugin of the same name with a different module')
    .addHelpText(
      'after',
      '\nExamples:\n  $ pushdown plugins add my_fn                  # after `pushdown plugins build my_fn`\n' +
        '  $ pushdown plugins add geo --node b1 --addr 127.0.0.1:50051\n' +
        '  $ pushdown plugins add ./my-udf/build --data-dir .pushdown/nodes/b0   # plain folder, nothing running',
    )
    .action(async (arg: string, flags: TargetFlags & { replace?: boolean; node?: string[] }) => {
      const target = await resolvePluginTarget(ctx, flags);
      const abs = resolve(ctx.cwd, arg);
      const src = existsSync(abs) ? builtPluginPath(abs) : arg;
      if (target.kind === 'cluster') {
        const path = existsSync(src) ? src : registryPath(src);
        return clusterAdd(ctx, target.address, path, {
          replace: flags.replace === true,
          nodeIds: flags.node ?? [],
        });
      }
      if (target.kind === 'none') {
        throw new NotFoundError(`no running topology to install "${arg}" into`, {
          hint: 'start one (`pushdown start --detach`), pass --addr HOST:PORT, or --data-dir DIR to install into DIR/plugins',
        });
      }
      const dest = target.dir;
      const path = existsSync(src) ? src : registryPath(src);
      const r = await installPlugin(path, dest, { replace: flags.replace === true });
      const verb = { installed: 'installed', replaced: 'replaced', unchanged: 'already installed' }[r.status];
      println(ctx.stdout, `${verb}: ${r.manifest.name} ${r.manifest.version} → ${r.dir}`);
    });
}

function benchCmd(ctx: CliContext): Command {
  return new Command('bench')
    .description('per-call overhead and per-row cost of a scalar UDF vs its TypeScript equivalent')
    .argument('<name>', 'plugin name (installed or in the registry) or path')
    .option('--fn <function>', 'only this function')
    .option('--sizes <list>', 'comma list of batch sizes in rows', PLUGIN_BENCH_DEFAULTS.sizes.join(','))
    .option('--time <ms>', 'time per measurement cell', String(PLUGIN_BENCH_DEFAULTS.minTimeMs))
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .addHelpText(
      'after',
      `
The WASM column includes copying the batch into plugin memory and the result out.

Examples:
  $ pushdown plugins bench hash64
  $ pushdown plugins bench geo --fn geo_distance --sizes 1,100,10000 --time 50`,
    )
    .action(async (name: string, flags: DirFlags & { fn?: string; sizes: string; time: string }) => {
      const sizes = flags.sizes.split(',').map((s) => Number(s.trim()));
      if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 16_000_000)) {
        throw new InvalidArgumentError(`--sizes must be integers from 1 to 16000000 (got "${flags.sizes}")`);
      }
      const minTimeMs = Number(flags.time);
      if (!(minTimeMs > 0))
        throw new InvalidArgumentError(`--time must be a positive number of ms (got "${flags.time}")`);
      const path = await locate(ctx, name, flags.dataDir);
      const rows = await runPluginBench(
        path,
        { sizes, minTimeMs, ...(flags.fn ? { fn: flags.fn } : {}) },
        (r) => ctx.stderr.write(`  ${r.fn} ${r.rows} rows\n`),
      );
      const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3));
      const cells = rows.map((r) => [
        r.fn,
        String(r.rows),
        fmt(r.wasmCallUs),
        fmt((r.wasmCallUs * 1000) / r.rows),
        fmt(r.tsCallUs),
        fmt((r.tsCallUs * 1000) / r.rows),
        `${(r.tsCallUs / r.wasmCallUs).toFixed(2)}×`,
      ]);
      const columns = [
        { name: 'function', align: 'left' as const },
        ...['rows', 'wasm µs/call', 'wasm ns/row', 'ts µs/call', 'ts ns/row', 'wasm speedup'].map((name) => ({
          name,
          align: 'right' as const,
        })),
      ];
      println(ctx.stdout, formatBoxTable(columns, cells, { maxRows: 1000 }));
      for (const fn of new Set(rows.map((r) => r.fn))) {
        const mine = rows.filter((r) => r.fn === fn);
        const small = mine[0]!;
        const big = mine[mine.length - 1]!;
        println(
          ctx.stdout,
          `${fn}: per-call overhead (${small.rows} row${small.rows > 1 ? 's' : ''}) wasm ${fmt(small.wasmCallUs)} µs, ts ${fmt(small.tsCallUs)} µs; ` +
            `per-row cost (${big.rows} rows) wasm ${fmt((big.wasmCallUs * 1000) / big.rows)} ns, ts ${fmt((big.tsCallUs * 1000) / big.rows)} ns`,
        );
      }
    });
}

/** A path as given, else an installed plugin, else a registry plugin of that name. */
async function locate(ctx: CliContext, target: string, dataDir: string | undefined): Promise<string> {
  if (existsSync(target)) return target;
  const installed = (await listInstalledPlugins(pluginInstallDir(dataDirOf(ctx, dataDir)))).find(
    (p) => p.manifest.name === target,
  );
  return installed ? installed.dir : registryPath(target);
}

function registryPath(name: string): string {
  const entry = loadRegistry().find(name);
  if (!entry) {
    throw new NotFoundError(`no plugin "${name}" (not a path, not installed, not in the registry)`, {
      hint: 'see `pushdown plugins list`',
    });
  }
  return entry.wasmPath;
}

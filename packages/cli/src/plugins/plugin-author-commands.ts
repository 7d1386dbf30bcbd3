/**
 * `pushdown plugins new NAME` and `pushdown plugins build DIR`: writing a plugin. `new` makes a
 * folder that builds as it is; `build` compiles it with the flags the shipped plugins use
 * (buildPluginFolder in @pushdown/plugins) and verifies the result the way a node will.
 */
import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { buildPluginFolder, manifestFunctions } from '@pushdown/plugins';
import { println, type CliContext } from '../commands/context.js';
import { functionSignature } from './plugin-bench.js';
import { scaffoldPlugin } from './plugin-scaffold.js';

export function newCmd(ctx: CliContext): Command {
  return new Command('new')
    .description('create a scalar-UDF plugin folder (AssemblyScript source, manifest, README) to edit')
    .argument('<name>', 'plugin and SQL function name: lower-case letters, digits, "_"')
    .option('--dir <dir>', 'folder to create (default: ./<name>)')
    .addHelpText(
      'after',
      `
The example function <name>(s VARCHAR) -> BOOLEAN is true when s contains the word in NEEDLE.

Examples:
  $ pushdown plugins new my_fn
  $ pushdown plugins new has_word --dir plugins/has_word`,
    )
    .action(async (name: string, flags: { dir?: string }) => {
      const dir = resolve(ctx.cwd, flags.dir ?? name);
      const r = await scaffoldPlugin(name, dir);
      const shown = relative(ctx.cwd, dir) || '.';
      println(ctx.stdout, `created ${shown}/ with ${r.files.join(', ')}`);
      println(ctx.stdout, `next: edit ${shown}/assembly/index.ts, then \`pushdown plugins build ${shown}\``);
    });
}

export function buildCmd(ctx: CliContext): Command {
  return new Command('build')
    .description(
      'compile a plugin folder with AssemblyScript into <dir>/build (module + manifest with sha256)',
    )
    .argument('<dir>', 'plugin folder holding manifest.json and assembly/index.ts')
    .option('--out <dir>', 'where to write <name>.wasm and manifest.json (default: <dir>/build)')
    .addHelpText(
      'after',
      `
The module is verified as a node would (hash, imports, no own memory, ABI signatures).

Examples:
  $ pushdown plugins build my_fn
  $ pushdown plugins build my_fn --out /tmp/my_fn-build`,
    )
    .action(async (dir: string, flags: { out?: string }) => {
      const src = resolve(ctx.cwd, dir);
      const built = await buildPluginFolder(src, flags.out ? resolve(ctx.cwd, flags.out) : undefined);
      const m = built.manifest;
      println(
        ctx.stdout,
        `built: ${m.name} ${m.version} → ${relative(ctx.cwd, built.wasmPath)} (${built.bytes.byteLength} bytes, sha256 ${m.sha256})`,
      );
      for (const f of manifestFunctions(m)) println(ctx.stdout, `  ${functionSignature(f)}`);
      println(ctx.stdout, `next: pushdown plugins add ${flags.out ?? dir}`);
    });
}

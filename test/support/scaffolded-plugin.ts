/**
 * A user's plugin as the tutorial makes one: `pushdown plugins new` scaffolding, the needle of
 * its example function changed, then `pushdown plugins build` through the CLI binary (the
 * AssemblyScript compiler is ESM-only, which jest's CommonJS cannot load). Returns what an
 * InstallPlugin request carries.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scaffoldPlugin } from '../../packages/cli/src/plugins/plugin-scaffold.js';

export const CLI = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'bin', 'pushdown.js');

export interface PluginUploadBytes {
  manifestJson: string;
  wasm: Uint8Array;
  sha256: string;
}

/** Scaffolds plugin `name` in `dir/<name>`, makes it look for `needle`, builds it. */
export async function buildScaffoldedPlugin(
  name: string,
  dir: string,
  needle: string,
): Promise<PluginUploadBytes> {
  const src = join(dir, name);
  await scaffoldPlugin(name, src);
  const source = join(src, 'assembly', 'index.ts');
  await writeFile(source, (await readFile(source, 'utf8')).replace('"special"', JSON.stringify(needle)));
  await promisify(execFile)(process.execPath, [CLI, 'plugins', 'build', src]);
  const manifestJson = await readFile(join(src, 'build', 'manifest.json'), 'utf8');
  const wasm = new Uint8Array(await readFile(join(src, 'build', `${name}.wasm`)));
  return { manifestJson, wasm, sha256: (JSON.parse(manifestJson) as { sha256: string }).sha256 };
}

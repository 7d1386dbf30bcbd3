/**
 * Compiling a plugin from AssemblyScript: the one place that knows the compiler flags the ABI
 * needs. `scripts/build-wasm.js` (the shipped operators and examples) and `pushdown plugins
 * build` (a user's plugin folder) both go through here, so a user's module is built exactly
 * like the shipped ones.
 *
 * @example
 * const built = await buildPluginFolder('my_fn'); // my_fn/build/{manifest.json, my_fn.wasm}
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NotFoundError, PluginError } from '@pushdown/proto';
import type { PluginManifest } from './manifest-types.js';
import { validateManifest } from './manifest-validate.js';
import { sha256Hex, verifyPlugin, type VerifiedPlugin } from './plugin-verify.js';

/**
 * Flags every plugin is compiled with: memory imported from the host (env.memory, the ABI's
 * memory cap), the stub runtime (no GC: the host owns every buffer), fast code without asserts.
 * A manifest's `build.ascFlags` come after these.
 */
export const PLUGIN_ASC_FLAGS: readonly string[] = [
  '--importMemory',
  '--runtime',
  'stub',
  '-O3',
  '--noAssert',
];

/** Compiles `entry` to `outFile` with PLUGIN_ASC_FLAGS and `ascFlags`; returns the module bytes. */
export async function compileAssemblyScript(
  entry: string,
  outFile: string,
  ascFlags: readonly string[] = [],
): Promise<Uint8Array> {
  // Loaded on demand: the compiler is large and only building needs it.
  const { main } = await import('assemblyscript/asc');
  const { error, stderr } = await main([entry, '--outFile', outFile, ...PLUGIN_ASC_FLAGS, ...ascFlags], {});
  if (error) {
    throw new PluginError(
      `AssemblyScript could not compile ${entry}: ${error.message}\n${stderr.toString()}`,
    );
  }
  return new Uint8Array(await readFile(outFile));
}

/** The manifest published beside a built module: `build` dropped, the module's sha256 filled in. */
export function publishedManifest(source: PluginManifest, bytes: Uint8Array): PluginManifest {
  const { build: _build, ...published } = source;
  return { ...published, sha256: sha256Hex(bytes) };
}

export interface BuiltPlugin extends VerifiedPlugin {
  /** Folder holding the published `manifest.json` and `<name>.wasm`. */
  readonly outDir: string;
}

/**
 * Builds a plugin folder (`manifest.json` + `assembly/index.ts`) into `outDir` (default
 * `<dir>/build`): compiles, publishes the manifest with its sha256, and verifies the result the
 * way a node will, so a module a node would refuse fails here with the same reason.
 */
export async function buildPluginFolder(dir: string, outDir = join(dir, 'build')): Promise<BuiltPlugin> {
  const root = resolve(dir);
  const manifestPath = join(root, 'manifest.json');
  const entry = join(root, 'assembly', 'index.ts');
  for (const [path, what] of [
    [manifestPath, 'manifest.json'],
    [entry, 'assembly/index.ts'],
  ] as const) {
    if (!existsSync(path)) {
      throw new NotFoundError(`${root} has no ${what}`, {
        hint: 'pass a plugin folder, e.g. one made by `pushdown plugins new NAME`',
      });
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (err) {
    throw new PluginError(`${manifestPath} is not valid JSON: ${(err as Error).message}`);
  }
  const source = validateManifest(json, { source: true });
  const out = resolve(outDir);
  await mkdir(out, { recursive: true });
  const wasmPath = join(out, `${source.name}.wasm`);
  const bytes = await compileAssemblyScript(entry, wasmPath, source.build?.ascFlags ?? []);
  const publishedPath = join(out, 'manifest.json');
  await writeFile(publishedPath, JSON.stringify(publishedManifest(source, bytes), null, 2) + '\n');
  const verified = await verifyPlugin({ manifestPath: publishedPath, wasmPath });
  return { ...verified, outDir: out };
}
